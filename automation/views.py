"""Portal pages of the automation app: the team's job runs and schedules."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from automation.jobs.registry import JOBS
from automation.jobs.runner import enqueue, request_cancel
from automation.models import JobRun, JobSchedule
from automation.models.jobs import State, Trigger
from rfeplatform.tenancy.roles import Role, has_role
from rfeplatform.tenancy.views import team_view


@team_view()
def jobs(request):
    team = request.team
    state = request.GET.get("state", "")
    runs = JobRun.objects.for_team(team).select_related("actor").order_by("-id")
    if state:
        runs = runs.filter(state=state)
    schedules = {s.job: s for s in JobSchedule.objects.for_team(team).select_related("q_schedule")}
    context = {
        "runs": runs[:50],
        "state": state,
        "jobs": [(spec, schedules.get(name)) for name, spec in sorted(JOBS.items())],
        "can_run": has_role(request.user, team.pk, Role.ENGINEER),
        "state_choices": State.choices,
        "active_section": "jobs",
    }
    return render(request, "automation/jobs.html", context)


@team_view(min_role=Role.ENGINEER)
@require_POST
def job_run(request):
    name = request.POST.get("job", "")
    if name not in JOBS:
        raise Http404("No such job.")
    run = enqueue(name, team=request.team, trigger=Trigger.MANUAL, actor=request.user)
    messages.success(request, f"Started {name} (run #{run.pk}).")
    return redirect("automation:jobs", team=request.team.slug)


@team_view(min_role=Role.ENGINEER)
@require_POST
def job_cancel(request, pk):
    run = get_object_or_404(JobRun.objects.for_team(request.team), pk=pk)
    request_cancel(run)
    messages.success(request, f"Cancellation requested for run #{run.pk}.")
    return redirect("automation:jobs", team=request.team.slug)
