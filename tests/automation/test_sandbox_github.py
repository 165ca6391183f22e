"""GitHub through PyGithub, plus the HTTP details PyGithub hides: Link pagination, ETags and quota."""

import re

import github
import pytest
import requests

REPO = "rfeplatform/demo"


@pytest.fixture
def gh(sandbox):
    client = github.Github(
        base_url=sandbox.vendor_url("github"),
        auth=github.Auth.Token("ghp_test"),
        per_page=100,
        seconds_between_requests=0,  # PyGithub's politeness throttle; the sandbox needs none
        seconds_between_writes=0,
    )
    yield client
    client.close()


def test_pygithub_reads_user_repos_issues_and_evidence(gh):
    assert gh.get_user().login == "rfe-bot"
    assert REPO in {r.full_name for r in gh.get_user().get_repos()}
    repo = gh.get_repo(REPO)
    assert repo.get_issues(state="all").totalCount == 250
    pulls = list(repo.get_pulls(state="all"))
    assert 30 < len(pulls) < 100
    merged = repo.get_issue(next(p.number for p in pulls if p.merged_at))
    assert merged.pull_request.merged_at is not None
    target = int(re.search(r"Fixes #(\d+)", merged.body).group(1))
    events = list(repo.get_issue(target).get_timeline())
    kinds = {e.event for e in events}
    assert {"cross-referenced", "referenced"} <= kinds
    cross = next(e for e in events if e.event == "cross-referenced" and e.source.issue.number == merged.number)
    assert cross.source.issue.pull_request is not None
    commits = list(repo.get_commits())
    assert any(f"Fixes #{target}" in c.commit.message for c in commits)
    assert repo.get_commit(commits[0].sha).sha == commits[0].sha
    assert any(f"#{merged.number}" in r.body for r in repo.get_releases())
    code = gh.search_code(f"{merged.title.split(' ', 1)[1].split()[0]} repo:{REPO}")
    assert code.totalCount >= 0
    pr = repo.get_pull(merged.number)
    assert pr.merged and pr.merged_at is not None


def test_code_search_finds_source_tests_and_docs_of_implemented_features(gh, sandbox):
    repo = sandbox.world.github.repo("rfeplatform", "demo")
    slug = next(path for path in repo.files if path.startswith("src/rfe/") and not path.endswith("__init__.py"))
    slug = slug.removeprefix("src/rfe/").removesuffix(".py")
    paths = {item.path for item in gh.search_code(f"{slug} repo:{REPO}")}
    assert {f"src/rfe/{slug}.py", f"tests/test_{slug}.py", f"docs/{slug}.md"} <= paths
    assert gh.search_code(f"nothing_like_this repo:{REPO}").totalCount == 0


def test_close_reopen_label_assign_and_comment_are_visible_on_the_next_read(gh):
    repo = gh.get_repo(REPO)
    issue = next(i for i in repo.get_issues(state="open") if i.pull_request is None)
    issue.edit(state="closed", state_reason="not_planned")
    closed = repo.get_issue(issue.number)
    assert (closed.state, closed.state_reason, closed.closed_by.login) == ("closed", "not_planned", "rfe-bot")
    closed.edit(state="open", state_reason="reopened")
    assert repo.get_issue(issue.number).state_reason == "reopened"

    issue.add_to_labels("already-implemented")
    issue.remove_from_labels(issue.labels[0].name if issue.labels else "already-implemented")
    issue.add_to_assignees("carol-qa")
    issue.create_comment("Implemented in #42, closing.")
    fresh = repo.get_issue(issue.number)
    assert "already-implemented" in {label.name for label in fresh.labels}
    assert "carol-qa" in {a.login for a in fresh.assignees}
    assert fresh.get_comments().reversed[0].body == "Implemented in #42, closing."
    kinds = [e.event for e in fresh.get_timeline()]
    assert {"closed", "reopened", "labeled", "assigned", "commented"} <= set(kinds)
    with pytest.raises(github.GithubException) as missing:
        fresh.remove_from_labels("not-on-this-issue")
    assert missing.value.status == 404


def test_link_pagination_walks_more_than_100_issues(sandbox):
    url = sandbox.vendor_url("github") + f"/repos/{REPO}/issues"
    headers = {"Authorization": "token ghp_test"}
    seen, pages, prs = [], 0, []
    response = requests.get(url, params={"state": "all", "per_page": 100}, headers=headers)
    while True:
        pages += 1
        seen += [i["number"] for i in response.json()]
        prs += [i for i in response.json() if "pull_request" in i]
        nxt = response.links.get("next")
        if not nxt:
            break
        assert "page=3" in response.links["last"]["url"]
        response = requests.get(nxt["url"], headers=headers)
    assert pages == 3 and len(seen) == len(set(seen)) == 250
    assert 30 < len(prs) < 100, "pull requests come back as issues with a pull_request key"
    assert "prev" in response.links and "first" in response.links


def test_pygithub_conditional_update_gets_304_until_the_issue_changes(gh):
    issue = gh.get_repo(REPO).get_issue(2)
    assert issue.etag
    remaining = gh.rate_limiting[0]
    assert issue.update() is False, "If-None-Match matched: 304"
    assert gh.rate_limiting[0] == remaining
    issue.create_comment("ping")
    assert issue.update() is True and issue.comments == issue.raw_data["comments"]


def test_etag_304_costs_no_quota(sandbox):
    url = sandbox.vendor_url("github") + f"/repos/{REPO}/issues/1"
    headers = {"Authorization": "token ghp_etag"}
    first = requests.get(url, headers=headers)
    etag = first.headers["ETag"]
    remaining = int(first.headers["x-ratelimit-remaining"])
    for _ in range(3):
        again = requests.get(url, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert int(again.headers["x-ratelimit-remaining"]) == remaining
    requests.patch(url, json={"title": "Renamed"}, headers=headers)
    changed = requests.get(url, headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert int(changed.headers["x-ratelimit-remaining"]) == remaining - 2


def test_primary_rate_limit_and_auth_rules(sandbox):
    sandbox.configure(github_rate_limit=3)
    url = sandbox.vendor_url("github") + f"/repos/{REPO}"
    headers = {"Authorization": "token ghp_small"}
    statuses = [requests.get(url, headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 403]
    limited = requests.get(url, headers=headers)
    assert limited.headers["x-ratelimit-remaining"] == "0" and int(limited.headers["x-ratelimit-reset"]) > 0
    assert "rate limit" in limited.json()["message"]
    anonymous = requests.get(url)
    assert anonymous.status_code == 200 and anonymous.headers["x-ratelimit-limit"] == "60"
    write = requests.patch(url + "/issues/1", json={"state": "closed"})
    assert write.status_code == 401 and write.json()["message"] == "Requires authentication"
    assert requests.get(sandbox.vendor_url("github") + "/user").status_code == 401
    bad = requests.get(url, headers={"Authorization": "token "})
    assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
