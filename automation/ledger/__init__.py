"""The action ledger: every automated write to an outside system is recorded before it is sent,
applied once (idempotency key), and can be undone by its compensating operation.

- `operations`: the registry of operations (read the before state, apply, undo).
- `github`, ...: the operations of each vendor.
- `services`: action_apply, action_undo, run_undo — the one implementation behind jobs, admin and API.
"""
