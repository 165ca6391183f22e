"""The job registry: every job is a plain function declared once with its default schedule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobSpec:
    """A job: `func(ctx)` does the work for one team (ctx is a runner.JobContext)."""

    name: str
    func: Callable
    schedule: str | None  # default cron expression in the team's time zone; None: manual only
    description: str
    timeout: int  # seconds; also how long the per-(job, team) lock lives if a worker dies


JOBS: dict[str, JobSpec] = {}


def job(name: str, *, schedule: str | None = None, description: str = "", timeout: int = 1800):
    """Register `func` as the job `name` (e.g. "cases.sync"). Re-registering a name replaces it, so
    module reloads in development do not fail."""

    def register(func):
        JOBS[name] = JobSpec(name, func, schedule, description or (func.__doc__ or "").strip(), timeout)
        return func

    return register
