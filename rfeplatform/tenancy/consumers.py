"""The WebSocket base: a consumer joins only its user's teams' groups, named per team."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from rfeplatform.tenancy.roles import Role, member_team_ids


def team_group(team_id: int) -> str:
    """The channel-layer group that carries one team's live events."""
    return f"team-{team_id}"


class TenantConsumer(AsyncJsonWebsocketConsumer):
    """Accepts authenticated users only and subscribes them to the groups of the teams they belong
    to (superusers: every team), never another team's. Subclasses handle messages; the team ids are
    in `self.team_ids`."""

    min_role: Role = Role.VIEWER

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.team_ids = await self.load_team_ids(user)
        for team_id in self.team_ids:
            await self.channel_layer.group_add(team_group(team_id), self.channel_name)
        await self.accept()
        await self.on_connected()

    async def disconnect(self, code):
        for team_id in getattr(self, "team_ids", ()):
            await self.channel_layer.group_discard(team_group(team_id), self.channel_name)

    async def on_connected(self):
        """Hook for subclasses (e.g. to send a catch-up)."""

    @database_sync_to_async
    def load_team_ids(self, user) -> list[int]:
        from customers.models import Team

        if user.is_superuser:
            return list(Team.objects.dangerously_unscoped().values_list("pk", flat=True))
        return list(member_team_ids(user, self.min_role).values_list("team_id", flat=True))
