"""Portal operation of the ledger: publish a customer page (undo: restore the previous version).
The target is the customer's account number."""

from automation.ledger.operations import CannotUndo, operation


def _page(c, target, params) -> dict:
    page = c.page(target)
    return {"version": page["version"] if page else 0}


def _publish(c, target, params, before):
    page = c.publish_page(target, params["body"], based_on=before["version"], comment=params.get("comment", ""))
    return {"version": page["version"]}


def _restore(c, action):
    previous = (action.before or {}).get("version", 0)
    if previous == 0:
        raise CannotUndo("There was no page before this publish; there is no version to restore.")
    page = c.restore_page(action.target, previous, current=action.result["version"])
    return {"restored": previous, "version": page["version"]}


operation("portal.publish", read_before=_page, apply=_publish, undo=_restore)
