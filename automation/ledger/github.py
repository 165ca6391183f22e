"""GitHub operations of the ledger: close/reopen, labels, assignees, comments."""

from automation.ledger.operations import CannotUndo, operation


def _number(target: str) -> int:
    return int(target.rsplit("#", 1)[1])


def _issue_state(connector, target, params) -> dict:
    issue = connector.issue(_number(target))
    return {
        "state": issue["state"],
        "state_reason": issue.get("state_reason"),
        "labels": sorted(label["name"] for label in issue.get("labels", [])),
        "assignees": sorted(user["login"] for user in issue.get("assignees", [])),
    }


def _restore_state(connector, action) -> dict:
    before = action.before or {}
    reason = "reopened" if before.get("state") == "open" else before.get("state_reason")
    issue = connector.set_state(_number(action.target), before["state"], reason)
    return {"state": issue["state"]}


operation(
    "github.close_issue",
    read_before=_issue_state,
    apply=lambda c, target, params, before: {
        "state": c.set_state(_number(target), "closed", params.get("reason", "completed"))["state"]
    },
    undo=_restore_state,
)
operation(
    "github.reopen_issue",
    read_before=_issue_state,
    apply=lambda c, target, params, before: {"state": c.set_state(_number(target), "open", "reopened")["state"]},
    undo=_restore_state,
)


def _add_labels(c, target, params, before):
    added = sorted(set(params["labels"]) - set(before["labels"]))
    labels = c.add_labels(_number(target), params["labels"])
    return {"added": added, "labels": sorted(label["name"] for label in labels)}


def _remove_added_labels(c, action):
    for label in action.result.get("added", []):  # only what this action added, not what was there
        c.remove_label(_number(action.target), label)
    return {"removed": action.result.get("added", [])}


operation("github.add_labels", read_before=_issue_state, apply=_add_labels, undo=_remove_added_labels)


def _assign(c, target, params, before):
    added = sorted(set(params["assignees"]) - set(before["assignees"]))
    issue = c.add_assignees(_number(target), params["assignees"])
    return {"added": added, "assignees": sorted(u["login"] for u in issue.get("assignees", []))}


def _unassign(c, action):
    added = action.result.get("added", [])
    if added:
        c.remove_assignees(_number(action.target), added)
    return {"unassigned": added}


operation("github.assign", read_before=_issue_state, apply=_assign, undo=_unassign)


def _comment(c, target, params, before):
    comment = c.comment(_number(target), params["body"])
    return {"comment_id": comment["id"], "url": comment.get("html_url", "")}


def _delete_comment(c, action):
    comment_id = (action.result or {}).get("comment_id")
    if not comment_id:
        raise CannotUndo("The comment's id was not recorded, so it cannot be found to delete.")
    c.delete_comment(comment_id)
    return {"deleted_comment": comment_id}


operation("github.comment", read_before=lambda c, t, p: {}, apply=_comment, undo=_delete_comment)
