"""GitHub REST v3 paths (as on GitHub Enterprise, under the `/github` prefix): the user and repos,
issues (see `issues.py`), labels, pulls, commits, releases, contents, search and `/rate_limit`.
How the API pages, caches and limits lives in `protocol.py`."""

from werkzeug.routing import Rule

from automation.sandbox import clock
from automation.sandbox.github import issues, ratelimit, search
from automation.sandbox.github.issues import issue_of, repo_of, since_of
from automation.sandbox.github.protocol import around, authenticate, error, needs_token, paginate, rate_limited
from automation.sandbox.github.render import Renderer
from automation.sandbox.github.store import ME
from automation.sandbox.vendor import Call, Problem, Vendor, empty_reply, json_reply

REPO = "/repos/<owner>/<name>"
ISSUE = f"{REPO}/issues/<int:number>"


@needs_token
def get_user(call: Call):
    user = Renderer(call.base).user(ME)
    return json_reply(user | {"name": "RFE platform bot", "email": None, "public_repos": len(call.world.github.repos)})


def get_named_user(call: Call, login: str):
    return json_reply(Renderer(call.base).user(login))


@needs_token
def user_repos(call: Call):
    render = Renderer(call.base)
    repos = sorted(call.world.github.repos.values(), key=lambda r: r.full_name)
    chunk, headers = paginate(call, repos)
    return json_reply([render.repo(r) for r in chunk], headers=headers)


def get_repo(call: Call, owner: str, name: str):
    return json_reply(Renderer(call.base).repo(repo_of(call, owner, name)))


def repo_labels(call: Call, owner: str, name: str):
    repo = repo_of(call, owner, name)
    render = Renderer(call.base)
    chunk, headers = paginate(call, sorted(repo.labels))
    return json_reply([render.label(repo, label) for label in chunk], headers=headers)


def list_pulls(call: Call, owner: str, name: str):
    repo = repo_of(call, owner, name)
    state = call.args.get("state", "open")
    pulls = [i for i in reversed(repo.issues) if i.is_pr and (state == "all" or i.state == state)]
    chunk, headers = paginate(call, pulls)
    render = Renderer(call.base)
    return json_reply([render.pull(repo, p) for p in chunk], headers=headers)


