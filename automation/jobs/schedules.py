"""Job schedules per team, in the team's time zone, mirrored into django-q2 Schedule rows.

django-q2 evaluates cron expressions in one server-wide time zone, so each JobSchedule's next run is
computed here in the team's zone: when the row is synced, and again after every scheduled run
(`reanchor`), which overrides the server-zone time django-q2 just computed.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from croniter import croniter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from automation.jobs.registry import JOBS
from automation.models.jobs import JobSchedule

FUNC = "automation.jobs.runner.scheduled"


def validate_cron(expression: str) -> None:
    if not expression or not croniter.is_valid(expression):
        raise ValidationError({"cron": f"{expression!r} is not a valid cron expression (e.g. '*/15 * * * *')."})


def next_run(cron: str, tz_name: str, after: datetime | None = None) -> datetime:
    """The next time `cron` fires in the zone `tz_name`, as an aware datetime."""
    zone = zoneinfo.ZoneInfo(tz_name)
    start = (after or timezone.now()).astimezone(zone)
    return croniter(cron, start).get_next(datetime)


@transaction.atomic
def sync_schedule(schedule: JobSchedule) -> Schedule:
    """Create or update the django-q2 row of one JobSchedule (idempotent)."""
    q = schedule.q_schedule or Schedule(func=FUNC)
    q.name = f"{schedule.job} @ {schedule.team.slug}"
    q.func = FUNC
    q.args = repr((schedule.job, schedule.team_id))
    q.schedule_type = Schedule.CRON
    q.cron = schedule.cron
    q.repeats = 0 if schedule.paused else -1  # django-q2 skips rows with repeats == 0
    q.next_run = next_run(schedule.cron, schedule.team.timezone)
    q.save()
    if schedule.q_schedule_id != q.pk:
        schedule.q_schedule = q
        schedule.save(update_fields=["q_schedule", "updated"])
    return q


def sync_schedules(teams) -> int:
    """Make sure every team has a JobSchedule (and django-q2 row) for every scheduled job."""
    synced = 0
    for team in teams:
        for spec in JOBS.values():
            if spec.schedule is None:
                continue
            schedule, _ = (
                JobSchedule.objects.for_team(team)
                .select_related("team", "q_schedule")
                .get_or_create(team=team, job=spec.name, defaults={"cron": spec.schedule})
            )
            sync_schedule(schedule)
            synced += 1
    return synced


def reanchor(job: str, team) -> JobSchedule | None:
    """After a scheduled fire: put the next run back on the team's clock."""
    schedule = JobSchedule.objects.for_team(team).select_related("q_schedule", "team").filter(job=job).first()
    if schedule is not None and schedule.q_schedule is not None and not schedule.paused:
        Schedule.objects.filter(pk=schedule.q_schedule_id).update(next_run=next_run(schedule.cron, team.timezone))
    return schedule


# Platform-wide housekeeping (not per team): django-q2 rows only, managed here by name.
PLATFORM_SCHEDULES = [
    ("platform: prune live events", "rfeplatform.events.prune_events", Schedule.HOURLY),
]


def sync_platform_schedules() -> int:
    for name, func, kind in PLATFORM_SCHEDULES:
        Schedule.objects.update_or_create(name=name, defaults={"func": func, "schedule_type": kind, "repeats": -1})
    return len(PLATFORM_SCHEDULES)
