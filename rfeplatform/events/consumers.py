"""`/ws/events/`: a browser's live feed of its teams' events, with catch-up on reconnect.

Protocol (see also events.js):
- Connect to `/ws/events/` with the session cookie. Query parameters, both optional:
  `after=<id>`, the last event id the client saw (replay what it missed); `topics=<p1>,<p2>`, topic
  prefixes to receive (e.g. `incident.,job.`; default: all). To change topics, reconnect.
- The server sends, in order: `{"type": "gap", "after": a, "before": b}` if events between those
  ids may have been missed (reload the page's data); the missed events; `{"type": "ready",
  "last_id": n, "teams": [...]}`, whose `last_id` is the cursor to resume from even if no event
  came; then live events as they happen. An event is `{"id", "topic", "team", "payload",
  "created"}`; control messages have a "type" and no "id".
- The client may send `{"type": "ping"}` and gets `{"type": "pong"}` (browsers cannot send
  WebSocket pings, and a page wants to notice a dead connection itself).
- Close codes: 4401 not signed in (or signed out since), 4400 invalid query parameters; the
  client should not reconnect after either. A foreign Origin is refused at the handshake.
- Pings also let the server re-check the session and teams (every EVENT_RECHECK_SECONDS) on a
  connection that receives no events.
"""

from __future__ import annotations

import json
from importlib import import_module
from time import monotonic

from channels.auth import get_user
from channels.db import database_sync_to_async
from django.conf import settings

from rfeplatform.events.catchup import DEFAULT_CATCHUP_LIMIT, catch_up, missed_events
from rfeplatform.events.delivery import MESSAGE_TYPE, uses_relay
from rfeplatform.events.relay import relay_for
from rfeplatform.events.subscription import InvalidSubscription, Subscription
from rfeplatform.tenancy.consumers import TenantConsumer, team_group

# How often (seconds, checked when events or pings arrive) a connection re-reads its session and
# teams: a user signed out, deactivated or removed from a team stops receiving their events by then.
DEFAULT_RECHECK_SECONDS = 60


class EventsConsumer(TenantConsumer):
    """Sends the events of the user's teams (TenantConsumer joined their groups), after a catch-up
    from the table, each event at most once per connection."""

    subscription: Subscription | None = None
    relay = None

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            # Refused all the same, but after the handshake: a browser sees the 4401 close code
            # (a refused handshake is an anonymous 1006) and stops reconnecting.
            await self.accept()
            await self.close(code=4401)
            return
        await super().connect()

    async def on_connected(self):
        try:
            subscription = Subscription.from_query_string(self.scope.get("query_string", b""))
        except InvalidSubscription as error:
            await self.send_json({"type": "error", "detail": str(error)})
            await self.close(code=4400)
            return
        if uses_relay(self.channel_layer):
            self.relay = relay_for(self.channel_layer)
            await self.relay.attach(self)
        limit = getattr(settings, "EVENT_CATCHUP_LIMIT", DEFAULT_CATCHUP_LIMIT)
        result = await database_sync_to_async(catch_up)(self.scope["user"], self.team_ids, subscription, limit=limit)
        if result.gap is not None:
            await self.send_json({"type": "gap", "after": result.gap[0], "before": result.gap[1]})
        for text in result.texts:
            await self.send(text_data=text)
        if subscription.after is not None:
            subscription.floor = result.last_id  # live copies of what the catch-up covered
        subscription.team_last = dict(result.team_highs)
        self.subscription, self.checked_at = subscription, monotonic()
        await self.send_json({"type": "ready", "last_id": result.last_id, "teams": sorted(self.team_ids)})

    async def disconnect(self, code):
        await super().disconnect(code)
        if self.relay is not None:
            self.relay.detach(self)
            self.relay = None

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            message = json.loads(text_data or "null")
        except ValueError:
            return
        if isinstance(message, dict) and message.get("type") == "ping" and await self.still_allowed():
            await self.send_json({"type": "pong"})

    async def dispatch(self, message):
        # Channels closes stale database connections (a hop to a worker thread) before every
        # handler. Delivering events rarely touches the database, and then through
        # database_sync_to_async, which does the same itself; it runs once per open tab per batch
        # of events, and skipping the hop takes most of the fan-out's cost off the server.
        if message["type"] == MESSAGE_TYPE:
            await self.events_deliver(message)
        else:
            await super().dispatch(message)

    async def events_deliver(self, message):
        """A batch of one team's events, from the relay or from the emitting process."""
        if not await self.still_allowed():
            return
        subscription = self.subscription
        for event in message["events"]:
            team_id = event["team"]
            if team_id not in self.team_ids:
                continue  # repeats the group's check; also covers the moments around a recheck
            missed_since = subscription.missed_since(team_id, event["prev"])
            if missed_since is not None:
                await self.send_missed(team_id, missed_since, event["id"])
            if subscription.admit(event["id"], event["topic"]):
                await self.send(text_data=event["text"])
            subscription.saw(team_id, event["id"])

    async def send_missed(self, team_id: int, after: int, before: int):
        """Send from the table the team's events the live stream skipped, before the one that showed it."""
        limit = getattr(settings, "EVENT_CATCHUP_LIMIT", DEFAULT_CATCHUP_LIMIT)
        topics = self.subscription.topics
        missed = await database_sync_to_async(missed_events)(
            self.scope["user"], team_id, after, before, topics, limit=limit
        )
        for event_id, topic, text in missed:
            if self.subscription.admit(event_id, topic):
                await self.send(text_data=text)
            self.subscription.saw(team_id, event_id)

    async def still_allowed(self) -> bool:
        """False once the connection is closed; re-checks the session and teams when that is due.
        Called on every delivery and on the client's pings, so an idle connection rechecks too."""
        if self.subscription is None:
            return False
        if monotonic() - self.checked_at < getattr(settings, "EVENT_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS):
            return True
        return await self.recheck_membership()

    async def recheck_membership(self) -> bool:
        """Re-read the session and the user's teams; leave the groups of teams they left and (re)join
        the others. Re-joining also renews the membership that channel layers expire after a day
        (`group_expiry`), which would otherwise silence a connection left open that long."""
        self.checked_at = monotonic()
        user = await signed_in_user(self.scope)
        if user is None:
            self.subscription = None
            await self.close(code=4401)
            return False
        team_ids = await self.load_team_ids(user)
        for team_id in set(self.team_ids) - set(team_ids):
            await self.channel_layer.group_discard(team_group(team_id), self.channel_name)
        for team_id in team_ids:
            await self.channel_layer.group_add(team_group(team_id), self.channel_name)
        self.team_ids = team_ids
        return True


async def signed_in_user(scope):
    """The connection's user as a fresh read of its session finds them now (signed out, expired,
    password changed or deactivated: None). The scope's own session was loaded once, at connect."""
    session = scope.get("session")
    key = getattr(session, "session_key", None)
    if key is None:
        return None
    fresh = import_module(settings.SESSION_ENGINE).SessionStore(key)
    user = await get_user({"session": fresh})
    if not user.is_authenticated or not user.is_active or user.pk != scope["user"].pk:
        return None
    return user
