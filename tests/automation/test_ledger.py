"""The action ledger against the sandbox: record before, apply once, undo (one action or a whole run)
from the services, the admin (with confirmation) and the API."""

import pytest

from automation.connectors import connector_for
from automation.jobs.runner import run_now
from automation.ledger.operations import CannotUndo
from automation.ledger.services import action_apply, action_undo, run_undo
from automation.models import Action, JobRun
from rfeplatform.audit.models import AuditEvent
from tests.factories import ConnectionFactory

pytestmark = pytest.mark.django_db
REPO = "rfeplatform/demo"


@pytest.fixture
def github(sandbox, team_a):
    return ConnectionFactory(team=team_a, base_url=sandbox.vendor_url("github"), settings={"repository": REPO})


def open_issue_number(connection) -> int:
    return next(i["number"] for i in connector_for(connection).issues(state="open") if "pull_request" not in i)


def patches(sandbox, number):
    return [r for r in sandbox.requests("github") if r["method"] == "PATCH" and r["path"].endswith(f"/issues/{number}")]


def test_close_records_before_state_applies_once_and_undoes(sandbox, github, engineer_a):
    number = open_issue_number(github)
    target = f"{REPO}#{number}"
    action = action_apply(
        connection=github,
        operation="github.close_issue",
        target=target,
        params={},
        idempotency_key=f"close-{number}",
        actor=engineer_a,
    )
    assert action.state == "applied" and action.before["state"] == "open" and action.result == {"state": "closed"}
    assert connector_for(github).issue(number)["state"] == "closed"
    again = action_apply(
        connection=github, operation="github.close_issue", target=target, params={}, idempotency_key=f"close-{number}"
    )
    assert again.pk == action.pk and len(patches(sandbox, number)) == 1, "a retried write never applies twice"
    undone = action_undo(action, actor=engineer_a)
    assert undone.state == "undone" and connector_for(github).issue(number)["state"] == "open"
    assert AuditEvent.objects.filter(action="undo", object_type="automation.action", object_id=str(action.pk)).exists()


def test_label_undo_removes_only_what_it_added(sandbox, github):
    number = open_issue_number(github)
    connector = connector_for(github)
    connector.add_labels(number, ["existing"])
    action = action_apply(
        connection=github,
        operation="github.add_labels",
        target=f"{REPO}#{number}",
        params={"labels": ["existing", "auto-closed"]},
        idempotency_key=f"labels-{number}",
    )
    assert action.result["added"] == ["auto-closed"]
    action_undo(action)
    labels = {label["name"] for label in connector.issue(number)["labels"]}
    assert "existing" in labels and "auto-closed" not in labels


def test_comment_and_assign_undo(sandbox, github):
    number = open_issue_number(github)
    comment = action_apply(
        connection=github,
        operation="github.comment",
        target=f"{REPO}#{number}",
        params={"body": "Implemented in #1"},
        idempotency_key=f"comment-{number}",
    )
    assign = action_apply(
        connection=github,
        operation="github.assign",
        target=f"{REPO}#{number}",
        params={"assignees": ["octocat"]},
        idempotency_key=f"assign-{number}",
    )
    assert action_undo(comment).state == "undone" and action_undo(assign).state == "undone"
    assert "octocat" not in [u["login"] for u in connector_for(github).issue(number)["assignees"]]


def test_failed_apply_is_recorded_and_cannot_be_undone(sandbox, github):
    number = open_issue_number(github)
    sandbox.fault("github", status=422, method="PATCH", count=1)
    action = action_apply(
        connection=github,
        operation="github.close_issue",
        target=f"{REPO}#{number}",
        params={},
        idempotency_key=f"fail-{number}",
    )
    assert action.state == "failed" and "422" in action.error
    with pytest.raises(CannotUndo, match="Only applied actions"):
        action_undo(action)
    retried = action_apply(
        connection=github,
        operation="github.close_issue",
        target=f"{REPO}#{number}",
        params={},
        idempotency_key=f"fail-{number}",
    )
    assert retried.pk == action.pk and retried.state == "applied"


def test_undo_a_whole_run_from_admin_and_api(
    sandbox, github, team_a, manager_a, engineer_a, client_for, api_client_for
):
    run = run_now("jobs.prune_runs", team=team_a)
    numbers = [i["number"] for i in connector_for(github).issues(state="open") if "pull_request" not in i][:3]
    actions = [
        action_apply(
            connection=github,
            operation="github.close_issue",
            target=f"{REPO}#{n}",
            params={},
            idempotency_key=f"run-{n}",
            run=run,
        )
        for n in numbers
    ]
    client = client_for(manager_a)
    url = "/admin/automation/jobrun/"
    confirm = client.post(url, {"action": "undo_actions", "_selected_action": [run.pk]})
    assert confirm.status_code == 200 and b"Yes, undo" in confirm.content
    assert all(a.state == "applied" for a in Action.objects.filter(run=run)), "nothing happens before confirming"
    done = client.post(url, {"action": "undo_actions", "_selected_action": [run.pk], "confirmed": "yes"})
    assert done.status_code == 302
    assert set(Action.objects.filter(run=run).values_list("state", flat=True)) == {"undone"}
    assert all(connector_for(github).issue(n)["state"] == "open" for n in numbers)
    # API: undo one action; undoing again is a no-op; an unknown state answers 400 with the reason.
    again = action_apply(
        connection=github,
        operation="github.close_issue",
        target=f"{REPO}#{numbers[0]}",
        params={},
        idempotency_key="api-undo",
    )
    api = api_client_for(engineer_a)
    assert api.post(f"/api/v1/actions/{again.pk}/undo/").json()["state"] == "undone"
    assert api.post(f"/api/v1/actions/{again.pk}/undo/").json()["state"] == "undone"
    failed = Action.objects.create(
        team=team_a,
        connection=github,
        operation="github.close_issue",
        target=f"{REPO}#1",
        idempotency_key="failed",
        state="failed",
    )
    refused = api.post(f"/api/v1/actions/{failed.pk}/undo/")
    assert refused.status_code == 400 and "Only applied actions" in refused.json()["detail"]
    assert run_undo(JobRun.objects.get(pk=run.pk)) == []
    assert len(actions) == 3


