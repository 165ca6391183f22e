"""Fault injection, the control endpoints and the request log."""

import json
import time

import github
import openai
import pytest
import requests

from tests.automation.conftest import SSO_TOKEN_PATH, access_token

REPO_ISSUES = "/github/repos/rfeplatform/demo/issues"
GH = {"Authorization": "token ghp_faults"}


def test_5xx_for_the_next_n_requests_then_recovery(sandbox):
    sandbox.fault("github", status=503, count=2, path="/repos/rfeplatform/demo")
    url = sandbox.url + REPO_ISSUES
    assert [requests.get(url, headers=GH).status_code for _ in range(3)] == [503, 503, 200]
    body = requests.get(url, headers=GH)
    assert body.status_code == 200
    sandbox.fault("github", status=502, count=2)
    client = github.Github(
        base_url=sandbox.vendor_url("github"), auth=github.Auth.Token("x"), seconds_between_requests=0
    )
    assert client.get_repo("rfeplatform/demo").name == "demo", "PyGithub retries 5xx by itself"
    statuses = [r["status"] for r in sandbox.requests("github") if r["path"] == "/repos/rfeplatform/demo"]
    assert statuses[-3:] == [502, 502, 200]
    client.close()


def test_5xx_bodies_keep_each_vendors_error_shape(sandbox):
    for vendor in ("jira", "slack", "bugzilla", "databricks", "llm", "portal"):
        sandbox.fault(vendor, status=500, count=1)
    jira = requests.get(sandbox.url + "/jira/rest/api/2/serverInfo")
    assert jira.status_code == 500 and "errorMessages" in jira.json()
    slack = requests.post(sandbox.url + "/slack/api/auth.test", headers={"Authorization": "Bearer xoxb"})
    assert slack.status_code == 500 and slack.json()["ok"] is False
    assert requests.get(sandbox.url + "/bugzilla/rest/version").json()["error"] is True
    assert "error_code" in requests.get(sandbox.url + "/databricks/api/2.1/jobs/list").json()
    assert "error" in requests.get(sandbox.url + "/llm/v1/models").json()
    assert requests.get(sandbox.url + "/portal/pages").json()["status"] == 500


def test_429_with_retry_after_and_a_client_that_honours_it(sandbox):
    sandbox.fault("jira", rate_limit={"status": 429, "retry_after": 7}, count=1)
    limited = requests.get(sandbox.url + "/jira/rest/api/2/serverInfo")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "7" and limited.headers["RateLimit-Reason"]
    sandbox.fault("slack", rate_limit={"retry_after": 3}, count=1)
    slack = requests.post(sandbox.url + "/slack/api/auth.test", headers={"Authorization": "Bearer xoxb"})
    assert (slack.status_code, slack.headers["Retry-After"], slack.json()["error"]) == (429, "3", "ratelimited")

    sandbox.fault("llm", rate_limit={"status": 429, "retry_after": 1}, count=1)
    client = openai.OpenAI(base_url=sandbox.vendor_url("llm") + "/v1", api_key="sk", max_retries=1)
    started = time.monotonic()
    assert client.models.list().data
    assert time.monotonic() - started >= 0.9, "the client waited for Retry-After"
    assert [r["status"] for r in sandbox.requests("llm")] == [429, 200]
    client.close()


def test_latency_and_timeout(sandbox):
    url = sandbox.url + "/bugzilla/rest/version"
    sandbox.fault("bugzilla", latency_ms=300, count=1)
    started = time.monotonic()
    assert requests.get(url).status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    requests.get(url)
    assert time.monotonic() - started < 0.3

    sandbox.fault("bugzilla", timeout=True, timeout_s=5, count=1)
    with pytest.raises(requests.Timeout):
        requests.get(url, timeout=0.3)
    assert requests.get(url, timeout=2).status_code == 200


def test_broken_pagination_on_github_jira_and_portal(sandbox):
    sandbox.fault("github", broken_pagination="repeat", count=1, path="/repos/rfeplatform/demo/issues")
    page = requests.get(sandbox.url + REPO_ISSUES, params={"state": "all", "per_page": 100, "page": 1}, headers=GH)
    assert "page=1" in page.links["next"]["url"], "next points back at the same page"

    sandbox.fault("github", broken_pagination="lying_total", count=1)
    last = requests.get(sandbox.url + REPO_ISSUES, params={"state": "all", "per_page": 100, "page": 3}, headers=GH)
    assert len(last.json()) == 50 and "page=4" in last.links["next"]["url"]
    assert requests.get(last.links["next"]["url"], headers=GH).json() == []

    jira_search = sandbox.url + "/jira/rest/api/2/search"
    params = {"jql": "project = OCPBUGS", "maxResults": 5}
    honest = requests.get(jira_search, params=params, headers={"Authorization": "Bearer x"}).json()["total"]
    sandbox.fault("jira", broken_pagination="lying_total", count=1)
    lying = requests.get(jira_search, params=params, headers={"Authorization": "Bearer x"}).json()
    assert lying["total"] > honest

    headers = {"Authorization": f"Bearer {access_token(sandbox.url)}"}
    cases = sandbox.url + "/portal/hydra/rest/search/cases"
    first = requests.get(cases, params={"q": "*:*", "rows": 10, "start": 0, "fl": "case_number"}, headers=headers)
    sandbox.fault("portal", broken_pagination="repeat", count=1)
    second = requests.get(cases, params={"q": "*:*", "rows": 10, "start": 10, "fl": "case_number"}, headers=headers)
    assert second.json()["response"]["docs"] == first.json()["response"]["docs"]


