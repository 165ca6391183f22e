"""Applying and undoing ledger actions: the one implementation behind jobs, the admin and the API."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from automation.connectors import connector_for
from automation.connectors.errors import ConnectorError
from automation.ledger.operations import OPERATIONS, CannotUndo, load_all
from automation.models import Action, ActionState
from rfeplatform.audit import recorder
from rfeplatform.logging import redact


class UnknownOperation(ValueError):
    pass


def _operation(name: str):
    load_all()
    if name not in OPERATIONS:
        raise UnknownOperation(f"Unknown operation {name!r}.")
    return OPERATIONS[name]


def action_apply(
    *, connection, operation: str, target: str, params: dict, idempotency_key: str, run=None, actor=None
) -> Action:
    """Record the action, read the upstream state, apply the write once, store the result.

    A retry with the same idempotency key returns the action already applied instead of writing
    again; a planned or failed one is attempted again.
    """
    op = _operation(operation)
    team = connection.team
    try:
        with transaction.atomic():
            action, _ = Action.objects.for_team(team).get_or_create(
                team=team,
                idempotency_key=idempotency_key,
                defaults={
                    "connection": connection,
                    "operation": operation,
                    "target": target,
                    "params": params,
                    "run": run,
                    "actor": actor,
                },
            )
    except IntegrityError:  # a concurrent worker created it first
        action = Action.objects.for_team(team).get(idempotency_key=idempotency_key)
    if action.state in (ActionState.APPLIED, ActionState.UNDONE, ActionState.UNDO_FAILED):
        return action
    connector = connector_for(connection)
    try:
        # Recorded before the write: this is what undo restores.
        action.before = op.read_before(connector, target, params)
        action.save(update_fields=["before", "updated"])
        action.result = op.apply(connector, target, params, action.before)
    except ConnectorError as error:
        action.state, action.error = ActionState.FAILED, redact(error.message)[:2000]
        action.save(update_fields=["state", "error", "updated"])
        return action
    action.state, action.error, action.applied_at = ActionState.APPLIED, "", timezone.now()
    action.save(update_fields=["state", "result", "error", "applied_at", "updated"])
    return action


def action_undo(action: Action, *, actor=None) -> Action:
    """Perform the compensating operation. Raises CannotUndo with the reason when it cannot be done."""
    if action.state == ActionState.UNDONE:
        return action
    if action.state != ActionState.APPLIED and action.state != ActionState.UNDO_FAILED:
        raise CannotUndo(f"Only applied actions can be undone; this one is {action.state}.")
    op = _operation(action.operation)
    if op.undo is None:
        raise CannotUndo(op.why_not or f"{action.operation} has no compensating operation.")
    before = recorder.snapshot(action)
    try:
        action.undo_result = op.undo(connector_for(action.connection), action)
    except ConnectorError as error:
        action.state, action.error = ActionState.UNDO_FAILED, f"Undo failed: {redact(error.message)[:2000]}"
        action.save(update_fields=["state", "error", "updated"])
        return action
    except CannotUndo as error:
        action.state, action.error = ActionState.UNDO_FAILED, f"Cannot undo: {error}"
        action.save(update_fields=["state", "error", "updated"])
        raise
    action.state, action.undone_at, action.error = ActionState.UNDONE, timezone.now(), ""
    action.save(update_fields=["state", "undo_result", "undone_at", "error", "updated"])
    # Besides the row's own update event: an explicit "undo" event, so undos are easy to find.
    recorder.record("undo", action, before, recorder.snapshot(action))
    return action


def run_undo(run, *, actor=None) -> list[Action]:
    """Undo every applied action of a job run, newest first."""
    undone = []
    for action in Action.objects.for_team(run.team).filter(run=run, state=ActionState.APPLIED).order_by("-id"):
        try:
            undone.append(action_undo(action, actor=actor))
        except CannotUndo:
            undone.append(action)
    return undone
