"""The registry of ledger operations. An operation knows how to read the upstream state it is about
to change, how to apply the change, and how to compensate for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class CannotUndo(Exception):
    """This action cannot be undone; the message says why."""


@dataclass(frozen=True)
class Operation:
    name: str
    read_before: Callable  # (connector, target, params) -> dict
    apply: Callable  # (connector, target, params, before) -> dict
    undo: Callable | None  # (connector, action) -> dict; None: not undoable (say why in `why_not`)
    why_not: str = ""


OPERATIONS: dict[str, Operation] = {}


def operation(name: str, *, read_before, apply, undo=None, why_not: str = "") -> Operation:
    OPERATIONS[name] = Operation(name, read_before, apply, undo, why_not)
    return OPERATIONS[name]


def load_all() -> None:
    """Import every vendor's operations (they register themselves)."""
    from automation.ledger import github, jira, portal, slack  # noqa: F401
