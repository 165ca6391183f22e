"""Who is acting, from where, in which request: context variables set once per request or job.

The middleware sets them for HTTP requests; `system_context()` sets them for everything else (jobs,
webhook processing, management commands), so the audit log never records a change without an actor
and tenant queries never run without a scope.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# The JobRun being executed, so log lines (e.g. every outbound request) say which run made them.
job_run_id: ContextVar[int | None] = ContextVar("job_run_id", default=None)
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


@dataclass(frozen=True)
class ActorContext:
    """The actor for changes made outside a request: a named system actor, or a user on whose behalf
    a job runs (e.g. a manual trigger)."""

    name: str
    source: str
    user: Any = None


system_actor: ContextVar[ActorContext | None] = ContextVar("system_actor", default=None)


@contextmanager
def system_context(name: str, *, source: str = "system", team=None, user=None):
    """Run code outside a request as a named system actor.

    `team` (a Team or its id) limits tenant queries to that team; without it the code sees all
    teams, which is what platform-wide jobs and management commands need.
    """
    from rfeplatform.tenancy.scope import AllTeams, TeamScope, use_scope

    token = system_actor.set(ActorContext(name=name, source=source, user=user))
    scope = AllTeams(reason=name) if team is None else TeamScope(getattr(team, "pk", team))
    try:
        with use_scope(scope):
            yield
    finally:
        system_actor.reset(token)
