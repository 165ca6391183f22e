"""Action: one automated write to an outside system, recorded before it happens so it can be undone."""

from django.conf import settings
from django.db import models

from rfeplatform.tenancy.models import TenantModel


class ActionState(models.TextChoices):
    PLANNED = "planned", "Planned"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"
    UNDONE = "undone", "Undone"
    UNDO_FAILED = "undo-failed", "Undo failed"


class Action(TenantModel):
    """An outside write (GitHub close, JIRA transition, Slack post, portal publish, ...) with the
    state read from the upstream before it, the result, and what undoing it did."""

    team = models.ForeignKey("customers.Team", on_delete=models.CASCADE, related_name="actions")
    connection = models.ForeignKey("automation.Connection", on_delete=models.PROTECT, related_name="actions")
    operation = models.CharField(max_length=64, db_index=True, help_text="e.g. github.close_issue")
    target = models.CharField(max_length=300, help_text="What it acts on, e.g. rfeplatform/demo#12.")
    params = models.JSONField(default=dict, blank=True)
    before = models.JSONField(null=True, blank=True, help_text="The upstream state read before applying.")
    result = models.JSONField(null=True, blank=True)
    undo_result = models.JSONField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=ActionState.choices, default=ActionState.PLANNED, db_index=True)
    error = models.TextField(blank=True)
    run = models.ForeignKey(
        "automation.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=200)
    applied_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "idempotency_key"], name="action_idempotency_key_unique_per_team")
        ]

    def __str__(self):
        return f"{self.operation} {self.target} ({self.state})"
