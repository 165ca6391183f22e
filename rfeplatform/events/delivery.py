"""How a persisted event travels to consumers: which path carries it, and the message it travels in.

There are two paths, and exactly one applies to a process, decided by its channel layer:
- a layer shared between processes (Redis): the emitting process `group_send`s the event itself
  right after the row commits, and no relay runs;
- the in-memory layer (embedded default): a `group_send` from a worker process would reach nobody,
  so emitting only persists, and the relay in each ASGI process polls the table and sends on its
  own layer, for events emitted in that same process too.
Because both sides ask the same question of the same settings, an event never takes both paths.
"""

from __future__ import annotations

import json

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from rfeplatform.tenancy.consumers import team_group

# The consumer method that receives a batch of events: EventsConsumer.events_deliver.
MESSAGE_TYPE = "events.deliver"
# The columns every reader selects, in the shape `browser_json` takes.
ROW_FIELDS = ("id", "topic", "team_id", "payload", "created")


def uses_relay(layer=None) -> bool:
    """True when the channel layer does not reach other processes, so the ASGI process relays."""
    layer = layer if layer is not None else get_channel_layer()
    return layer is None or isinstance(layer, InMemoryChannelLayer)


def browser_json(row: dict) -> str:
    """The text frame a browser receives: {"id", "topic", "team", "payload", "created"}, from a row
    as `Event.objects.values(*ROW_FIELDS)` returns it."""
    body = {
        "id": row["id"],
        "topic": row["topic"],
        "team": row["team_id"],
        "payload": row["payload"],
        "created": row["created"].isoformat(),
    }
    return json.dumps(body, cls=DjangoJSONEncoder, separators=(",", ":"))


def wire_event(row: dict, *, prev: int | None) -> dict:
    """One event inside a group message. The browser's JSON is encoded once here, not once per
    connection: a team's 500 open tabs then cost 500 sends, not 500 encodings.

    `prev` is the id of the team's previous event (None: not known). It chains a team's events, so
    a consumer that receives an event whose predecessor it never got (a message dropped by a full
    or restarted channel layer, or overtaken by a later one) reads the missing ones from the table
    instead of leaving a hole until the next reconnection.
    """
    return {"id": row["id"], "team": row["team_id"], "topic": row["topic"], "prev": prev, "text": browser_json(row)}


def group_message(team_id: int, events: list[dict]) -> tuple[str, dict]:
    """(group, message) carrying a batch of one team's wire events to its consumers."""
    return team_group(team_id), {"type": MESSAGE_TYPE, "events": events}
