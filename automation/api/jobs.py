"""/api/v1/jobs/: job runs; POST triggers a run, POST /{id}/cancel/ cancels one."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from automation.api.actions import ActionSerializer
from automation.jobs.registry import JOBS
from automation.jobs.runner import enqueue, request_cancel
from automation.ledger.services import run_undo
from automation.models.jobs import JobRun, State, Trigger
from customers.models import Team
from rfeplatform.api.serializers import StrictSerializer
from rfeplatform.tenancy.api import TenantModelViewSet
from rfeplatform.tenancy.roles import Role, has_role


class JobRunSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = JobRun
        fields = [
            "id", "team", "job", "trigger", "state", "actor", "created", "started_at", "finished_at",
            "progress", "progress_message", "counts", "error", "log", "cancel_requested",
        ]  # fmt: skip
        read_only_fields = fields


class JobTriggerSerializer(StrictSerializer):
    job = serializers.ChoiceField(choices=[])
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = sorted(JOBS)


class JobRunFilter(filters.FilterSet):
    team = filters.NumberFilter(field_name="team_id")
    job = filters.CharFilter()
    state = filters.ChoiceFilter(choices=State.choices)
    trigger = filters.ChoiceFilter(choices=Trigger.choices)

    class Meta:
        model = JobRun
        fields = ["team", "job", "state", "trigger"]


class JobRunViewSet(TenantModelViewSet):
    """Job runs of your teams. Engineers and managers start runs (`POST`) and cancel them."""

    model = JobRun
    serializer_class = JobRunSerializer
    filterset_class = JobRunFilter
    write_role = Role.ENGINEER
    select_related = ("actor",)
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=JobTriggerSerializer, responses={202: JobRunSerializer})
    def create(self, request, *args, **kwargs):
        trigger = JobTriggerSerializer(data=request.data, context={"request": request})
        trigger.is_valid(raise_exception=True)
        team = trigger.validated_data["team"]
        if not has_role(request.user, team.pk, self.write_role):
            raise PermissionDenied("Starting jobs needs the engineer role in this team.")
        run = enqueue(trigger.validated_data["job"], team=team, trigger=Trigger.API, actor=request.user)
        return Response(JobRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=ActionSerializer(many=True))
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Undo every applied action of this run (newest first)."""
        run = self.get_object()
        self.check_team_role(run)
        return Response(ActionSerializer(run_undo(run, actor=request.user), many=True).data)

    @extend_schema(request=None, responses=JobRunSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        run = self.get_object()
        self.check_team_role(run)
        return Response(JobRunSerializer(request_cancel(run)).data)
