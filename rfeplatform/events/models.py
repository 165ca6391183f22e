"""Event: one persisted live event, the source of truth that every delivery path reads from."""

from django.db import models
from django.utils import timezone

from rfeplatform.tenancy.scope import TenantManager


class Event(models.Model):
    """Something that happened in a team (an incident changed, a job progressed), kept for a while
    so that a browser that reconnects can catch up with `?after=<id>`.

    The id is the resume cursor: ids are handed out in commit order (see `emitter.store`), so
    "every event with an id above N" never misses one that committed late. Rows are bookkeeping, not
    a record of who changed what: they are pruned after `EVENT_RETENTION_HOURS` (see `retention`).
    """

    tenant_path = "team"

    team = models.ForeignKey("customers.Team", on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=100, help_text="Dotted name, e.g. incident.created or job.progress.")
    payload = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TenantManager()

    class Meta:
        ordering = ["id"]
        # Catch-up reads "this user's teams, ids above N"; the relay reads "ids above N" (the pk).
        indexes = [models.Index(fields=["team", "id"], name="rfe_event_team_id")]

    def __str__(self):
        return f"#{self.pk} {self.topic} (team {self.team_id})"

    # Positions of the id counter, read as one index lookup each (SQLite optimises a lone MIN or
    # MAX, not both in one query). They reveal how far the counter has gone, not what any event
    # says, and serve the relay, the emitter and the catch-up, which enforce tenancy themselves.
    @classmethod
    def newest_id(cls, *, team_id: int | None = None, using: str | None = None) -> int:
        events = cls.objects.dangerously_unscoped().using(using)
        if team_id is not None:
            events = events.filter(team_id=team_id)
        return events.order_by("-id").values_list("id", flat=True).first() or 0

    @classmethod
    def oldest_id(cls) -> int | None:
        return cls.objects.dangerously_unscoped().order_by("id").values_list("id", flat=True).first()
