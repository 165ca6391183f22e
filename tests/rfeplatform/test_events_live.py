"""Live events end to end: a real daphne server, events emitted by a separate process
(`manage.py shell` running the emit_event command), and real WebSocket clients (Python, and the
portal's events.js in Chromium).

The same tests cover both delivery paths: on the embedded default the relay inside daphne reads the
table; with REDIS_URL set (CI's second run) the emitting process sends through Redis itself. Every
process uses the test database and the same REDIS_URL and key prefix."""

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from rfeplatform.events.client import EventStream, HandshakeRefused
from tests.subprocesses import ROOT, subprocess_env

pytestmark = [pytest.mark.subprocess, pytest.mark.django_db(transaction=True)]

DAPHNE = Path(sys.executable).with_name("daphne")
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """daphne serving rfeplatform.asgi on loopback; restartable on the same port."""

    def __init__(self, log: Path):
        self.port, self.log, self.process = free_port(), log, None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60):
        command = [str(DAPHNE), "-b", "127.0.0.1", "-p", str(self.port), "rfeplatform.asgi:application"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=subprocess_env(), stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"daphne exited:\n{self.log.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"daphne did not answer in {timeout}s:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("daphne") / "daphne.log")
    server.start()
    yield server
    server.stop()


def emit_elsewhere(team, topic: str, *, count: int = 1, payload: str = "{}") -> None:
    """Emit from a separate Python process, in one transaction, through the operators' command."""
    code = (
        "from django.core.management import call_command\n"
        "from rfeplatform.events.emit_command import Command\n"
        f"call_command(Command(), {topic!r}, {payload!r}, '--team', {team.slug!r}, '--count', '{count}')\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def aemit_elsewhere(team, topic: str, **kwargs) -> None:
    await asyncio.to_thread(emit_elsewhere, team, topic, **kwargs)


def cookies_for(user) -> dict[str, str]:
    """The session cookie of a signed-in browser (made in sync fixtures: it writes the session)."""
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return {name: client.cookies[name].value}


@pytest.fixture
def cookies_a(viewer_a):
    return cookies_for(viewer_a)


@pytest.fixture
def cookies_b(manager_b):
    return cookies_for(manager_b)


async def ready(stream: EventStream) -> dict:
    while (message := await stream.receive(timeout=10)).get("type") != "ready":
        assert "id" not in message, f"unexpected event before ready: {message}"
    return message


@pytest.mark.asyncio
async def test_event_emitted_by_another_process_reaches_the_browser(server, team_a, cookies_a):
    stream = await EventStream.connect(server.url, cookies=cookies_a)
    cursor = (await ready(stream))["last_id"]
    started = time.time()
    await aemit_elsewhere(team_a, "incident.created", count=3, payload='{"incident": 7}')
    events = await stream.receive_events(3, timeout=10)
    assert [e["payload"] for e in events] == [{"incident": 7, "seq": n} for n in range(3)]
    assert all(e["team"] == team_a.pk and e["topic"] == "incident.created" for e in events)
    assert [e["id"] for e in events] == sorted(e["id"] for e in events) and events[0]["id"] > cursor
    assert time.time() - started < 10
    await stream.close()


@pytest.mark.asyncio
async def test_reconnecting_browser_catches_up_from_its_last_id(server, team_a, cookies_a):
    stream = await EventStream.connect(server.url, cookies=cookies_a)
    await ready(stream)
    await aemit_elsewhere(team_a, "job.progress", payload='{"step": "seen"}')
    (seen,) = await stream.receive_events(1)
    await stream.close()

    await aemit_elsewhere(team_a, "job.progress", count=2, payload='{"step": "missed"}')
    stream = await EventStream.connect(server.url, cookies=cookies_a, after=seen["id"])
    catch_up = await stream.receive_events(2)
    assert [(e["payload"]["step"], e["payload"]["seq"]) for e in catch_up] == [("missed", 0), ("missed", 1)]
    assert (await ready(stream))["last_id"] == catch_up[-1]["id"]
    await aemit_elsewhere(team_a, "job.progress", payload='{"step": "live"}')
    (live,) = await stream.receive_events(1)
    assert live["payload"] == {"step": "live"} and live["id"] > catch_up[-1]["id"]
    with pytest.raises(TimeoutError):  # and nothing twice
        await stream.receive(timeout=1)
    await stream.close()


@pytest.mark.asyncio
async def test_member_of_team_b_never_receives_team_a_events(server, team_a, team_b, cookies_a, cookies_b):
    stream_a = await EventStream.connect(server.url, cookies=cookies_a)
    stream_b = await EventStream.connect(server.url, cookies=cookies_b)
    await ready(stream_a)
    assert (await ready(stream_b))["teams"] == [team_b.pk]
    await aemit_elsewhere(team_a, "incident.created", count=2, payload='{"team": "alpha"}')
    await aemit_elsewhere(team_b, "incident.created", payload='{"team": "bravo"}')
    assert [e["payload"]["team"] for e in await stream_a.receive_events(2)] == ["alpha", "alpha"]
    (only,) = await stream_b.receive_events(1)
    assert only["payload"] == {"team": "bravo"} and only["team"] == team_b.pk
    with pytest.raises(TimeoutError):
        await stream_b.receive(timeout=1)
    await stream_b.close()
    # Nor in a catch-up from the very beginning.
    stream_b = await EventStream.connect(server.url, cookies=cookies_b, after=0)
    replay = []
    while (message := await stream_b.receive()).get("type") != "ready":
        replay.append(message)
    assert [m["payload"] for m in replay if "id" in m] == [{"team": "bravo"}]
    await stream_b.close()
    await stream_a.close()


@pytest.mark.asyncio
async def test_signed_out_browser_is_told_to_stop_and_foreign_origins_are_refused(server, cookies_a):
    stream = await EventStream.connect(server.url, cookies={django_settings.SESSION_COOKIE_NAME: "not-a-session"})
    with pytest.raises(ConnectionError):
        await stream.receive()
    assert stream.close_code == 4401
    with pytest.raises(HandshakeRefused) as refused:
        await EventStream.connect(
            server.url.replace("127.0.0.1", "localhost"), cookies=cookies_a, origin="https://evil.example"
        )
    assert refused.value.status == 403


@pytest.mark.browser
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Chromium is not installed at {CHROMIUM}")
def test_portal_page_receives_events_and_resumes_after_a_server_restart(server, team_a, cookies_a):
    """events.js in a real browser: DOM events per event and per topic, then, across a server
    restart, backoff, reconnection with `after=` and the event emitted while the server was down."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(base_url=server.url)
            context.add_cookies([{"name": k, "value": v, "url": server.url} for k, v in cookies_a.items()])
            page = context.new_page()
            page.add_init_script(
                "window.__events = []; window.__topics = 0; window.__states = [];"
                "document.addEventListener('rfe:event', (e) => window.__events.push(e.detail));"
                "document.addEventListener('rfe:job.progress', () => window.__topics++);"
                "document.addEventListener('rfe:events-status', (e) => window.__states.push(e.detail.state));"
            )
            page.goto("/")
            page.wait_for_function("window.rfeEvents && window.rfeEvents.state === 'open'", timeout=15_000)

            emit_elsewhere(team_a, "job.progress", payload='{"step": 1}')
            page.wait_for_function("window.__events.length === 1", timeout=15_000)

            server.stop()
            page.wait_for_function("window.rfeEvents.state !== 'open'", timeout=15_000)
            emit_elsewhere(team_a, "job.progress", payload='{"step": 2}')
            server.start()
            page.wait_for_function("window.__events.length === 2", timeout=30_000)
            page.wait_for_timeout(500)

            events = page.evaluate("window.__events")
            assert [e["payload"] for e in events] == [{"step": 1}, {"step": 2}]
            assert events[0]["id"] < events[1]["id"] and page.evaluate("window.__topics") == 2
            assert page.evaluate("window.rfeEvents.lastId") == events[1]["id"]
            assert "closed" in page.evaluate("window.__states")
        finally:
            browser.close()
            if server.process is None:
                server.start()
