"""The WebSocket base: authenticated users only, subscribed to their own teams' groups only."""

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.urls import path

from rfeplatform.tenancy.consumers import TenantConsumer, team_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


class EchoConsumer(TenantConsumer):
    """The smallest real consumer: forwards team events to the browser."""

    async def team_event(self, message):
        await self.send_json(message["payload"])


application = AuthMiddlewareStack(URLRouter([path("ws/test/", EchoConsumer.as_asgi())]))


async def connect(user):
    communicator = WebsocketCommunicator(application, "/ws/test/")
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_anonymous_is_refused():
    _, connected, code = await connect(AnonymousUser())
    assert not connected and code == 4401


async def test_member_gets_own_team_events_only(team_a, team_b, viewer_a):
    communicator, connected, _ = await connect(viewer_a)
    assert connected
    layer = get_channel_layer()
    await layer.group_send(team_group(team_b.pk), {"type": "team.event", "payload": {"team": "bravo"}})
    await layer.group_send(team_group(team_a.pk), {"type": "team.event", "payload": {"team": "alpha"}})
    assert await communicator.receive_json_from(timeout=2) == {"team": "alpha"}
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_outsider_joins_no_group(team_a, outsider):
    communicator, connected, _ = await connect(outsider)
    assert connected
    await get_channel_layer().group_send(team_group(team_a.pk), {"type": "team.event", "payload": {"x": 1}})
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_inactive_user_is_refused(viewer_a):
    viewer_a.is_active = False
    await sync_to_async(viewer_a.save)()
    _, connected, code = await connect(viewer_a)
    assert not connected and code == 4401
