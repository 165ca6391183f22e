"""/api/v1/actions/: the action ledger; POST /{id}/undo/ performs the compensating operation."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from automation.ledger.operations import CannotUndo
from automation.ledger.services import action_undo
from automation.models import Action, ActionState
from rfeplatform.tenancy.api import TenantReadOnlyViewSet
from rfeplatform.tenancy.roles import Role


class ActionSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id", "team", "connection", "operation", "target", "params", "before", "result", "undo_result",
            "state", "error", "run", "actor", "idempotency_key", "applied_at", "undone_at", "created",
        ]  # fmt: skip
        read_only_fields = fields


class ActionFilter(filters.FilterSet):
    team = filters.NumberFilter(field_name="team_id")
    run = filters.NumberFilter(field_name="run_id")
    state = filters.ChoiceFilter(choices=ActionState.choices)
    operation = filters.CharFilter()

    class Meta:
        model = Action
        fields = ["team", "run", "state", "operation"]


class ActionViewSet(TenantReadOnlyViewSet):
    """Outside writes made by the platform, with their before state. Engineers and managers undo them."""

    model = Action
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    write_role = Role.ENGINEER
    select_related = ("actor",)

    @extend_schema(request=None, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        ledger_action = self.get_object()
        self.check_team_role(ledger_action)
        try:
            return Response(ActionSerializer(action_undo(ledger_action, actor=request.user)).data)
        except CannotUndo as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error
