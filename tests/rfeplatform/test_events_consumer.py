"""`/ws/events/` in process, through the real ASGI application (origin check, session auth, routing):
catch-up then live without gaps or duplicates, topic filters, team isolation, membership rechecks.

Runs on whichever channel layer the settings give: the relay in this process delivers on the
in-memory layer, the emitting code itself on Redis."""

import asyncio
import gc

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client

from rfeplatform.asgi import application
from rfeplatform.events import emit
from rfeplatform.events.delivery import ROW_FIELDS, group_message, uses_relay, wire_event
from rfeplatform.events.emitter import store
from rfeplatform.events.models import Event
from rfeplatform.events.relay import Relay, relay_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

QUIET = 0.6  # longer than two relay polls: "nothing arrived" means nothing will


@pytest.fixture
def cookie_for():
    """A session cookie for a user, as the browser of a signed-in user sends it."""

    def make(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[django_settings.SESSION_COOKIE_NAME].value

    return make


async def connect(cookie: str | None, query: str = "", origin: bytes = b"http://127.0.0.1"):
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/events/{query}", headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def until_ready(communicator) -> tuple[list[dict], dict]:
    """Messages up to the "ready" one: (catch-up messages, ready)."""
    before = []
    while True:
        message = await communicator.receive_json_from(timeout=5)
        if message.get("type") == "ready":
            return before, message
        before.append(message)


async def emit_now(topic, team, **payload):
    """emit() from sync code, as services call it; with no transaction open it commits at once."""
    await database_sync_to_async(emit)(topic, team=team, payload=payload)


async def test_anonymous_and_foreign_origins_are_refused(viewer_a, cookie_for):
    communicator, connected, _ = await connect(None)
    # Accepted only to be closed with a code a browser can see, before any message.
    assert (await communicator.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4401}
    cookie = await database_sync_to_async(cookie_for)(viewer_a)
    _, connected, _ = await connect(cookie, origin=b"https://evil.example")
    assert not connected


async def test_live_events_of_own_team_only(team_a, team_b, viewer_a, cookie_for):
    communicator, connected, _ = await connect(await database_sync_to_async(cookie_for)(viewer_a))
    assert connected
    _, ready = await until_ready(communicator)
    assert ready["teams"] == [team_a.pk]
    await emit_now("incident.created", team_b, secret="bravo")
    await emit_now("incident.created", team_a, n=1)
    event = await communicator.receive_json_from(timeout=5)
    assert set(event) == {"id", "topic", "team", "payload", "created"}
    assert (event["topic"], event["team"], event["payload"]) == ("incident.created", team_a.pk, {"n": 1})
    assert event["id"] > ready["last_id"]
    assert await communicator.receive_nothing(timeout=QUIET)
    await communicator.disconnect()


async def test_catch_up_then_live_without_gap_or_duplicate(team_a, viewer_a, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(viewer_a)
    for n in range(3):
        await emit_now("job.progress", team_a, n=n)
    communicator, _, _ = await connect(cookie)
    _, ready = await until_ready(communicator)
    await communicator.disconnect()
    seen = ready["last_id"]

    # Missed while away: two events. Then reconnect from the cursor and keep emitting.
    await emit_now("job.progress", team_a, n=3)
    await emit_now("job.progress", team_a, n=4)
    communicator, _, _ = await connect(cookie, f"?after={seen}")
    catch_up, ready = await until_ready(communicator)
    assert [m["payload"]["n"] for m in catch_up] == [3, 4]
    assert ready["last_id"] == catch_up[-1]["id"]
    await emit_now("job.progress", team_a, n=5)
    live = await communicator.receive_json_from(timeout=5)
    assert live["payload"] == {"n": 5} and live["id"] > ready["last_id"]
    assert await communicator.receive_nothing(timeout=QUIET)
    await communicator.disconnect()


async def test_events_racing_the_catch_up_arrive_once(team_a, viewer_a, cookie_for):
    """Events emitted while connections are catching up: each connection gets every event once."""
    cookie = await database_sync_to_async(cookie_for)(viewer_a)
    await emit_now("job.progress", team_a, n=-1)
    start = await database_sync_to_async(Event.newest_id)()

    async def emitter():
        for n in range(20):
            await emit_now("job.progress", team_a, n=n)
            await asyncio.sleep(0.01)

    async def client():
        await asyncio.sleep(0.05)
        communicator, _, _ = await connect(cookie, f"?after={start}")
        received = []
        while len(received) < 20:
            message = await communicator.receive_json_from(timeout=5)
            if "id" in message:
                received.append(message["payload"]["n"])
        assert await communicator.receive_nothing(timeout=QUIET)
        await communicator.disconnect()
        return received

    results = await asyncio.gather(emitter(), client(), client(), client())
    for received in results[1:]:
        assert received == list(range(20))


async def test_an_event_the_layer_lost_is_read_back_from_the_table(team_a, viewer_a, cookie_for):
    """Two events commit but the layer carries only the second (a full or restarting layer drops
    messages): the second's `prev` shows the hole, and the first is sent from the table before it."""
    communicator, _, _ = await connect(await database_sync_to_async(cookie_for)(viewer_a))
    await until_ready(communicator)
    await database_sync_to_async(store)("job.lost", team_a.pk, {})
    kept = await database_sync_to_async(store)("job.kept", team_a.pk, {})
    row = {field: getattr(kept, field) for field in ROW_FIELDS}
    group, message = group_message(team_a.pk, [wire_event(row, prev=kept.previous_id)])
    await get_channel_layer().group_send(group, message)
    received = [await communicator.receive_json_from(timeout=5) for _ in range(2)]
    assert [m["topic"] for m in received] == ["job.lost", "job.kept"]
    assert await communicator.receive_nothing(timeout=QUIET)
    await communicator.disconnect()


async def test_topic_prefixes_filter_catch_up_and_live(team_a, viewer_a, cookie_for):
    cookie = await database_sync_to_async(cookie_for)(viewer_a)
    await emit_now("case.updated", team_a)
    await emit_now("incident.created", team_a)
    communicator, _, _ = await connect(cookie, "?after=0&topics=incident.,job.")
    catch_up, _ = await until_ready(communicator)
    assert [m["topic"] for m in catch_up if "id" in m] == ["incident.created"]
    await emit_now("case.updated", team_a)
    await emit_now("job.done", team_a)
    assert (await communicator.receive_json_from(timeout=5))["topic"] == "job.done"
    assert await communicator.receive_nothing(timeout=QUIET)
    await communicator.disconnect()


async def test_invalid_query_is_closed_with_4400(viewer_a, cookie_for):
    communicator, connected, _ = await connect(await database_sync_to_async(cookie_for)(viewer_a), "?after=abc")
    assert connected  # accepted, then told why and closed
    assert (await communicator.receive_json_from())["type"] == "error"
    assert (await communicator.receive_output())["code"] == 4400


async def test_ping_is_answered(viewer_a, cookie_for):
    communicator, _, _ = await connect(await database_sync_to_async(cookie_for)(viewer_a))
    await until_ready(communicator)
    await communicator.send_to(text_data="not json")
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_removed_member_stops_receiving_and_signed_out_user_is_closed(team_a, viewer_a, cookie_for, settings):
    settings.EVENT_RECHECK_SECONDS = 0
    cookie = await database_sync_to_async(cookie_for)(viewer_a)
    communicator, _, _ = await connect(cookie)
    await until_ready(communicator)
    from customers.models import Membership

    await database_sync_to_async(lambda: Membership.objects.filter(user=viewer_a).delete())()
    await emit_now("incident.created", team_a)
    assert await communicator.receive_nothing(timeout=QUIET)

    from django.contrib.sessions.models import Session

    await database_sync_to_async(lambda: Session.objects.filter(session_key=cookie).delete())()
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_output(timeout=5))["code"] == 4401


async def test_superuser_gets_every_team_in_commit_order(team_a, team_b, superuser, cookie_for):
    communicator, _, _ = await connect(await database_sync_to_async(cookie_for)(superuser))
    _, ready = await until_ready(communicator)
    assert set(ready["teams"]) >= {team_a.pk, team_b.pk}
    for n, team in enumerate([team_a, team_b, team_a, team_b]):
        await emit_now("job.progress", team, n=n)
    received = [await communicator.receive_json_from(timeout=5) for _ in range(4)]
    assert [m["payload"]["n"] for m in received] == [0, 1, 2, 3]
    assert [m["team"] for m in received] == [team_a.pk, team_b.pk, team_a.pk, team_b.pk]
    await communicator.disconnect()


async def test_relay_runs_only_on_the_in_memory_layer_and_only_while_needed(viewer_a, cookie_for):
    layer = get_channel_layer()
    cookie = await database_sync_to_async(cookie_for)(viewer_a)
    first, _, _ = await connect(cookie)
    await until_ready(first)
    second, _, _ = await connect(cookie)
    await until_ready(second)
    relay = relay_for(layer)
    assert relay.running == uses_relay(layer)
    await first.disconnect()
    assert relay.running == uses_relay(layer)
    await second.disconnect()
    assert not relay.running


async def test_relay_stops_when_its_last_connection_vanished_without_disconnecting():
    layer = get_channel_layer()
    if not uses_relay(layer):
        pytest.skip("no relay with a shared channel layer")

    class CrashedConsumer:
        pass

    relay = Relay(layer, interval=0.01)
    consumer = CrashedConsumer()
    await relay.attach(consumer)
    assert relay.running
    del consumer
    gc.collect()
    for _ in range(100):
        if not relay.running:
            break
        await asyncio.sleep(0.02)
    assert not relay.running
