"""The relay: in the embedded default, the ASGI process reads new events from the table and sends
them on its in-memory channel layer, because no other process can reach that layer.

One relay runs per event loop (that is, per ASGI process), started by the first connection that
needs it and stopped when the last one leaves, so an idle server does not poll. It starts at the
newest id at that moment; each connection catches up on anything older by itself (see catchup),
having joined its groups before the relay's start point was read, so nothing falls between the two.
Several ASGI processes each run their own relay for their own clients: that scales without Redis.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from itertools import groupby

from channels.db import database_sync_to_async
from django.conf import settings

from rfeplatform.events.delivery import ROW_FIELDS, group_message, wire_event
from rfeplatform.events.models import Event

logger = logging.getLogger(__name__)

# Seconds between polls; the added latency is half of it on average. 0.2 s keeps p95 under 500 ms
# for 500 tabs (bench/events_fanout.py) at 5 cheap indexed queries a second, and only while
# someone is connected.
DEFAULT_INTERVAL = 0.2
BATCH_SIZE = 500
RETRY_AFTER = 2.0  # seconds, after a failed poll (database locked, restarted...)

_relays: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Relay] = weakref.WeakKeyDictionary()


def relay_for(layer) -> Relay:
    """The relay of the running event loop, created on first use."""
    loop = asyncio.get_running_loop()
    relay = _relays.get(loop)
    if relay is None:
        relay = _relays[loop] = Relay(layer)
    return relay


class Relay:
    """Polls `Event` for ids above the last one relayed and `group_send`s them per team."""

    def __init__(self, layer, *, interval: float | None = None):
        self.layer = layer
        self.interval = (
            interval if interval is not None else getattr(settings, "EVENT_RELAY_INTERVAL", DEFAULT_INTERVAL)
        )
        # Weak: a consumer that crashed without disconnect() still stops counting once collected.
        self.subscribers: weakref.WeakSet = weakref.WeakSet()
        self.last_id = 0
        self.team_last: dict[int, int] = {}  # each team's newest relayed id: the next one's `prev`
        self._task: asyncio.Task | None = None
        self._started: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def attach(self, consumer) -> None:
        """Count a connection in, starting the relay if needed; returns once the relay's start point
        is fixed, so that the caller's catch-up query, which follows, covers everything below it."""
        self.subscribers.add(consumer)
        if not self.running:
            self._started = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run(self._started), name="events-relay")
        await self._started.wait()

    def detach(self, consumer) -> None:
        """Count a connection out; the last one out stops the relay."""
        self.subscribers.discard(consumer)
        if not self.subscribers:
            self._stop()

    def _stop(self) -> None:
        # No await between the check for subscribers and this: no connection can attach in between,
        # so a new connection always finds either a running relay or none, never a dying one.
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self, started: asyncio.Event) -> None:
        try:
            while True:
                try:
                    self.last_id = await database_sync_to_async(Event.newest_id)()
                    self.team_last = {}
                    break
                except Exception:
                    logger.exception("events relay: cannot read the newest event id; retrying")
                    await asyncio.sleep(RETRY_AFTER)
        finally:
            started.set()  # also when cancelled, so that no connection waits forever
        while True:
            try:
                count = await self.poll()
            except Exception:
                logger.exception("events relay: poll failed; retrying")
                await asyncio.sleep(RETRY_AFTER)
                continue
            if not self.subscribers:  # the last ones crashed instead of detaching
                self._task = None
                return
            if count < BATCH_SIZE:
                await asyncio.sleep(self.interval)

    async def poll(self) -> int:
        """Send the events committed since the last poll, one message per team; returns how many."""
        rows = await database_sync_to_async(_rows_after)(self.last_id)
        # Runs of consecutive rows per team, in id order: a member of several teams receives them in
        # the order they committed, so its resume cursor (the highest id seen) never skips one.
        for team_id, team_rows in groupby(rows, key=lambda row: row["team_id"]):
            events = []
            for row in team_rows:
                events.append(wire_event(row, prev=self.team_last.get(team_id)))
                self.team_last[team_id] = row["id"]
            group, message = group_message(team_id, events)
            await self.layer.group_send(group, message)
        if rows:
            self.last_id = rows[-1]["id"]
        return len(rows)


def _rows_after(last_id: int) -> list[dict]:
    # Every team's events: tenancy is enforced by sending each one only to its own team's group.
    return list(
        Event.objects.dangerously_unscoped().filter(id__gt=last_id).order_by("id").values(*ROW_FIELDS)[:BATCH_SIZE]
    )
