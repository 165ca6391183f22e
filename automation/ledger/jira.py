"""JIRA operations of the ledger: create an issue, transition it, comment on it."""

from automation.ledger.operations import CannotUndo, operation


def _status(connector, target, params) -> dict:
    issue = connector.issue(target, fields="status")
    return {"status": issue["fields"]["status"]["name"]}


operation(
    "jira.create_issue",
    read_before=lambda c, target, params: {},
    apply=lambda c, target, params, before: {"key": c.create_issue(params["fields"])["key"]},
    # The compensating call deletes the issue; JIRA needs the "delete issues" permission for it.
    undo=lambda c, action: (c.delete_issue(action.result["key"]), {"deleted": action.result["key"]})[1],
)


def _transition(c, target, params, before):
    c.transition_to(target, params["status"], params.get("comment"))
    return {"status": params["status"]}


def _transition_back(c, action):
    previous = (action.before or {}).get("status")
    if not previous:
        raise CannotUndo("The status before the transition was not recorded.")
    try:
        c.transition_to(action.target, previous)
    except Exception as error:  # no transition leads back: say so rather than fail obscurely
        from automation.connectors.errors import ConnectorError

        if isinstance(error, ConnectorError) and error.permanent and error.status is None:
            raise CannotUndo(f"No JIRA transition of {action.target} leads back to {previous!r}.") from error
        raise
    return {"status": previous}


operation("jira.transition", read_before=_status, apply=_transition, undo=_transition_back)


def _comment(c, target, params, before):
    return {"comment_id": c.comment(target, params["body"])["id"]}


operation(
    "jira.comment",
    read_before=lambda c, target, params: {},
    apply=_comment,
    undo=lambda c, action: (
        c.delete_comment(action.target, action.result["comment_id"]),
        {"deleted_comment": action.result["comment_id"]},
    )[1],
)
