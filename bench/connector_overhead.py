"""Connector overhead per request: the HTTP seam (rate limiter, breaker, retries wrapper, metrics,
redaction) against plain `requests`, both calling the local sandbox.

    .venv/bin/python bench/connector_overhead.py [--requests 500] [--redis redis://127.0.0.1:6379/11]

Prints the mean and p95 latency of each and the overhead ratio. Uses a throwaway SQLite database (or
Redis for the shared limiter/breaker state with --redis).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--redis", default="")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="rfe-bench-")
    os.environ.update(
        {"DEBUG": "true", "VAR_DIR": workdir, "DJANGO_SETTINGS_MODULE": "rfeplatform.settings", "LOG_LEVEL": "WARNING"}
    )
    os.environ.pop("DATABASE_URL", None)
    if args.redis:
        os.environ["REDIS_URL"] = args.redis
    else:
        os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    import requests

    from automation import sandbox
    from automation.connectors import connector_for
    from automation.models import Connection
    from customers.models import Team
    from rfeplatform.context import system_context

    with sandbox.start(port=0, seed=1, cases=50, issues=50) as upstream, system_context("bench"):
        team = Team.objects.create(name="Bench", slug="bench")
        connection = Connection(
            team=team,
            kind="github",
            name="bench",
            base_url=upstream.vendor_url("github"),
            auth_type="token",
            settings={"repository": "rfeplatform/demo"},
            rate_limit_per_minute=100000,
        )
        connection.set_secret("bench-token")
        connection.save()
        connector = connector_for(connection)
        session = requests.Session()
        url = f"{upstream.vendor_url('github')}/user"
        headers = {"Authorization": "Bearer bench-token"}

        def plain():
            session.get(url, headers=headers, timeout=10).raise_for_status()

        def seam():
            connector.get("/user")

        results = {}
        for name, call in (("plain requests", plain), ("connector seam", seam)):
            for _ in range(20):  # warm up connections and caches
                call()
            samples = []
            for _ in range(args.requests):
                started = time.perf_counter()
                call()
                samples.append((time.perf_counter() - started) * 1000)
            samples.sort()
            results[name] = (statistics.mean(samples), samples[int(len(samples) * 0.95) - 1])

    mode = "redis" if args.redis else "embedded (SQLite + database cache)"
    print(f"connector overhead, {args.requests} GETs to the local sandbox, mode: {mode}")
    for name, (mean, p95) in results.items():
        print(f"  {name:<16} mean {mean:7.2f} ms   p95 {p95:7.2f} ms")
    ratio = results["connector seam"][0] / results["plain requests"][0]
    print(f"  ratio (seam / plain, mean): {ratio:.2f}x")


if __name__ == "__main__":
    main()
