"""Every vendor connector against the sandbox: "Test connection" makes one real authenticated call,
and each connector's main calls map the vendor's API."""

import pytest

from automation.connectors import connector_for
from automation.connectors.base import check_connection
from automation.connectors.errors import ConnectorError
from tests.automation.conftest import SSO_TOKEN_PATH
from tests.factories import ConnectionFactory

pytestmark = pytest.mark.django_db


def make(sandbox, team, kind, **extra):
    defaults = {
        "portal": {
            "auth_type": "oauth_offline_token",
            "settings": {"sso_token_url": sandbox.url + SSO_TOKEN_PATH},
        },
        "jira": {"auth_type": "token", "settings": {"flavour": "server"}},
        "bugzilla": {"auth_type": "api_key", "settings": {}},
        "github": {"auth_type": "token", "settings": {"repository": "rfeplatform/demo"}},
        "slack": {"auth_type": "bot_token", "settings": {}},
        "llm": {"auth_type": "api_key", "settings": {"model": "sandbox-rca-1"}},
        "databricks": {"auth_type": "token", "settings": {}},
    }[kind]
    base = {"slack": f"{sandbox.vendor_url('slack')}/api", "llm": f"{sandbox.vendor_url('llm')}/v1"}.get(
        kind, sandbox.vendor_url(kind)
    )
    return ConnectionFactory(
        team=team, kind=kind, name=f"{kind} sandbox", base_url=base, secret="s3cret-value", **{**defaults, **extra}
    )


@pytest.mark.parametrize("kind", ["portal", "jira", "bugzilla", "github", "slack", "llm", "databricks"])
def test_test_connection_against_the_sandbox(sandbox, team_a, kind):
    conn = make(sandbox, team_a, kind)
    ok, message = check_connection(conn)
    assert ok, message
    conn.refresh_from_db()
    assert conn.last_success_at is not None and conn.last_error == ""


def test_failed_test_connection_is_recorded(sandbox, team_a):
    conn = make(sandbox, team_a, "github")
    sandbox.fault("github", status=401, count=5)
    ok, message = check_connection(conn)
    conn.refresh_from_db()
    assert not ok and "401" in message and conn.last_error == message and conn.last_error_at


def test_portal_search_detail_and_pages(sandbox, team_a):
    portal = connector_for(make(sandbox, team_a, "portal"))
    cases = list(portal.search_cases("case_accountNumber:1000001", rows=50))
    assert cases and all(c["case_accountNumber"] == "1000001" for c in cases)
    detail = portal.case(cases[0]["case_number"])
    assert "notifiedUsers" in detail
    page = portal.page("1000001")
    version = page["version"] if page else 0
    written = portal.publish_page("1000001", "<p>report</p>", based_on=version)
    assert written["version"] == version + 1
    with pytest.raises(ConnectorError) as stale:
        portal.publish_page("1000001", "<p>stale</p>", based_on=version)
    assert stale.value.status == 409 and stale.value.permanent


def test_portal_splits_searches_past_the_result_window(team_a):
    from automation import sandbox as upstream

    with upstream.start(port=0, seed=7, cases=12000, issues=10) as big:
        portal = connector_for(make(big, team_a, "portal"))
        numbers = [c["case_number"] for c in portal.search_cases("case_number:*", rows=1000, fields="case_number")]
    assert len(numbers) == len(set(numbers)) >= 12000


@pytest.mark.parametrize("flavour", ["server", "cloud"])
def test_jira_search_create_transition_comment(sandbox, team_a, flavour):
    sandbox.configure(jira_flavour="cloud" if flavour == "cloud" else "dc")
    jira = connector_for(make(sandbox, team_a, "jira", settings={"flavour": flavour}))
    created = jira.create_issue({"project": {"key": "RFE"}, "issuetype": {"name": "Task"}, "summary": "From the seam"})
    found = [i["key"] for i in jira.search('summary ~ "From the seam"')]
    assert created["key"] in found
    jira.transition_to(created["key"], jira.transitions(created["key"])[0]["to"]["name"])
    comment = jira.comment(created["key"], "hello")
    assert comment["body"] == "hello"
    assert jira.issue(created["key"])["key"] == created["key"]
    sandbox.configure(jira_flavour="dc")


def test_bugzilla_batches(sandbox, team_a):
    bugzilla = connector_for(make(sandbox, team_a, "bugzilla", settings={"batch_size": 2}))
    ids = [bug["id"] for bug in bugzilla.search(limit=5)]
    assert len(ids) == 5
    bugs = bugzilla.bugs(ids)
    assert sorted(b["id"] for b in bugs) == sorted(ids)
    assert len([r for r in sandbox.requests("bugzilla") if "/rest/bug" in r["path"]]) >= 3


