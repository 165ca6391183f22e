"""The job runner (NetBox's JobRunner shape): enqueue → lock → run → record, for every job.

Every scheduled and manual run goes through `execute()`: it takes a lock per (job, team) so a job never
overlaps itself across processes and hosts, records the JobRun (state, progress, counts, log), handles
cancellation, and turns an exception into a failed run with the error stored. Jobs make their writes
inside `ctx.apply()`, one transaction, so a failure never leaves a half-written result.
"""

from __future__ import annotations

import logging
import time
import traceback
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from automation.jobs.registry import JOBS
from automation.locks import try_lock
from automation.models.jobs import LOG_LIMIT, JobRun, State, Trigger
from rfeplatform.context import job_run_id, system_context
from rfeplatform.events import emit
from rfeplatform.logging import redact

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised inside a job when a cancellation was requested; the run ends as cancelled."""


class UnknownJob(ValueError):
    pass


PROGRESS_EVENT_INTERVAL = 1.0  # seconds between progress events of one run (a new percent always goes)


def announce(run: JobRun, topic: str) -> None:
    """Tell the team's browsers about the run (Jobs page progress bars, live boards)."""
    emit(
        topic,
        team=run.team_id,
        payload={
            "run": run.pk,
            "job": run.job,
            "state": run.state,
            "progress": run.progress,
            "message": run.progress_message,
            "counts": run.counts,
            "error": run.error[:300],
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "finished": run.is_finished,
        },
    )


class JobContext:
    """What a running job sees: its team, and ways to report progress, log, count and write."""

    def __init__(self, run: JobRun):
        self.run = run
        self.team = run.team
        self._announced = (-1, 0.0)

    def _store(self, **fields):
        # Progress and log lines are bookkeeping: written straight (and not audited), so they are
        # visible to others while the job runs, even outside its own transaction.
        JobRun._base_manager.filter(pk=self.run.pk).update(**fields)
        for name, value in fields.items():
            setattr(self.run, name, value)

    def progress(self, percent: int, message: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        self._store(progress=percent, progress_message=message[:300])
        last_percent, last_time = self._announced
        now = time.monotonic()
        if percent != last_percent or now - last_time >= PROGRESS_EVENT_INTERVAL:
            self._announced = (percent, now)
            announce(self.run, "job.progress")
        self.check_cancelled()

    def log(self, message: str, level: str = "info") -> None:
        entry = {"at": timezone.now().isoformat(), "level": level, "message": redact(str(message))[:2000]}
        self._store(log=[*self.run.log, entry][-LOG_LIMIT:])

    def count(self, **deltas: int) -> None:
        counts = dict(self.run.counts)
        for key, value in deltas.items():
            counts[key] = counts.get(key, 0) + value
        self._store(counts=counts)

    def check_cancelled(self) -> None:
        if JobRun._base_manager.filter(pk=self.run.pk, cancel_requested=True).exists():
            raise JobCancelled()

    @contextmanager
    def apply(self):
        """All of a job's writes, all or nothing."""
        with transaction.atomic():
            yield


def enqueue(job: str, *, team, trigger: str, actor=None) -> JobRun:
    """Record a queued run and hand it to the django-q2 cluster once the transaction commits."""
    if job not in JOBS:
        raise UnknownJob(f"Unknown job {job!r}.")
    run = JobRun.objects.for_team(team).create(team=team, job=job, trigger=trigger, actor=actor)
    transaction.on_commit(lambda: _submit(run.pk))
    announce(run, "job.queued")
    return run


def _submit(run_id: int) -> None:
    task_id = async_task("automation.jobs.runner.execute", run_id, task_name=f"job-run-{run_id}")
    JobRun._base_manager.filter(pk=run_id).update(q_task_id=task_id or "")


def run_now(job: str, *, team, trigger: str = Trigger.MANUAL, actor=None) -> JobRun:
    """Create and execute a run in this process (management commands, tests)."""
    if job not in JOBS:
        raise UnknownJob(f"Unknown job {job!r}.")
    run = JobRun.objects.for_team(team).create(team=team, job=job, trigger=trigger, actor=actor)
    execute(run.pk)
    run.refresh_from_db()
    return run


def _finish(run: JobRun, state: str, **fields) -> None:
    run.state, run.finished_at = state, timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["state", "finished_at", "updated", *fields])
    announce(run, "job.finished")


def execute(run_id: int) -> str:
    """Run a recorded JobRun. The django-q2 task entry point; returns the final state."""
    # The id comes from our own enqueue(); the run's team then scopes everything the job does.
    run = JobRun.objects.dangerously_unscoped().select_related("team", "actor").get(pk=run_id)
    if run.is_finished:
        return run.state
    spec = JOBS.get(run.job)
    job_token = job_run_id.set(run.pk)
    try:
        return _execute(run, spec)
    finally:
        job_run_id.reset(job_token)


def _execute(run: JobRun, spec) -> str:
    with system_context(f"job:{run.job}", source="job", team=run.team, user=run.actor):
        if spec is None:
            _finish(run, State.FAILED, error=f"Unknown job {run.job!r} (was it removed?).")
            return run.state
        if run.cancel_requested:
            _finish(run, State.CANCELLED)
            return run.state
        with try_lock(f"job:{run.job}:{run.team_id}", spec.timeout) as acquired:
            if not acquired:
                _finish(run, State.SKIPPED_LOCKED, error="Another run of this job for this team is in progress.")
                return run.state
            run.state, run.started_at = State.RUNNING, timezone.now()
            run.save(update_fields=["state", "started_at", "updated"])
            announce(run, "job.started")
            ctx = JobContext(run)
            try:
                spec.func(ctx)
            except JobCancelled:
                _finish(run, State.CANCELLED)
            except Exception as error:
                log.exception("job %s for team %s failed", run.job, run.team_id)
                detail = redact("".join(traceback.format_exception_only(error)).strip())
                ctx.log(detail, level="error")
                _finish(run, State.FAILED, error=detail[:5000])
            else:
                _finish(run, State.SUCCEEDED, progress=100)
    return run.state


def request_cancel(run: JobRun) -> JobRun:
    """Ask a run to stop: a queued run is cancelled at once; a running one stops at its next
    progress report or check_cancelled()."""
    if run.is_finished:
        return run
    run.cancel_requested = True
    if run.state == State.QUEUED:
        run.state, run.finished_at = State.CANCELLED, timezone.now()
    run.save(update_fields=["cancel_requested", "state", "finished_at", "updated"])
    announce(run, "job.finished" if run.is_finished else "job.progress")
    return run


def scheduled(job: str, team_id: int) -> str | None:
    """Entry point of the django-q2 Schedule rows: one scheduled run of `job` for a team."""
    from automation.jobs.schedules import reanchor
    from customers.models import Team

    # Called by our own Schedule rows with the team id they were created for.
    team = Team.objects.dangerously_unscoped().filter(pk=team_id).first()
    if team is None:
        return None
    schedule = reanchor(job, team)
    if schedule is not None and schedule.paused:
        return None
    run = JobRun.objects.for_team(team).create(team=team, job=job, trigger=Trigger.SCHEDULE)
    return execute(run.pk)
