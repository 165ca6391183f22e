"""Liveness (/healthz) and readiness (/readyz) for load balancers and orchestrators."""

import time

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rfeplatform.logging import redact

_migrations_applied = False


class NotConfigured(Exception):
    """The dependency is optional and not configured here: reported, not a failure."""


@never_cache
@require_GET
def healthz(request):
    """The process answers. Touches nothing else, so a database outage does not restart web servers."""
    return JsonResponse({"status": "ok"})


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def check_migrations() -> str | None:
    global _migrations_applied
    if _migrations_applied:  # once applied, they stay applied for this process's code
        return None
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return f"{len(pending)} migration(s) not applied, e.g. {pending[0][0]}"
    _migrations_applied = True
    return None


def check_redis() -> str | None:
    if not settings.REDIS_URL:
        raise NotConfigured("not configured (embedded default)")
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return None


def check_worker() -> str | None:
    if not settings.READYZ_REQUIRE_WORKER:
        raise NotConfigured("not required (READYZ_REQUIRE_WORKER=false)")
    from django_q.brokers import get_broker
    from django_q.status import Stat

    # Each running cluster rewrites its stat every few seconds with a short expiry, so any stat at
    # all is a recent heartbeat; the timestamp check guards against clock-skewed leftovers.
    max_age = settings.QCLUSTER_HEARTBEAT_MAX_AGE
    now = time.time()
    for stat in Stat.get_all(get_broker()):
        if now - stat.timestamp.timestamp() <= max_age:
            return None
    return f"no django-q2 cluster heartbeat in the last {max_age}s (is `manage.py qcluster` running?)"


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "redis": check_redis,
    "worker": check_worker,
}


@never_cache
@require_GET
def readyz(request):
    results, failed = {}, []
    for name, check in CHECKS.items():
        if name in ("migrations", "worker") and results["database"] != "ok":
            results[name] = "skipped: database unavailable"
            failed.append(name)
            continue
        try:
            problem = check()
        except NotConfigured as skipped:
            results[name] = str(skipped)
            continue
        except Exception as error:  # a readiness probe reports, it never raises
            problem = redact(f"{type(error).__name__}: {error}")
        results[name] = problem or "ok"
        if problem:
            failed.append(name)
    body = {"status": "ok" if not failed else "unavailable", "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)
