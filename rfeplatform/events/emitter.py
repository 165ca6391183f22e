"""`emit()`: how services tell browsers that something changed, once their transaction commits.

The event is persisted first and delivered second, so the table is the one source of truth: a
browser that missed the live message (offline, reconnecting, a dropped message) reads it back with
`?after=<id>`. Persisting happens in the on-commit callback, in its own short transaction, rather
than inside the caller's transaction: that keeps the id-ordering lock below out of long
transactions, and an event is never visible before the change it announces.
"""

from __future__ import annotations

import json
import re
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from rfeplatform.events.delivery import ROW_FIELDS, group_message, uses_relay, wire_event
from rfeplatform.events.models import Event

# Dotted, lower-case names; the client filters by prefix (`?topics=incident.,job.`).
TOPIC = re.compile(r"[a-z0-9][a-z0-9_.-]{0,99}")
# Events say what changed, not the whole object: a page fetches details it needs. The limit keeps a
# burst of events well inside the channel layer's message size and the browser's patience.
DEFAULT_PAYLOAD_MAX_BYTES = 32 * 1024
# Any fixed 64-bit number, the same in every process: the PostgreSQL advisory lock that makes ids
# commit in order ("rfeevent" in ASCII).
ID_ORDER_LOCK = 0x7266656576656E74


def emit(topic: str, *, team, payload: dict | None = None, using: str | None = None) -> None:
    """Announce `topic` to the members of `team` (a Team or its id) when the current transaction
    commits; at once when there is none. Nothing is sent if the transaction rolls back.

    Callable from any process (web, qcluster worker, management command) and from sync code only
    (wrap it in `sync_to_async` in async code, as any ORM call). Invalid arguments raise here, in
    the caller, rather than later in a callback whose errors are only logged.
    """
    team_id = getattr(team, "pk", team)
    if not isinstance(team_id, int) or isinstance(team_id, bool):
        raise TypeError(f"team must be a Team or a team id, not {team!r}")
    if not isinstance(topic, str) or not TOPIC.fullmatch(topic):
        raise ValueError(f"invalid event topic {topic!r}: use lower-case dotted names like 'incident.created'")
    data = _normalised(payload)
    # robust: a failure to publish is logged and never turns a committed change into an error.
    transaction.on_commit(partial(publish, topic, team_id, data, using=using), using=using, robust=True)


def publish(topic: str, team_id: int, payload: dict, *, using: str | None = None) -> Event:
    """The on-commit half of `emit`: persist, then (with a shared channel layer) send."""
    event = store(topic, team_id, payload, using=using)
    if not uses_relay():
        # The row is committed before any browser hears of it, so a browser that reconnects and
        # asks for `after=<this id>` can never be told about an event it then cannot find.
        row = {field: getattr(event, field) for field in ROW_FIELDS}
        group, message = group_message(team_id, [wire_event(row, prev=event.previous_id)])
        async_to_sync(get_channel_layer().group_send)(group, message)
    return event


def store(topic: str, team_id: int, payload: dict, *, using: str | None = None) -> Event:
    """Insert one event so that ids commit in increasing order; `previous_id` is set on the result
    to the id of the team's previous event (see delivery.wire_event).

    Readers resume from "ids above the last one seen". On PostgreSQL two transactions can take ids
    10 and 11 and commit 11 first; a reader that saw 11 would then skip 10 forever. Taking one
    advisory lock per insert (held until commit, for a single-row transaction) makes id order and
    commit order the same, and makes the team's newest id, read under it, the true predecessor.
    SQLite needs no lock: a writer holds the database's only write lock until its commit.
    """
    alias = using or DEFAULT_DB_ALIAS
    with transaction.atomic(using=alias):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ID_ORDER_LOCK])
        previous_id = Event.newest_id(team_id=team_id, using=alias) or None
        event = Event(team_id=team_id, topic=topic, payload=payload)
        event.save(force_insert=True, using=alias)
    event.previous_id = previous_id
    return event


def _normalised(payload) -> dict:
    """The payload as the browser will see it (dates as ISO strings...), checked now and copied, so
    a caller that changes its dict after `emit` does not change the event."""
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise TypeError(f"event payload must be a dict, not {type(payload).__name__}")
    encoded = json.dumps(payload, cls=DjangoJSONEncoder)
    limit = getattr(settings, "EVENT_PAYLOAD_MAX_BYTES", DEFAULT_PAYLOAD_MAX_BYTES)
    if len(encoded.encode()) > limit:
        raise ValueError(f"event payload is {len(encoded.encode())} bytes, over the {limit}-byte limit")
    return json.loads(encoded)
