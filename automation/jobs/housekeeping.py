"""Housekeeping jobs of the automation app."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from automation.jobs.registry import job
from automation.models.jobs import FINISHED, JobRun


@job("jobs.prune_runs", schedule="30 2 * * *", description="Delete finished job runs past the retention period.")
def prune_job_runs(ctx):
    days = getattr(settings, "JOB_RUN_RETENTION_DAYS", 30)
    cutoff = timezone.now() - timedelta(days=days)
    old = JobRun.objects.for_team(ctx.team).filter(state__in=FINISHED, finished_at__lt=cutoff)
    ctx.progress(10, f"Deleting runs finished before {cutoff:%Y-%m-%d}")
    with ctx.apply():
        deleted, _ = old.delete()
    ctx.count(unchanged=0, updated=0, created=0)
    ctx.log(f"Deleted {deleted} run(s) older than {days} days.")
