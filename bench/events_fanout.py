"""Live events fan-out: N WebSocket clients on a real daphne server, events emitted by a separate
worker process, delivered % and latency (emit time in the payload vs receive time).

    .venv/bin/python bench/events_fanout.py                      # embedded default: SQLite, relay
    .venv/bin/python bench/events_fanout.py --redis redis://127.0.0.1:6379/11   # Redis layer

Goal: 100 % delivered, p95 < 500 ms with 500 clients. Everything runs on loopback in a fresh
temporary VAR_DIR (SQLite, or --database-url), bounded by --events and --timeout; the script starts
and stops its own processes. The same script is also the seeding and emitting subprocesses
(--role), so that the emitter is a separate process like a qcluster worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DAPHNE = str(Path(sys.executable).with_name("daphne"))
USERS = 50  # clients share these users' sessions round-robin, as several tabs of a user would


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0, help="events per second from the emitter")
    parser.add_argument("--redis", default="", help="REDIS_URL: use the Redis channel layer")
    parser.add_argument("--database-url", default="", help="default: SQLite in the temporary VAR_DIR")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait after the last emit")
    parser.add_argument(
        "--layer",
        choices=["settings", "fast-inmemory", "redis-pubsub"],
        default="settings",
        help="channel layer: as the settings make it (default), rfeplatform.events.layers.InMemoryChannelLayer "
        "(without --redis), or channels_redis' RedisPubSubChannelLayer (with --redis)",
    )
    parser.add_argument("--relay-interval", type=float, help="EVENT_RELAY_INTERVAL (default: the setting, 0.25 s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary VAR_DIR")
    parser.add_argument("--role", choices=["bench", "seed", "emit"], default="bench", help=argparse.SUPPRESS)
    parser.add_argument("--team", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "seed":
        return seed()
    if args.role == "emit":
        return emit_events(args.team, args.events, args.rate)
    return run_bench(args)


# --- Subprocess roles ------------------------------------------------------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rfeplatform.settings")
    import django

    django.setup()


def seed() -> None:
    """Create a team, its members and one signed-in session each; print them as JSON."""
    _django()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from customers.models import Membership, Team
    from rfeplatform.context import system_context

    with system_context("bench:seed"):
        team = Team.objects.create(name="Bench", slug="bench")
        cookies = []
        for n in range(USERS):
            user = get_user_model().objects.create_user(username=f"bench{n}")
            Membership.objects.create(team=team, user=user, role="viewer")
            client = Client()
            client.force_login(user)
            cookies.append(client.cookies["sessionid"].value)
    print(json.dumps({"team": team.pk, "sessions": cookies}))


def emit_events(team_id: int, count: int, rate: float) -> None:
    """The worker: emit `count` events at `rate`, each in its own transaction, stamped with the time."""
    _django()
    from django.db import transaction

    from rfeplatform.events import emit

    print("ready", flush=True)
    start = time.monotonic()
    for seq in range(count):
        delay = start + seq / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        with transaction.atomic():
            emit("bench.tick", team=team_id, payload={"seq": seq, "t": time.time()})
    print(f"emitted {count} in {time.monotonic() - start:.2f}s", flush=True)


# --- The benchmark -----------------------------------------------------------------------------------


def run_bench(args) -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="rfe-bench-events-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DEBUG="true",
        VAR_DIR=str(var_dir),
        CACHE_KEY_PREFIX=f"rfe-bench-{os.getpid()}",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    env.update({"REDIS_URL": args.redis} if args.redis else {})
    env.update({"DATABASE_URL": args.database_url} if args.database_url else {})
    overrides = _settings_overrides(args)
    if overrides:
        (var_dir / "bench_settings.py").write_text("from rfeplatform.settings import *  # noqa: F403\n" + overrides)
        env.update(DJANGO_SETTINGS_MODULE="bench_settings", PYTHONPATH=str(var_dir))
        sys.path.insert(0, str(var_dir))
    os.environ.clear()
    os.environ.update(env)  # this process loads Django too (the client package), with the same settings
    mode = f"Redis ({args.redis})" if args.redis else "embedded (in-memory layer + relay)"
    print(f"mode: {mode}; layer: {args.layer}; database: {args.database_url or 'SQLite'}; var dir: {var_dir}")
    print("settings: " + ("; ".join(overrides.splitlines()) if overrides else "as configured"))
    daphne = None
    try:
        run = {"cwd": ROOT, "env": env, "check": True}
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], **run)
        subprocess.run([PYTHON, "manage.py", "createcachetable"], **run)
        seeding = subprocess.run([PYTHON, __file__, "--role", "seed"], capture_output=True, text=True, **run)
        seeded = json.loads(seeding.stdout.strip().splitlines()[-1])
        port = _free_port()
        log = (var_dir / "daphne.log").open("wb")
        command = [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "rfeplatform.asgi:application"]
        daphne = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        _wait_for(f"http://127.0.0.1:{port}/healthz", daphne)
        _django()
        results = asyncio.run(_fan_out(args, port, seeded))
        _report(args, results)
    finally:
        if daphne is not None:
            daphne.terminate()
            daphne.wait(timeout=30)
        if args.redis:
            _forget_redis_keys(args.redis, env["CACHE_KEY_PREFIX"])
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def _settings_overrides(args) -> str:
    """Lines appended to a settings module that imports the project's (for --layer, --relay-interval)."""
    lines = []
    if args.relay_interval is not None:
        lines.append(f"EVENT_RELAY_INTERVAL = {args.relay_interval!r}")
    if args.layer == "fast-inmemory":
        if args.redis:
            raise SystemExit("--layer fast-inmemory is the embedded default's layer: drop --redis")
        lines.append('CHANNEL_LAYERS = {"default": {"BACKEND": "rfeplatform.events.layers.InMemoryChannelLayer"}}')
    elif args.layer == "redis-pubsub":
        if not args.redis:
            raise SystemExit("--layer redis-pubsub needs --redis")
        backend = "channels_redis.pubsub.RedisPubSubChannelLayer"
        config = '{"hosts": [REDIS_URL], "prefix": f"{CACHE_KEY_PREFIX}:asgi"}'
        lines.append(f'CHANNEL_LAYERS = {{"default": {{"BACKEND": "{backend}", "CONFIG": {config}}}}}')
    return "".join(f"{line}\n" for line in lines)


