"""WebSocket routes. Every consumer derives from tenancy.consumers.TenantConsumer."""

from django.urls import path

from rfeplatform.events.consumers import EventsConsumer

websocket_urlpatterns: list = [
    path("ws/events/", EventsConsumer.as_asgi()),
]
