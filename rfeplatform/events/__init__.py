"""Live events: services announce changes, browsers of the team's members hear them at once.

- `emit(topic, team=..., payload=...)` (emitter) persists an `Event` when the caller's transaction
  commits and, with Redis, sends it on the channel layer from whichever process emitted it.
- Without Redis, a relay in the ASGI process (relay) reads new rows and sends them on its in-memory
  layer (delivery decides which path applies, so never both).
- `/ws/events/` (consumers) subscribes a signed-in user to their teams, replays what they missed
  since `?after=<id>` (catchup), then streams live events, each once (subscription).
- `prune_events()` (retention) deletes events past `EVENT_RETENTION_HOURS`.
- `layers.InMemoryChannelLayer`: an opt-in faster in-memory layer for many tabs per process.
- `static/rfeplatform/events.js` is the browser side; `client` the Python side (tests, benchmark).
"""

from rfeplatform.events.emitter import emit
from rfeplatform.events.retention import prune_events

__all__ = ["emit", "prune_events"]
