"""Pruning: events are kept long enough for a browser to catch up, then deleted."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from rfeplatform.events.models import Event

DEFAULT_RETENTION_HOURS = 72
BATCH_SIZE = 5000


def prune_events(older_than: timedelta | None = None) -> int:
    """Delete events created more than `older_than` ago (default `EVENT_RETENTION_HOURS`, 72 h);
    returns how many. Meant for a django-q2 schedule (`rfeplatform.events.prune_events`, no
    arguments). A browser that comes back after that gets a "gap" message and reloads its data.

    Deletes in batches, each its own short transaction, so that emitters (which write to the same
    table) wait for a batch at most, not for the whole purge.
    """
    if older_than is None:
        older_than = timedelta(hours=getattr(settings, "EVENT_RETENTION_HOURS", DEFAULT_RETENTION_HOURS))
    cutoff = timezone.now() - older_than
    # Retention is the same for every team; no team's data is read or returned.
    events = Event.objects.dangerously_unscoped()
    total = 0
    while True:
        ids = list(events.filter(created__lt=cutoff).order_by("id").values_list("id", flat=True)[:BATCH_SIZE])
        if not ids:
            return total
        # A plain DELETE: the deletion collector would load every row to send delete signals, and
        # events are bookkeeping that nothing listens to (they are not audited).
        total += events.filter(id__in=ids)._raw_delete(events.db)
