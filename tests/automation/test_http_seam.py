"""The outbound HTTP seam, over real HTTP to the sandbox: retries honouring Retry-After, permanent
errors not retried, the circuit breaker and rate limiter shared across processes, token refresh after
401, ETag 304s, pagination (also broken), and redaction of credentials."""

import logging
import subprocess
import sys
import time

import pytest

from automation.connectors import connector_for
from automation.connectors.breaker import Breaker
from automation.connectors.errors import CircuitOpen, ConnectorError
from automation.connectors.ratelimit import TokenBucket
from rfeplatform.audit.models import AuditEvent
from tests.factories import ConnectionFactory
from tests.subprocesses import ROOT
from tests.subprocesses import subprocess_env as _subprocess_env

SECRET = "ghp_seam-secret-value-0123456789"
pytestmark = pytest.mark.django_db


@pytest.fixture
def github(sandbox, team_a):
    conn = ConnectionFactory(team=team_a, base_url=sandbox.vendor_url("github"), secret=SECRET, max_retries=3)
    return connector_for(conn)


def calls(sandbox, vendor, path_part=""):
    return [r for r in sandbox.requests(vendor) if path_part in r["path"]]


def test_retry_after_is_honoured(sandbox, github):
    sandbox.fault("github", rate_limit={"status": 429, "retry_after": 1}, count=1)
    started = time.monotonic()
    assert github.check().startswith("Authenticated as")
    assert time.monotonic() - started >= 0.95
    assert [r["status"] for r in calls(sandbox, "github", "/user")][:2] == [429, 200]


def test_transient_errors_are_retried_then_given_up(sandbox, github):
    sandbox.fault("github", status=503, count=2)
    github.http.sleep = lambda seconds: None  # backoff waits are not what this test measures
    github.get("/user")
    assert [r["status"] for r in calls(sandbox, "github", "/user")] == [503, 503, 200]
    sandbox.fault("github", status=502, count=10)
    with pytest.raises(ConnectorError) as error:
        github.get("/user")
    assert not error.value.permanent and error.value.status == 502
    assert len(calls(sandbox, "github", "/user")) == 3 + 4  # 1 try + max_retries


def test_permanent_errors_are_not_retried(sandbox, github):
    with pytest.raises(ConnectorError) as error:
        github.get("/repos/rfeplatform/no-such-repo")
    assert error.value.permanent and error.value.status == 404
    assert len(calls(sandbox, "github", "no-such-repo")) == 1


OPEN_BREAKER = """
import django, sys
django.setup()
from rfeplatform.context import system_context
from automation.connectors import connector_for
from automation.connectors.errors import ConnectorError
from automation.models import Connection
with system_context("test"):
    connector = connector_for(Connection.objects.get(pk=int(sys.argv[1])))
connector.http.sleep = lambda s: None
for _ in range(3):
    try:
        connector.get("/user")
    except ConnectorError:
        pass
print(connector.http.breaker.status().state, flush=True)
"""


@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
def test_breaker_opens_in_one_process_and_is_seen_in_another(sandbox, team_a, settings):
    settings.CONNECTOR_BREAKER_THRESHOLD = 3
    settings.CONNECTOR_BREAKER_RESET_SECONDS = 1.5
    conn = ConnectionFactory(team=team_a, base_url=sandbox.vendor_url("github"), secret=SECRET, max_retries=0)
    sandbox.fault("github", status=503, count=3)
    env = _subprocess_env(CONNECTOR_BREAKER_THRESHOLD="3", CONNECTOR_BREAKER_RESET_SECONDS="1.5")
    other = subprocess.run(
        [sys.executable, "-c", OPEN_BREAKER, str(conn.pk)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.stdout.strip() == "open", other.stderr[-2000:]
    connector = connector_for(conn)
    before = len(calls(sandbox, "github", "/user"))
    with pytest.raises(CircuitOpen):
        connector.get("/user")
    assert len(calls(sandbox, "github", "/user")) == before, "an open breaker sends nothing"
    time.sleep(1.6)
    assert Breaker(f"connection:{conn.pk}").status().state == "half-open"
    connector.get("/user")  # the probe succeeds and closes it for everyone
    assert Breaker(f"connection:{conn.pk}").status().state == "closed"


TAKE_TOKENS = """
import django, sys
django.setup()
from automation.connectors.ratelimit import TokenBucket
bucket = TokenBucket(sys.argv[1], int(sys.argv[2]))
print(",".join("%.2f" % bucket.take() for _ in range(int(sys.argv[3]))), flush=True)
"""


@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
def test_rate_limit_is_shared_across_processes():
    name = f"test-bucket-{time.time_ns()}"
    other = subprocess.run(
        [sys.executable, "-c", TAKE_TOKENS, name, "6", "4"],
        cwd=ROOT,
        env=_subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other.stdout.strip() == "0.00,0.00,0.00,0.00", other.stderr[-2000:]
    bucket = TokenBucket(name, 6)  # 6 a minute: 4 used elsewhere, 2 left here
    assert bucket.take() == 0 and bucket.take() == 0
    assert bucket.take() > 5  # the seventh call in a minute waits about 10 s


def test_token_refresh_after_401(sandbox, team_a):
    conn = ConnectionFactory(
        team=team_a,
        kind="portal",
        name="Portal",
        auth_type="oauth_offline_token",
        secret="offline-token-1",
        base_url=sandbox.vendor_url("portal"),
        settings={
            "sso_token_url": f"{sandbox.vendor_url('sso')}/auth/realms/redhat-external/protocol/openid-connect/token"
        },
    )
    portal = connector_for(conn)
    assert portal.search_page("case_number:*", rows=1)["numFound"] > 0
    sandbox.fault("portal", expire_tokens=True, count=1)
    assert portal.search_page("case_number:*", rows=1)["numFound"] > 0
    token_calls = [r for r in sandbox.requests("sso") if "openid-connect/token" in r["path"]]
    assert len(token_calls) == 2, "one exchange, then one re-authentication after the 401"


def test_etag_304_costs_no_quota(sandbox, github):
    changed, first = github.get_conditional("/repos/rfeplatform/demo/issues", {"state": "all", "per_page": 5})
    changed_again, second = github.get_conditional("/repos/rfeplatform/demo/issues", {"state": "all", "per_page": 5})
    assert changed and not changed_again and first == second
    log = calls(sandbox, "github", "/repos/rfeplatform/demo/issues")
    assert [r["status"] for r in log[-2:]] == [200, 304]


def test_pagination_and_broken_pagination(sandbox, github):
    issues = list(github.issues())
    assert len(issues) > 100 and len({i["number"] for i in issues}) == len(issues)
    sandbox.fault("github", broken_pagination="repeat", count=1)
    with pytest.raises(ConnectorError, match=r"loops|repeat|duplicate"):
        list(github.issues())


def test_secrets_never_reach_logs_errors_or_audit(sandbox, github, caplog):
    caplog.set_level(logging.DEBUG)
    sandbox.fault("github", status=500, count=10)
    github.http.sleep = lambda seconds: None
    with pytest.raises(ConnectorError) as error:
        github.get("/user")
    from automation.connectors.base import check_connection

    ok, message = check_connection(github.connection)
    github.connection.refresh_from_db()
    texts = [
        error.value.message,
        message,
        github.connection.last_error,
        caplog.text,
        str(list(AuditEvent.objects.values_list("before", "after"))),
    ]
    assert not ok and all(SECRET not in text for text in texts)
