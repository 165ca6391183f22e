"""Reading back from the table what a connection has not been sent: the catch-up since
`?after=<id>` before the live events, and the few events a live stream turns out to have missed."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import OuterRef, Q, Subquery

from rfeplatform.events.delivery import ROW_FIELDS, browser_json
from rfeplatform.events.models import Event
from rfeplatform.events.subscription import Subscription

DEFAULT_CATCHUP_LIMIT = 1000


@dataclass(frozen=True)
class CatchUp:
    """The frames to send, the client's new resume cursor, each team's newest id, and a gap to
    report, if any.

    `gap` is (after, before): events with ids strictly between them may have been missed (more than
    the limit, pruned, or a cursor this server never issued); the page should reload its data.
    """

    texts: list[str]
    last_id: int
    team_highs: dict[int, int] = field(default_factory=dict)
    gap: tuple[int, int] | None = None


def catch_up(user, team_ids: list[int], subscription: Subscription, *, limit: int) -> CatchUp:
    """Events of the user's teams with ids in (after, high], oldest first, at most `limit` (the newest).

    `high` is read first: the connection has already joined its groups, so every event above it
    arrives live, and every event at or below it has committed (ids commit in order, see
    emitter.store). The two sets meet without a hole; the overlap is dropped by `Subscription.floor`.
    """
    highs = _team_highs(user, team_ids)
    high = max(highs.values(), default=0)
    after = subscription.after
    if after is None:
        return CatchUp([], high, highs)
    if after > high and after > Event.newest_id():
        # A cursor from the future (a restored database, another server): start over from now.
        return CatchUp([], high, highs, gap=(0, high + 1))
    window = _visible(user, team_ids, subscription.topics).filter(id__gt=after, id__lte=high)
    rows = list(window.order_by("-id").values(*ROW_FIELDS)[: limit + 1])[::-1]
    gap = None
    if len(rows) > limit:
        rows = rows[1:]
        gap = (after, rows[0]["id"])
    else:
        oldest = Event.oldest_id()
        if oldest is not None and after < oldest - 1:
            # Events older than the retention period were pruned; some may have been this user's.
            gap = (after, oldest)
    return CatchUp([browser_json(row) for row in rows], max(high, after), highs, gap)


def missed_events(user, team_id: int, after: int, before: int, topics: tuple[str, ...], *, limit: int):
    """[(id, topic, text)] of one team's events with ids strictly between `after` and `before`, oldest
    first: what a live stream skipped (see delivery.wire_event, `prev`)."""
    rows = _visible(user, [team_id], topics).filter(id__gt=after, id__lt=before).order_by("id")
    return [(row["id"], row["topic"], browser_json(row)) for row in rows.values(*ROW_FIELDS)[:limit]]


def _visible(user, team_ids: list[int], topics: tuple[str, ...]):
    # for_user re-checks membership in the database; team_ids narrows it to the groups joined.
    events = Event.objects.for_user(user).filter(team_id__in=team_ids)
    if topics:
        events = events.filter(reduce(or_, (Q(topic__startswith=prefix) for prefix in topics)))
    return events


def _team_highs(user, team_ids: list[int]) -> dict[int, int]:
    """{team id: its newest event id, or 0} in one query, an index lookup per team."""
    from customers.models import Team

    # The outer query is scoped to the user's teams; the subquery only reads each one's newest id.
    newest = Event.objects.dangerously_unscoped().filter(team_id=OuterRef("pk")).order_by("-id").values("id")[:1]
    teams = Team.objects.for_user(user).filter(pk__in=team_ids).order_by()
    return {pk: high or 0 for pk, high in teams.annotate(high=Subquery(newest)).values_list("pk", "high")}
