from django_filters import rest_framework as filters

from automation.api.serializers import ConnectionSerializer
from automation.connection_kinds import Kind
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


class ConnectionViewSet(TenantModelViewSet):
    """Your teams' connections to outside systems. Managers only; secrets are write-only."""

    model = Connection
    serializer_class = ConnectionSerializer
    filterset_class = ConnectionFilter
    read_role = Role.MANAGER
    write_role = Role.MANAGER