async def _fan_out(args, port: int, seeded: dict) -> dict:
    from rfeplatform.events.client import EventStream

    url = f"http://127.0.0.1:{port}"
    sessions = seeded["sessions"]
    started = time.monotonic()
    streams: list[EventStream] = []
    for first in range(0, args.clients, 50):  # in waves, as tabs reconnecting after a deploy would
        wave = [
            EventStream.connect(url, cookies={"sessionid": sessions[i % len(sessions)]}, timeout=60)
            for i in range(first, min(first + 50, args.clients))
        ]
        streams += await asyncio.gather(*wave)
    await asyncio.gather(*(_until_ready(stream) for stream in streams))
    connect_seconds = time.monotonic() - started

    received: list[dict[int, float]] = [{} for _ in streams]
    duplicates = [0]
    emitter = await asyncio.create_subprocess_exec(
        PYTHON, __file__, "--role", "emit", "--team", str(seeded["team"]), "--events", str(args.events),
        "--rate", str(args.rate), cwd=ROOT,
    )  # fmt: skip

    async def listen(index: int, stream: EventStream, deadline: float):
        got = received[index]
        loop = asyncio.get_running_loop()
        while len(got) < args.events and loop.time() < deadline:
            try:
                message = await stream.receive(timeout=deadline - loop.time())
            except (TimeoutError, ConnectionError):
                return
            if "id" in message:
                now, seq = time.time(), message["payload"]["seq"]
                duplicates[0] += seq in got
                got.setdefault(seq, now - message["payload"]["t"])

    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.events / args.rate + args.timeout + 10
    await asyncio.gather(*(listen(i, s, deadline) for i, s in enumerate(streams)), emitter.wait())
    await asyncio.gather(*(stream.close() for stream in streams), return_exceptions=True)
    return {"received": received, "duplicates": duplicates[0], "connect_seconds": connect_seconds}


async def _until_ready(stream) -> None:
    while (await stream.receive(timeout=60)).get("type") != "ready":
        pass


def _report(args, results: dict) -> None:
    received = results["received"]
    latencies = sorted(ms * 1000 for got in received for ms in got.values())
    expected = args.clients * args.events
    print(f"clients: {args.clients} connected in {results['connect_seconds']:.1f}s")
    print(f"events: {args.events} at {args.rate}/s from a separate process")
    print(f"delivered: {len(latencies)}/{expected} = {100 * len(latencies) / expected:.2f}%")
    print(f"duplicates: {results['duplicates']}")
    short = [got for got in received if len(got) < args.events]
    if short:
        missing = sorted({seq for got in short for seq in range(args.events) if seq not in got})
        print(f"missing: {len(short)} clients missed events; event seqs missed by someone: {missing[:20]}")
    if latencies:
        q = statistics.quantiles(latencies, n=100, method="inclusive")
        print(f"latency ms: p50 {q[49]:.0f}  p95 {q[94]:.0f}  p99 {q[98]:.0f}  max {latencies[-1]:.0f}")
        ok = len(latencies) == expected and q[94] < 500
        print("goal (100% delivered, p95 < 500 ms):", "met" if ok else "NOT met")


def _forget_redis_keys(url: str, prefix: str) -> None:
    """Channel-layer groups live a day in Redis: remove this run's keys (its own prefix) now."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        client.delete(key)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("daphne exited; see daphne.log (--keep)")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"daphne did not answer {url} in {timeout}s")


if __name__ == "__main__":
    main()
