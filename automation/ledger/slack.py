"""Slack operations of the ledger: post a message (undo: delete it) and update one (undo: put the
previous text back). Targets are "channel" for a post and "channel:ts" for an update."""

from automation.ledger.operations import CannotUndo, operation


def _post(c, target, params, before):
    return c.post_message(target, params["text"], params.get("blocks"), params.get("thread_ts"))


def _delete_posted(c, action):
    if not (action.result or {}).get("ts"):
        raise CannotUndo("It was posted through an incoming webhook, which cannot delete messages.")
    c.delete_message(action.result["channel"], action.result["ts"])
    return {"deleted": True}


operation("slack.post", read_before=lambda c, target, params: {}, apply=_post, undo=_delete_posted)


def _message(c, target, params) -> dict:
    channel, ts = target.split(":", 1)
    messages = (
        c.get("/conversations.history", params={"channel": channel, "latest": ts, "inclusive": "true", "limit": 1})
        .json()
        .get("messages", [])
    )
    found = next((m for m in messages if m.get("ts") == ts), None)
    return {"text": found.get("text", ""), "blocks": found.get("blocks")} if found else {}


def _update(c, target, params, before):
    channel, ts = target.split(":", 1)
    return c.update_message(channel, ts, params["text"], params.get("blocks"))


def _restore(c, action):
    if "text" not in (action.before or {}):
        raise CannotUndo("The message's previous text could not be read before the update.")
    channel, ts = action.target.split(":", 1)
    return c.update_message(channel, ts, action.before["text"], action.before.get("blocks"))


operation("slack.update", read_before=_message, apply=_update, undo=_restore)
