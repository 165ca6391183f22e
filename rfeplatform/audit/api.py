"""Read-only API for the audit log: /api/v1/audit-events/."""

from django_filters import rest_framework as filters
from rest_framework import serializers

from rfeplatform.audit.models import AuditEvent, Source
from rfeplatform.tenancy.api import TenantReadOnlyViewSet


class AuditEventSerializer(serializers.ModelSerializer):
    changed_fields = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created",
            "actor",
            "actor_name",
            "source",
            "team",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "changed_fields",
            "request_id",
        ]
        read_only_fields = fields


class AuditEventFilter(filters.FilterSet):
    team = filters.NumberFilter(field_name="team_id")
    object_type = filters.CharFilter(help_text="app_label.model, e.g. customers.customer")
    object_id = filters.CharFilter()
    actor = filters.CharFilter(field_name="actor_name", help_text="Username or system actor name.")
    actor_id = filters.NumberFilter(field_name="actor_id")
    source = filters.ChoiceFilter(choices=Source.choices)
    action = filters.CharFilter()
    request_id = filters.CharFilter()
    since = filters.IsoDateTimeFilter(field_name="created", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="created", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["team", "object_type", "object_id", "actor", "actor_id", "source", "action", "request_id"]


class AuditEventViewSet(TenantReadOnlyViewSet):
    """Who changed what, in your teams. Events without a team (sign-ins) are visible to superusers."""

    model = AuditEvent
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
