"""JobRun (one execution of a job for a team) and JobSchedule (when a job runs for a team)."""

from django.conf import settings
from django.db import models

from rfeplatform.tenancy.models import TenantModel

LOG_LIMIT = 500  # lines kept per run; older lines are dropped first


class State(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED_LOCKED = "skipped-locked", "Skipped (already running)"


FINISHED = {State.SUCCEEDED, State.FAILED, State.CANCELLED, State.SKIPPED_LOCKED}


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    MANUAL = "manual", "Manual"
    API = "api", "API"
    WEBHOOK = "webhook", "Webhook"


def empty_counts() -> dict:
    return {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}


class JobRun(TenantModel):
    """One run of a job for a team: its state, progress, counts, error and a bounded log. Progress
    and log churn is not audited; creation and state changes are."""

    audit_ignore_fields = ("progress", "progress_message", "log", "counts", "started_at", "q_task_id")

    team = models.ForeignKey("customers.Team", on_delete=models.CASCADE, related_name="job_runs")
    job = models.CharField(max_length=100, db_index=True)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=300, blank=True)
    counts = models.JSONField(default=empty_counts)
    error = models.TextField(blank=True)
    log = models.JSONField(default=list, blank=True)
    cancel_requested = models.BooleanField(default=False)
    q_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["team", "job", "-id"])]

    def __str__(self):
        return f"{self.job} #{self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class JobSchedule(TenantModel):
    """When a job runs for a team: a cron expression in the team's time zone, editable by the team's
    managers, who can also pause it. Mirrored into a django-q2 Schedule row, which the qcluster
    scheduler fires."""

    team = models.ForeignKey("customers.Team", on_delete=models.CASCADE, related_name="job_schedules")
    job = models.CharField(max_length=100)
    cron = models.CharField(max_length=100, help_text="Cron expression, in the team's time zone.")
    paused = models.BooleanField(default=False)
    q_schedule = models.OneToOneField(
        "django_q.Schedule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["team__name", "job"]
        constraints = [models.UniqueConstraint(fields=["team", "job"], name="job_schedule_unique_per_team")]

    def __str__(self):
        return f"{self.job} for {self.team} ({'paused' if self.paused else self.cron})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from automation.jobs.registry import JOBS
        from automation.jobs.schedules import validate_cron

        if self.job not in JOBS:
            raise ValidationError({"job": f"Unknown job. Known: {', '.join(sorted(JOBS))}."})
        validate_cron(self.cron)
