"""JIRA operations of the ledger: create an issue, transition it, comment on it."""

from automation.connectors.errors import ConnectorError
from automation.ledger.operations import CannotUndo, operation


def _status(connector, target, params) -> dict:
    issue = connector.issue(target, fields="status")
    return {"status": issue["fields"]["status"]["name"]}


def _nothing_before(c, target, params) -> dict:
    return {}


def _create(c, target, params, before):
    return {"key": c.create_issue(params["fields"])["key"]}


def _delete_created(c, action):
    # The compensating call deletes the issue; JIRA needs the "delete issues" permission for it.
    c.delete_issue(action.result["key"])
    return {"deleted": action.result["key"]}


operation("jira.create_issue", read_before=_nothing_before, apply=_create, undo=_delete_created)


def _transition(c, target, params, before):
    c.transition_to(target, params["status"], params.get("comment"))
    return {"status": params["status"]}


def _transition_back(c, action):
    previous = (action.before or {}).get("status")
    if not previous:
        raise CannotUndo("The status before the transition was not recorded.")
    try:
        c.transition_to(action.target, previous)
    except ConnectorError as error:
        if error.permanent and error.status is None:  # no transition leads back: say so plainly
            raise CannotUndo(f"No JIRA transition of {action.target} leads back to {previous!r}.") from error
        raise
    return {"status": previous}


operation("jira.transition", read_before=_status, apply=_transition, undo=_transition_back)


def _comment(c, target, params, before):
    return {"comment_id": c.comment(target, params["body"])["id"]}


def _delete_comment(c, action):
    c.delete_comment(action.target, action.result["comment_id"])
    return {"deleted_comment": action.result["comment_id"]}


operation("jira.comment", read_before=_nothing_before, apply=_comment, undo=_delete_comment)