def get_pull(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    if not issue.is_pr:
        raise Problem(404, "Not Found")
    return json_reply(Renderer(call.base).pull(repo, issue))


def pull_merged(call: Call, owner: str, name: str, number: int):
    _, issue = issue_of(call, owner, name, number)
    if not issue.is_pr or not issue.merged:
        raise Problem(404, "Not Found")
    return empty_reply(204)


def list_commits(call: Call, owner: str, name: str):
    repo = repo_of(call, owner, name)
    since, until = since_of(call), call.args.get("until")
    until = clock.parse(until) if until else None
    commits = [c for c in repo.commits if (since is None or c.date >= since) and (until is None or c.date <= until)]
    chunk, headers = paginate(call, commits)
    render = Renderer(call.base)
    return json_reply([render.commit(repo, c) for c in chunk], headers=headers)


def get_commit(call: Call, owner: str, name: str, sha: str):
    repo = repo_of(call, owner, name)
    commit = repo.commit(sha)
    if commit is None:
        raise Problem(422, f"No commit found for SHA: {sha}")
    return json_reply(Renderer(call.base).commit(repo, commit))


def list_releases(call: Call, owner: str, name: str):
    repo = repo_of(call, owner, name)
    chunk, headers = paginate(call, repo.releases)
    render = Renderer(call.base)
    return json_reply([render.release(repo, r) for r in chunk], headers=headers)


def latest_release(call: Call, owner: str, name: str):
    repo = repo_of(call, owner, name)
    if not repo.releases:
        raise Problem(404, "Not Found")
    return json_reply(Renderer(call.base).release(repo, repo.releases[0]))


def get_content(call: Call, owner: str, name: str, path: str):
    repo = repo_of(call, owner, name)
    if path not in repo.files:
        raise Problem(404, "Not Found")
    return json_reply(Renderer(call.base).content(repo, path))


def search_code(call: Call):
    found = search.code(call.world.github, call.args.get("q", ""))
    chunk, headers = paginate(call, found, cap=search.RESULT_CAP)
    render = Renderer(call.base)
    items = []
    for repo, path in chunk:
        content = render.content(repo, path)
        items.append(
            {
                "name": content["name"],
                "path": path,
                "sha": content["sha"],
                "url": content["url"],
                "git_url": content["git_url"],
                "html_url": content["html_url"],
                "repository": render.repo(repo, full=False),
                "score": 1.0,
            }
        )
    return json_reply({"total_count": len(found), "incomplete_results": False, "items": items}, headers=headers)


def search_issues(call: Call):
    found = search.issues(call.world.github, call.args.get("q", ""))
    chunk, headers = paginate(call, found, cap=search.RESULT_CAP)
    render = Renderer(call.base)
    items = [render.issue(repo, issue) | {"score": 1.0} for repo, issue in chunk]
    return json_reply({"total_count": len(found), "incomplete_results": False, "items": items}, headers=headers)


def rate_limit(call: Call):
    secret = call.credential[1] if call.credential else None
    limits = call.world.github.limits
    identity = limits.identity(secret)
    resources = {}
    for resource in ("core", "search", "code_search"):
        limit = ratelimit.limit_for(resource, call.world.settings, anonymous=secret is None)
        bucket = limits.bucket(identity, resource, limit)
        resources[resource] = {
            "limit": bucket.limit,
            "remaining": bucket.remaining,
            "reset": bucket.reset,
            "used": bucket.used,
            "resource": resource,
        }
    return json_reply({"resources": resources, "rate": resources["core"]})


VENDOR = Vendor(
    "github",
    [
        Rule("/user", endpoint=get_user, methods=["GET"]),
        Rule("/user/repos", endpoint=user_repos, methods=["GET"]),
        Rule("/users/<login>", endpoint=get_named_user, methods=["GET"]),
        Rule("/rate_limit", endpoint=rate_limit, methods=["GET"]),
        Rule("/search/code", endpoint=search_code, methods=["GET"]),
        Rule("/search/issues", endpoint=search_issues, methods=["GET"]),
        Rule(REPO, endpoint=get_repo, methods=["GET"]),
        Rule(f"{REPO}/issues", endpoint=issues.list_issues, methods=["GET"]),
        Rule(f"{REPO}/issues", endpoint=issues.create_issue, methods=["POST"]),
        Rule(ISSUE, endpoint=issues.get_issue, methods=["GET"]),
        Rule(ISSUE, endpoint=issues.edit_issue, methods=["PATCH"]),
        Rule(f"{ISSUE}/labels", endpoint=issues.issue_labels, methods=["GET"]),
        Rule(f"{ISSUE}/labels", endpoint=issues.add_labels, methods=["POST"]),
        Rule(f"{ISSUE}/labels", endpoint=issues.replace_labels, methods=["PUT"]),
        Rule(f"{ISSUE}/labels/<path:label>", endpoint=issues.remove_label, methods=["DELETE"]),
        Rule(f"{ISSUE}/assignees", endpoint=issues.add_assignees, methods=["POST"]),
        Rule(f"{ISSUE}/assignees", endpoint=issues.remove_assignees, methods=["DELETE"]),
        Rule(f"{ISSUE}/comments", endpoint=issues.list_comments, methods=["GET"]),
        Rule(f"{ISSUE}/comments", endpoint=issues.add_comment, methods=["POST"]),
        Rule(f"{ISSUE}/timeline", endpoint=issues.timeline, methods=["GET"]),
        Rule(f"{REPO}/labels", endpoint=repo_labels, methods=["GET"]),
        Rule(f"{REPO}/pulls", endpoint=list_pulls, methods=["GET"]),
        Rule(f"{REPO}/pulls/<int:number>", endpoint=get_pull, methods=["GET"]),
        Rule(f"{REPO}/pulls/<int:number>/merge", endpoint=pull_merged, methods=["GET"]),
        Rule(f"{REPO}/commits", endpoint=list_commits, methods=["GET"]),
        Rule(f"{REPO}/commits/<sha>", endpoint=get_commit, methods=["GET"]),
        Rule(f"{REPO}/releases", endpoint=list_releases, methods=["GET"]),
        Rule(f"{REPO}/releases/latest", endpoint=latest_release, methods=["GET"]),
        Rule(f"{REPO}/contents/<path:path>", endpoint=get_content, methods=["GET"]),
    ],
    error=error,
    authenticate=authenticate,
    rate_limited=rate_limited,
    around=around,
)