def make_connection(sandbox, team, kind, **extra):
    from tests.automation.conftest import SSO_TOKEN_PATH

    specs = {
        "jira": {"base_url": sandbox.vendor_url("jira"), "auth_type": "token", "settings": {"flavour": "server"}},
        "slack": {"base_url": sandbox.vendor_url("slack") + "/api", "auth_type": "bot_token", "settings": {}},
        "portal": {
            "base_url": sandbox.vendor_url("portal"),
            "auth_type": "oauth_offline_token",
            "settings": {"sso_token_url": sandbox.url + SSO_TOKEN_PATH},
        },
    }
    return ConnectionFactory(team=team, kind=kind, name=f"{kind} ledger", **specs[kind], **extra)


def test_jira_create_transition_comment_and_their_undos(sandbox, team_a):
    conn = make_connection(sandbox, team_a, "jira")
    jira = connector_for(conn)
    created = action_apply(
        connection=conn,
        operation="jira.create_issue",
        target="RFE",
        params={"fields": {"project": {"key": "RFE"}, "issuetype": {"name": "Task"}, "summary": "Ledger test"}},
        idempotency_key="jira-create",
    )
    key = created.result["key"]
    status = lambda: jira.issue(key, fields="status")["fields"]["status"]["name"]  # noqa: E731
    # The sandbox workflow: New -> In Progress -> Review -> (back to) In Progress; nothing leads to New.
    started = action_apply(
        connection=conn,
        operation="jira.transition",
        target=key,
        params={"status": "In Progress"},
        idempotency_key="jira-start",
    )
    moved = action_apply(
        connection=conn,
        operation="jira.transition",
        target=key,
        params={"status": "Review"},
        idempotency_key="jira-move",
    )
    assert moved.before == {"status": "In Progress"} and status() == "Review"
    comment = action_apply(
        connection=conn,
        operation="jira.comment",
        target=key,
        params={"body": "by the ledger"},
        idempotency_key="jira-comment",
    )
    assert action_undo(comment).state == "undone"
    assert "by the ledger" not in [c.body for c in jira.client.comments(key)]
    back = action_undo(moved)
    assert back.state == "undone" and status() == "In Progress"
    with pytest.raises(CannotUndo, match="leads back to 'New'"):
        action_undo(started)
    assert Action.objects.get(pk=started.pk).state == "undo-failed"
    assert action_undo(created).state == "undone"
    with pytest.raises(Exception, match=r"404|not exist|Does Not Exist"):
        jira.issue(key)


def test_slack_post_and_update_undo(sandbox, team_a):
    conn = make_connection(sandbox, team_a, "slack")
    slack = connector_for(conn)
    posted = action_apply(
        connection=conn,
        operation="slack.post",
        target="C0SBXINC01",
        params={"text": "Incident opened"},
        idempotency_key="slack-post",
    )
    ts = posted.result["ts"]
    updated = action_apply(
        connection=conn,
        operation="slack.update",
        target=f"C0SBXINC01:{ts}",
        params={"text": "Incident resolved"},
        idempotency_key="slack-update",
    )
    assert updated.before["text"] == "Incident opened"
    action_undo(updated)
    assert any(m.get("ts") == ts and m.get("text") == "Incident opened" for m in slack.history("C0SBXINC01"))
    action_undo(posted)
    assert not any(m.get("ts") == ts for m in slack.history("C0SBXINC01"))


def test_portal_publish_undo_restores_the_previous_version(sandbox, team_a):
    conn = make_connection(sandbox, team_a, "portal")
    portal = connector_for(conn)
    first = action_apply(
        connection=conn,
        operation="portal.publish",
        target="1000002",
        params={"body": "<p>v-one</p>"},
        idempotency_key="page-1",
    )
    with pytest.raises(CannotUndo, match="no page before") if first.before["version"] == 0 else _nothing():
        action_undo(first)
    second = action_apply(
        connection=conn,
        operation="portal.publish",
        target="1000002",
        params={"body": "<p>v-two</p>"},
        idempotency_key="page-2",
    )
    assert second.before["version"] == second.result["version"] - 1
    restored = action_undo(second)
    assert restored.state == "undone" and portal.page("1000002")["body"] == "<p>v-one</p>"


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
