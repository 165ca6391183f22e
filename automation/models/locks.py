"""Lease: a named, expiring lock held in the database when there is no Redis."""

from django.db import models


class Lease(models.Model):
    """A lock that expires on its own, so a crashed holder cannot block others forever. Bookkeeping:
    not audited, not tenant data (the name carries the team, e.g. "job:sync_cases:3")."""

    name = models.CharField(max_length=200, unique=True)
    owner = models.CharField(max_length=100)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.name} (held by {self.owner} until {self.expires_at:%H:%M:%S})"
