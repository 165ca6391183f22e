"""Seeded data is deterministic, belongs to the demo accounts, and scales to 10,000 cases and issues."""

import re
import time

import pytest
import requests

from automation.sandbox import catalog, start
from tests.automation.conftest import access_token


def snapshot(handle) -> dict:
    """A cross-vendor sample of what clients read, with the instance's own address taken out."""
    url = handle.url
    portal = {"Authorization": f"Bearer {access_token(url)}"}
    token = {"Authorization": "Bearer x"}
    reads = {
        "cases": requests.get(
            f"{url}/portal/hydra/rest/search/cases", params={"q": "*:*", "rows": 500}, headers=portal
        ),
        "case": requests.get(f"{url}/portal/hydra/rest/v1/cases/03700010", headers=portal),
        "jira": requests.get(
            f"{url}/jira/rest/api/2/search", params={"jql": "ORDER BY key ASC", "maxResults": 1000}, headers=token
        ),
        "github": requests.get(f"{url}/github/repos/rfeplatform/demo/issues", params={"state": "all", "per_page": 100}),
        "timeline": requests.get(f"{url}/github/repos/rfeplatform/demo/issues/5/timeline"),
        "commits": requests.get(f"{url}/github/repos/rfeplatform/demo/commits", params={"per_page": 100}),
        "bugzilla": requests.get(f"{url}/bugzilla/rest/bug", headers=token),
        "slack": requests.get(
            f"{url}/slack/api/conversations.history", params={"channel": "C0SBXINC01"}, headers=token
        ),
        "databricks": requests.get(f"{url}/databricks/api/2.1/jobs/runs/list", headers=token),
    }
    snapshot = {}
    for name, response in reads.items():
        assert response.status_code == 200, name
        text = re.sub(r'"QTime": \d+', '"QTime": 0', response.text)  # Solr's timing is the one honest variable
        snapshot[name] = text.replace(url, "{sandbox}")
    return snapshot


def test_same_seed_same_data_different_seed_different_data():
    one, two, other = (start(port=0, seed=seed, cases=120, issues=60) for seed in (7, 7, 8))
    try:
        first, second, third = snapshot(one), snapshot(two), snapshot(other)
        assert first == second
        assert first["cases"] != third["cases"] and first["github"] != third["github"]
    finally:
        for handle in (one, two, other):
            handle.stop()


def test_seeded_accounts_are_the_demo_customers():
    from rfeplatform.management.commands.demo import TEAMS

    demo = {(name, account) for team in TEAMS for name, account, *_ in team["customers"]}
    assert {(a.name, a.number) for a in catalog.ACCOUNTS} == demo


@pytest.fixture(scope="module")
def big():
    started = time.monotonic()
    handle = start(port=0, seed=42, cases=10_000, issues=10_000)
    elapsed = time.monotonic() - started
    print(f"\nsandbox with 10,000 cases and 10,000 issues started in {elapsed:.2f} s")
    handle.startup_s = elapsed
    yield handle
    handle.stop()


def test_10k_cases_and_issues_start_fast(big):
    assert big.startup_s < 10
    issues = requests.get(big.url + "/github/repos/rfeplatform/demo/issues", params={"state": "all", "per_page": 100})
    assert "page=100" in issues.links["last"]["url"]


def test_portal_caps_search_at_9999_and_a_date_split_gets_everything(big):
    headers = {"Authorization": f"Bearer {access_token(big.url)}"}
    url = big.url + "/portal/hydra/rest/search/cases"

    def get(q, start, rows):
        return requests.get(
            url, params={"q": q, "start": start, "rows": rows, "fl": "case_number,case_createdDate"}, headers=headers
        )

    whole = get("*:*", 9_900, 500)
    assert whole.json()["response"]["numFound"] == 10_000
    assert len(whole.json()["response"]["docs"]) == 99, "the page stops at the 9,999th document"
    refused = get("*:*", 9_999, 10)
    assert refused.status_code == 400 and "window" in refused.json()["error"]["msg"]

    middle = get("*:*", 5_000, 1).json()["response"]["docs"][0]["case_createdDate"]
    seen = set()
    for q in (f"case_createdDate:[* TO {middle}}}", f"case_createdDate:[{middle} TO *]"):
        start, found = 0, None
        while found is None or start < found:
            page = get(q, start, 5_000).json()["response"]
            found = page["numFound"]
            assert found < 9_999
            seen |= {doc["case_number"] for doc in page["docs"]}
            start += 5_000
    assert len(seen) == 10_000
