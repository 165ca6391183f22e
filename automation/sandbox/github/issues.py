"""GitHub issues (pull requests included, as on GitHub): list with filters, get, create, edit
(close/reopen with `state_reason`), labels, assignees, comments and the timeline. Every write is
recorded as a timeline event, so what a client did shows up on its next read.
"""

from automation.sandbox import clock
from automation.sandbox.github.protocol import paginate
from automation.sandbox.github.render import Renderer
from automation.sandbox.github.store import ME, USERS, GhIssue, Repo
from automation.sandbox.vendor import Call, Problem, json_reply


def repo_of(call: Call, owner: str, name: str) -> Repo:
    repo = call.world.github.repo(owner, name)
    if repo is None:
        raise Problem(404, "Not Found")
    return repo


def issue_of(call: Call, owner: str, name: str, number: int) -> tuple[Repo, GhIssue]:
    repo = repo_of(call, owner, name)
    issue = repo.issue(number)
    if issue is None:
        raise Problem(404, "Not Found")
    return repo, issue


def _touch(issue: GhIssue, event: str, actor: str, **details) -> None:
    when = clock.now()
    issue.updated = when
    issue.events.append({"event": event, "actor": actor, "created_at": when, **details})


def since_of(call: Call):
    if not call.args.get("since"):
        return None
    try:
        return clock.parse(call.args["since"])
    except ValueError:
        raise Problem(
            422, "Validation Failed", errors=[{"resource": "Issue", "field": "since", "code": "invalid"}]
        ) from None


def list_issues(call: Call, owner: str, name: str):
    repo = repo_of(call, owner, name)
    state = call.args.get("state", "open")
    if state not in ("open", "closed", "all"):
        raise Problem(422, "Validation Failed", errors=[{"resource": "Issue", "field": "state", "code": "invalid"}])
    labels = [label.strip() for label in call.args.get("labels", "").split(",") if label.strip()]
    since = since_of(call)
    assignee, creator = call.args.get("assignee"), call.args.get("creator")
    found = [
        issue
        for issue in repo.issues
        if (state == "all" or issue.state == state)
        and all(label in issue.labels for label in labels)
        and (since is None or issue.updated >= since)
        and (
            assignee is None
            or (assignee == "none" and not issue.assignees)
            or (assignee == "*" and issue.assignees)
            or assignee in issue.assignees
        )
        and (creator is None or issue.user == creator)
    ]
    sort = call.args.get("sort", "created")
    keys = {
        "created": lambda i: (i.created, i.number),
        "updated": lambda i: (i.updated, i.number),
        "comments": lambda i: (len(repo.comments_of(i)) if i.comments is not None else i.seeded_comments, i.number),
    }
    found.sort(key=keys.get(sort, keys["created"]), reverse=call.args.get("direction", "desc") != "asc")
    chunk, headers = paginate(call, found)
    render = Renderer(call.base)
    return json_reply([render.issue(repo, issue) for issue in chunk], headers=headers)


def create_issue(call: Call, owner: str, name: str):
    repo = repo_of(call, owner, name)
    data = call.data if isinstance(call.data, dict) else {}
    if not str(data.get("title") or "").strip():
        raise Problem(
            422, "Validation Failed", errors=[{"resource": "Issue", "field": "title", "code": "missing_field"}]
        )
    now = clock.now()
    issue = GhIssue(
        number=len(repo.issues) + 1,
        title=str(data["title"]),
        body=str(data.get("body") or ""),
        user=ME,
        created=now,
        updated=now,
        labels=[],
        feature=None,
        comments=[],
    )
    repo.issues.append(issue)
    _set_labels(repo, issue, data.get("labels") or [], ME)
    issue.assignees = [a for a in data.get("assignees") or [] if a in USERS]
    return json_reply(Renderer(call.base).issue(repo, issue, single=True), 201)