def test_slack_post_update_and_errors(sandbox, team_a):
    slack = connector_for(make(sandbox, team_a, "slack"))
    channel = "C0SBXINC01"  # the sandbox's seeded #incidents
    posted = slack.post_message(channel, "first")
    slack.update_message(posted["channel"], posted["ts"], "second")
    assert any(m.get("text") == "second" for m in slack.history(posted["channel"]))
    with pytest.raises(ConnectorError, match="message_not_found") as error:
        slack.update_message(posted["channel"], "1.000", "nope")
    assert error.value.permanent


def test_llm_json_answer_is_validated(sandbox, team_a):
    from automation.connectors.llm import RCA_SCHEMA

    llm = connector_for(make(sandbox, team_a, "llm"))
    answer = llm.complete_json([{"role": "user", "content": "Airflow task failed: OOMKilled"}], RCA_SCHEMA)
    assert answer["root_cause"] and 0 <= answer["confidence"] <= 1
    with pytest.raises(ConnectorError, match="not the JSON asked for"):
        llm.complete_json([{"role": "user", "content": "x"}], {"type": "object", "required": ["nonexistent"]})


def test_databricks_run_and_output(sandbox, team_a):
    databricks = connector_for(make(sandbox, team_a, "databricks"))
    run_id = 900_001  # the sandbox's first seeded run
    run = databricks.run(run_id)
    assert run["run_id"] == run_id and "life_cycle_state" in run["state"]
    output = databricks.run_output(run_id)
    assert "error" in output or "notebook_output" in output


def test_storage_local(team_a, tmp_path):
    conn = ConnectionFactory(
        team=team_a,
        kind="storage",
        name="Files",
        base_url="",
        auth_type="none",
        settings={"backend": "local", "location": str(tmp_path)},
    )
    ok, message = check_connection(conn)
    assert ok, message
    storage = connector_for(conn)
    name = storage.save("reports/acme.html", b"<p>hi</p>")
    assert storage.open(name) == b"<p>hi</p>"


def test_smtp_unreachable_is_a_clear_error(team_a):
    conn = ConnectionFactory(
        team=team_a,
        kind="smtp",
        name="Mail",
        base_url="http://127.0.0.1:1",
        auth_type="none",
        settings={"use_tls": False, "from_email": "rfe@example.com"},
    )
    ok, message = check_connection(conn)
    assert not ok and "SMTP" in message


def test_slack_incoming_webhook_alternative(sandbox, team_a):
    from automation.ledger.operations import CannotUndo
    from automation.ledger.services import action_apply, action_undo

    url = f"{sandbox.vendor_url('slack')}/services/T0SBX0001/B0SBXHOOK/s3cretpath"
    conn = ConnectionFactory(
        team=team_a, kind="slack", name="Slack webhook", base_url="", auth_type="webhook_url", settings={}, secret=url
    )
    ok, message = check_connection(conn)
    assert ok, message
    action = action_apply(
        connection=conn,
        operation="slack.post",
        target="#incidents",
        params={"text": "via webhook"},
        idempotency_key="hook-1",
    )
    assert action.state == "applied"
    bot = connector_for(make(sandbox, team_a, "slack"))
    assert any(m.get("text") == "via webhook" for m in bot.history("C0SBXINC01"))
    with pytest.raises(CannotUndo, match="incoming webhook"):
        action_undo(action)
    dead = ConnectionFactory(
        team=team_a,
        kind="slack",
        name="Dead hook",
        base_url="",
        auth_type="webhook_url",
        settings={},
        secret=f"{sandbox.vendor_url('slack')}/services/nope",
    )
    ok, message = check_connection(dead)
    assert not ok and "404" in message


def test_jira_field_discovery(sandbox, team_a):
    jira = connector_for(make(sandbox, team_a, "jira"))
    fields = jira.fields()
    assert any(f["id"] == "summary" for f in fields)
    assert jira.field_id("Summary") == "summary"


def test_demo_connections_all_pass_test_connection(sandbox):
    from io import StringIO

    from django.core.management import call_command

    from automation.models import Connection

    call_command("demo", "--sandbox-url", sandbox.url, stdout=StringIO())
    connections = list(Connection.objects.all())
    assert {c.kind for c in connections} >= {"portal", "jira", "bugzilla", "github", "slack", "llm", "databricks"}
    results = {c.name: check_connection(c) for c in connections}
    assert all(ok for ok, _ in results.values()), results
