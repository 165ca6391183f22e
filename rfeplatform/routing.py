"""WebSocket routes. Every consumer derives from tenancy.consumers.TenantConsumer."""

websocket_urlpatterns: list = []