def get_issue(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    return json_reply(Renderer(call.base).issue(repo, issue, single=True))


def edit_issue(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    data = call.data if isinstance(call.data, dict) else {}
    actor = ME
    if "state" in data and data["state"] not in ("open", "closed"):
        raise Problem(422, "Validation Failed", errors=[{"resource": "Issue", "field": "state", "code": "invalid"}])
    reason = data.get("state_reason")
    if reason not in (None, "completed", "not_planned", "reopened", "duplicate"):
        raise Problem(
            422, "Validation Failed", errors=[{"resource": "Issue", "field": "state_reason", "code": "invalid"}]
        )
    for key in ("title", "body"):
        if key in data:
            setattr(issue, key, str(data[key] or ""))
            issue.updated = clock.now()
    if data.get("state") == "closed" and issue.state != "closed":
        issue.state, issue.state_reason = "closed", reason or "completed"
        issue.closed, issue.closed_by = clock.now(), actor
        _touch(issue, "closed", actor, state_reason=issue.state_reason, commit_id=None)
    elif data.get("state") == "open" and issue.state != "open":
        issue.state, issue.state_reason, issue.closed, issue.closed_by = "open", "reopened", None, None
        _touch(issue, "reopened", actor, state_reason="reopened")
    elif reason and issue.state == "closed" and reason != issue.state_reason:
        issue.state_reason = reason
        issue.updated = clock.now()
    if "labels" in data:
        _set_labels(repo, issue, data["labels"] or [], actor)
    if "assignees" in data:
        _assign(issue, data["assignees"] or [], actor, replace=True)
    return json_reply(Renderer(call.base).issue(repo, issue, single=True))


def _label_names(data) -> list[str]:
    items = data.get("labels") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise Problem(422, "Invalid request.\n\nFor 'links/0/schema', nil is not an array.")
    return [item["name"] if isinstance(item, dict) else str(item) for item in items]


def _set_labels(repo: Repo, issue: GhIssue, names: list, actor: str) -> None:
    names = _label_names(names)
    for name in [n for n in issue.labels if n not in names]:
        issue.labels.remove(name)
        _touch(issue, "unlabeled", actor, label={"name": name, "color": repo.labels.get(name, ("ededed", ""))[0]})
    _add_labels(repo, issue, names, actor)


def _add_labels(repo: Repo, issue: GhIssue, names: list[str], actor: str) -> None:
    for name in names:
        repo.labels.setdefault(name, ("ededed", ""))  # GitHub creates unknown labels on the fly
        if name not in issue.labels:
            issue.labels.append(name)
            _touch(issue, "labeled", actor, label={"name": name, "color": repo.labels[name][0]})


def _assign(issue: GhIssue, logins: list, actor: str, *, replace: bool = False) -> None:
    wanted = [login for login in logins if login in USERS]  # GitHub silently drops non-collaborators
    if replace:
        for login in [a for a in issue.assignees if a not in wanted]:
            issue.assignees.remove(login)
            _touch(issue, "unassigned", actor, assignee=login)
    for login in wanted:
        if login not in issue.assignees and len(issue.assignees) < 10:
            issue.assignees.append(login)
            _touch(issue, "assigned", actor, assignee=login)


def issue_labels(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    render = Renderer(call.base)
    return json_reply([render.label(repo, label) for label in issue.labels])


def add_labels(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    _add_labels(repo, issue, _label_names(call.data), ME)
    render = Renderer(call.base)
    return json_reply([render.label(repo, label) for label in issue.labels])


def replace_labels(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    _set_labels(repo, issue, call.data, ME)
    render = Renderer(call.base)
    return json_reply([render.label(repo, label) for label in issue.labels])


def remove_label(call: Call, owner: str, name: str, number: int, label: str):
    repo, issue = issue_of(call, owner, name, number)
    if label not in issue.labels:
        raise Problem(404, "Label does not exist")
    issue.labels.remove(label)
    _touch(issue, "unlabeled", ME, label={"name": label, "color": repo.labels.get(label, ("ededed", ""))[0]})
    render = Renderer(call.base)
    return json_reply([render.label(repo, item) for item in issue.labels])


def add_assignees(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    logins = (call.data or {}).get("assignees", []) if isinstance(call.data, dict) else []
    _assign(issue, [logins] if isinstance(logins, str) else logins, ME)
    return json_reply(Renderer(call.base).issue(repo, issue, single=True), 201)


def remove_assignees(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    logins = (call.data or {}).get("assignees", []) if isinstance(call.data, dict) else []
    for login in [logins] if isinstance(logins, str) else logins:
        if login in issue.assignees:
            issue.assignees.remove(login)
            _touch(issue, "unassigned", ME, assignee=login)
    return json_reply(Renderer(call.base).issue(repo, issue, single=True))


def list_comments(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    since = since_of(call)
    comments = [c for c in repo.comments_of(issue) if since is None or c["updated"] >= since]
    chunk, headers = paginate(call, comments)
    render = Renderer(call.base)
    return json_reply([render.comment(repo, issue, c) for c in chunk], headers=headers)


def add_comment(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    body = (call.data or {}).get("body") if isinstance(call.data, dict) else None
    if not body:
        raise Problem(
            422, "Validation Failed", errors=[{"resource": "IssueComment", "field": "body", "code": "missing_field"}]
        )
    repo.next_comment_id += 1
    now = clock.now()
    comment = {"id": repo.next_comment_id, "user": ME, "body": str(body), "created": now, "updated": now}
    repo.comments_of(issue).append(comment)
    issue.updated = now
    return json_reply(Renderer(call.base).comment(repo, issue, comment), 201)


def timeline(call: Call, owner: str, name: str, number: int):
    repo, issue = issue_of(call, owner, name, number)
    chunk, headers = paginate(call, Renderer(call.base).timeline(repo, issue))
    return json_reply(chunk, headers=headers)
