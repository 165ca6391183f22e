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
