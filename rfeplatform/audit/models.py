"""AuditEvent: who changed what, when, from where, with the before and after state."""

from django.conf import settings
from django.db import models

from rfeplatform.tenancy.scope import TenantManager, TenantQuerySet


class Source(models.TextChoices):
    ADMIN = "admin", "Admin"
    API = "api", "API"
    PORTAL = "portal", "Portal"
    JOB = "job", "Job"
    WEBHOOK = "webhook", "Webhook"
    SYSTEM = "system", "System (command line)"


class AuditEventImmutable(Exception):
    """Audit events are append-only."""


class AuditEventQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        raise AuditEventImmutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditEventImmutable("Audit events cannot be deleted.")

    _raw_delete = delete


class AuditEvent(models.Model):
    """One change to a platform object (or an authentication event), as it happened. Append-only:
    the model, its querysets and (on PostgreSQL and SQLite) a database trigger refuse updates."""

    tenant_path = "team"

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # Kept as plain ids without database constraints: the record outlives the user and the team.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, help_text="Username, or the system actor (job:…, webhook:…).")
    source = models.CharField(max_length=16, choices=Source.choices)
    team = models.ForeignKey(
        "customers.Team",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=32, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = TenantManager.from_queryset(AuditEventQuerySet)()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["team", "-id"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor_name"]),
        ]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEventImmutable("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutable("Audit events cannot be deleted.")

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        # "updated" is the row's own timestamp: it changes with every save and says nothing.
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k) and k != "updated")