def test_expired_tokens_give_401_until_the_client_reauthenticates(sandbox):
    token = access_token(sandbox.url)
    url = sandbox.url + "/portal/hydra/rest/search/cases"
    assert requests.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    applied = sandbox.fault("portal", expire_tokens=True)
    assert "expired" in applied[0]["applied"]
    expired = requests.get(url, headers={"Authorization": f"Bearer {token}"})
    assert expired.status_code == 401 and "expired" in expired.json()["message"]
    fresh = access_token(sandbox.url)
    assert requests.get(url, headers={"Authorization": f"Bearer {fresh}"}).status_code == 200

    sandbox.configure(sso_token_ttl_s=1)
    short = access_token(sandbox.url)
    time.sleep(1.1)
    assert requests.get(url, headers={"Authorization": f"Bearer {short}"}).status_code == 401

    sandbox.fault("jira", expire_tokens=True, count=1)
    assert (
        requests.get(sandbox.url + "/jira/rest/api/2/myself", headers={"Authorization": "Bearer x"}).status_code == 401
    )
    assert (
        requests.get(sandbox.url + "/jira/rest/api/2/myself", headers={"Authorization": "Bearer x"}).status_code == 200
    )


def test_malformed_bodies(sandbox):
    sandbox.fault("llm", malformed=True, count=1)
    client = openai.OpenAI(base_url=sandbox.vendor_url("llm") + "/v1", api_key="sk", max_retries=0)
    answer = client.chat.completions.create(
        model="sandbox-rca-1",
        messages=[{"role": "user", "content": "timeout"}],
        response_format={"type": "json_object"},
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.choices[0].message.content)
    client.close()
    sandbox.fault("databricks", malformed=True, count=1)
    broken = requests.get(sandbox.url + "/databricks/api/2.1/jobs/list", headers={"Authorization": "Bearer x"})
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()


def test_error_rate_is_seeded_so_runs_repeat(sandbox):
    def pattern():
        sandbox.fault("bugzilla", status=503, error_rate=0.5)
        return [requests.get(sandbox.url + "/bugzilla/rest/version").status_code for _ in range(20)]

    first = pattern()
    sandbox.reset()
    assert pattern() == first and {200, 503} == set(first)


def test_control_endpoints_over_http(sandbox):
    control = sandbox.url + "/_sandbox"
    assert requests.get(sandbox.url + "/").json()["vendors"]["jira"] == sandbox.url + "/jira"
    assert requests.post(control + "/faults", json={"vendor": "nope", "status": 500}).status_code == 400
    assert requests.post(control + "/faults", json={"vendor": "jira"}).status_code == 400, "a rule needs an effect"
    created = requests.post(
        control + "/faults",
        json={"faults": [{"vendor": "jira", "status": 503, "count": 3}, {"vendor": "*", "latency_ms": 1}]},
    )
    assert created.status_code == 201
    listed = requests.get(control + "/faults").json()["faults"]
    assert [(f["vendor"], f["remaining"]) for f in listed] == [("jira", 3), ("*", None)]
    requests.get(sandbox.url + "/jira/rest/api/2/serverInfo")
    assert requests.get(control + "/faults").json()["faults"][0]["remaining"] == 2
    assert requests.delete(control + "/faults", params={"vendor": "jira"}).json()["removed"] == 1
    assert requests.delete(control + "/faults").json()["removed"] == 1
    assert requests.patch(control + "/config", json={"jira_flavour": "cloud"}).json()["jira_flavour"] == "cloud"
    assert requests.patch(control + "/config", json={"jira_flavour": "bogus"}).status_code == 400

    requests.post(
        sandbox.url + "/jira/rest/api/2/issue",
        json={"fields": {"project": {"key": "OPS"}, "issuetype": {"name": "Incident"}, "summary": "temp"}},
        auth=("ops@example.com", "secret-api-token"),
    )
    assert sandbox.world.jira.get("OPS-1") is not None
    assert requests.post(control + "/reset").json()["reset"] is True
    assert sandbox.world.jira.get("OPS-1") is None
    assert sandbox.world.settings.jira_flavour == "dc"
    assert requests.get(control + "/requests").json()["requests"] == []


def test_request_log_records_what_clients_sent_without_credentials(sandbox):
    requests.post(
        sandbox.url + SSO_TOKEN_PATH,
        data={"grant_type": "refresh_token", "client_id": "rhsm-api", "refresh_token": "very-secret-offline"},
    )
    requests.patch(
        sandbox.url + "/github/repos/rfeplatform/demo/issues/1",
        json={"state": "closed", "state_reason": "not_planned"},
        headers={"Authorization": "token ghp_very_secret", "If-None-Match": '"abc"'},
    )
    requests.get(sandbox.url + "/bugzilla/rest/bug/1", params={"api_key": "bz-very-secret"})
    log = requests.get(sandbox.url + "/_sandbox/requests").json()["requests"]
    assert [e["vendor"] for e in log] == ["sso", "github", "bugzilla"]
    assert log[0]["body"] == {"grant_type": "refresh_token", "client_id": "rhsm-api", "refresh_token": "[redacted]"}
    assert log[1]["body"] == {"state": "closed", "state_reason": "not_planned"}
    assert log[1]["headers"]["authorization"] == "token [redacted]" and log[1]["auth"] == "token"
    assert log[2]["query"]["api_key"] == "[redacted]"
    assert "very-secret" not in json.dumps(log) and "ghp_very_secret" not in json.dumps(log)
    only_github = requests.get(sandbox.url + "/_sandbox/requests", params={"vendor": "github"}).json()["requests"]
    assert len(only_github) == 1 and sandbox.requests("github")[0]["status"] == 200
