from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from automation.api.serializers import ConnectionSerializer
from automation.connection_kinds import Kind
from automation.connectors.base import check_connection
from automation.models import Connection
from rfeplatform.tenancy.api import TenantModelViewSet
from rfeplatform.tenancy.roles import Role


class ConnectionFilter(filters.FilterSet):
    team = filters.NumberFilter(field_name="team_id")
    kind = filters.ChoiceFilter(choices=Kind.choices)
    enabled = filters.BooleanFilter()

    class Meta:
        model = Connection
        fields = ["team", "kind", "enabled"]


class ConnectionTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()


class ConnectionViewSet(TenantModelViewSet):
    """Your teams' connections to outside systems. Managers only; secrets are write-only."""

    model = Connection
    serializer_class = ConnectionSerializer
    filterset_class = ConnectionFilter
    read_role = Role.MANAGER
    write_role = Role.MANAGER

    @extend_schema(request=None, responses=ConnectionTestSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Make one real authenticated call and record the outcome (last success / last error)."""
        connection = self.get_object()
        self.check_team_role(connection)
        ok, message = check_connection(connection)
        return Response({"ok": ok, "message": message})
