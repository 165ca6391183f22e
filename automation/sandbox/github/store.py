"""GitHub's data: repositories with issues and pull requests, comments, commits, releases, code files
and labels, seeded so that "is this request already implemented?" has real evidence to find.

Issues ask for features from a fixed list. A pull request fixes an earlier issue ("Fixes #n"), which puts
a `cross-referenced` event on that issue; a merged one adds a commit that references it and, usually,
closes it. Some merged requests stay open (the already-implemented candidates). Implemented features get
source, test and docs files (found by code search) and a line in the next release's notes.
"""

import hashlib
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from automation.sandbox import seeding
from automation.sandbox.github.ratelimit import RateLimits

OWNER = "rfeplatform"
DEMO_REPO = "demo"
ME = "rfe-bot"
USERS = (ME, "alice-dev", "bob-ops", "carol-qa", "dmitri-sre", "erin-pm", "octocat")
LABELS = {
    "bug": ("d73a4a", "Something isn't working"),
    "enhancement": ("a2eeef", "New feature or request"),
    "documentation": ("0075ca", "Improvements or additions to documentation"),
    "question": ("d876e3", "Further information is requested"),
    "duplicate": ("cfd3d7", "This issue or pull request already exists"),
    "wontfix": ("ffffff", "This will not be worked on"),
    "good first issue": ("7057ff", "Good for newcomers"),
    "needs-triage": ("fbca04", "Not looked at yet"),
    "area/portal": ("c5def5", ""),
    "area/jira": ("c5def5", ""),
    "area/reports": ("c5def5", ""),
    "area/incidents": ("c5def5", ""),
}
FEATURES = (
    ("csv_export", "CSV export of the case list", "area/reports"),
    ("dark_mode", "a dark mode for the dashboard", "area/portal"),
    ("jira_cloud", "Jira Cloud search/jql support", "area/jira"),
    ("sla_badges", "SLA badges on incident cards", "area/incidents"),
    ("slack_threads", "Slack thread replies for incident updates", "area/incidents"),
    ("bulk_ack", "bulk acknowledge of incidents", "area/incidents"),
    ("pdf_report", "PDF rendering of customer reports", "area/reports"),
    ("saved_filters", "saved filters on the case dashboard", "area/portal"),
    ("sprint_sync", "moving T5G cards into the active sprint", "area/jira"),
    ("webhook_replay", "replay of failed webhook deliveries", "area/incidents"),
    ("case_tags", "filtering cases by tag", "area/portal"),
    ("rfe_digest", "a weekly RFE digest email", "area/reports"),
    ("timezone_schedules", "schedules in the team's time zone", "area/reports"),
    ("keyboard_shortcuts", "keyboard shortcuts in the portal", "area/portal"),
    ("bugzilla_batch", "batched Bugzilla lookups", "area/jira"),
    ("rca_feedback", "thumbs up/down feedback on RCA answers", "area/incidents"),
)


@dataclass(slots=True)
class Commit:
    sha: str
    message: str
    author: str
    date: datetime
    parent: str | None


@dataclass(slots=True)
class GhIssue:
    number: int
    title: str
    body: str
    user: str
    created: datetime
    updated: datetime
    labels: list[str]
    feature: str | None
    is_pr: bool = False
    state: str = "open"
    state_reason: str | None = None
    closed: datetime | None = None
    closed_by: str | None = None
    merged: datetime | None = None
    merge_sha: str | None = None
    assignees: list[str] = field(default_factory=list)
    seeded_comments: int = 0
    comments: list[dict] | None = None  # materialised on first read or write
    refs: list[tuple] = field(default_factory=list)  # ("pr", number, when) | ("commit", sha, when)
    events: list[dict] = field(default_factory=list)  # timeline events written at run time
    seed_close: tuple | None = None  # (actor, state_reason, commit sha, when) of the seeded closing


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    description: str
    created: datetime
    seed: str
    issues: list[GhIssue] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)  # newest first
    releases: list[dict] = field(default_factory=list)  # newest first
    files: dict[str, str] = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(LABELS))
    next_comment_id: int = 1_000_000

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def issue(self, number: int) -> GhIssue | None:
        return self.issues[number - 1] if 1 <= number <= len(self.issues) else None

    def commit(self, sha: str) -> Commit | None:
        return next((c for c in self.commits if c.sha.startswith(sha)), None) if len(sha) >= 7 else None

    def comments_of(self, issue: GhIssue) -> list[dict]:
        if issue.comments is None:
            rng = seeding.rng(self.seed, "comments", issue.number)
            issue.comments = []
            for index in range(issue.seeded_comments):
                when = issue.created + (issue.updated - issue.created) * (index + 1) / (issue.seeded_comments + 1)
                issue.comments.append(
                    {
                        "id": issue.number * 100 + index,
                        "user": rng.choice(USERS[1:]),
                        "body": rng.choice(
                            (
                                "+1, we need this too.",
                                "Any update?",
                                "Workaround: export via the API.",
                                "Looking into it.",
                            )
                        ),
                        "created": when,
                        "updated": when,
                    }
                )
        return issue.comments


class GitHubStore:
    def __init__(self, repos: list[Repo]):
        self.repos = {repo.full_name.lower(): repo for repo in repos}
        self.limits = RateLimits()

    def repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get(f"{owner}/{name}".lower())


def build(spec) -> GitHubStore:
    demo = _seed_repo(
        f"{spec.seed}:github:demo",
        DEMO_REPO,
        spec.issues,
        spec.anchor,
        700_001,
        "Demo product the RFE platform automates issues for",
    )
    notes = _seed_repo(
        f"{spec.seed}:github:notes", "field-notes", min(spec.issues, 12), spec.anchor, 700_002, "Field support notes"
    )
    return GitHubStore([demo, notes])


def _sha(seed: str, index: int) -> str:
    return hashlib.sha1(f"{seed}:{index}".encode()).hexdigest()  # noqa: S324 - a fake commit id


def _seed_repo(seed: str, name: str, count: int, anchor: datetime, repo_id: int, description: str) -> Repo:
    rng = seeding.rng(seed)
    span = timedelta(days=730)
    repo = Repo(repo_id, OWNER, name, description, anchor - span - timedelta(days=30), seed)
    commits: list[Commit] = []
    requests: list[GhIssue] = []
    implemented: dict[str, datetime] = {}

    def commit(message: str, author: str, when: datetime) -> Commit:
        made = Commit(_sha(seed, len(commits)), message, author, when, None)
        commits.append(made)
        return made

    for index, fraction in enumerate(sorted(rng.random() for _ in range(count))):
        number = index + 1
        created = (anchor - span * (1 - fraction)).replace(microsecond=0)
        if requests and rng.random() < 0.25:
            repo.issues.append(_pull_request(rng, number, created, requests, commit, implemented, anchor))
        else:
            issue = _request(rng, number, created)
            repo.issues.append(issue)
            requests.append(issue)
    for issue in requests:
        if issue.state == "open" and rng.random() < 0.3:
            issue.state = "closed"
            issue.state_reason = rng.choice(("not_planned", "completed"))
            issue.closed = min(issue.created + timedelta(days=rng.randrange(1, 60)), anchor)
            issue.closed_by = rng.choice(USERS[1:])
            issue.updated = max(issue.updated, issue.closed)
            if issue.state_reason == "not_planned":
                issue.labels.append("wontfix")
    for _ in range(max(count // 5, 3)):
        when = (anchor - span * rng.random()).replace(microsecond=0)
        message = rng.choice(("chore: bump dependencies", "docs: fix typos", "ci: cache pip", "refactor: tidy views"))
        if repo.issues and rng.random() < 0.2:
            target = repo.issues[rng.randrange(len(repo.issues))]
            if target.created < when:
                message += f"\n\nRefs #{target.number}"
                made = commit(message, rng.choice(USERS[1:]), when)
                target.refs.append(("commit", made.sha, when))
                continue
        commit(message, rng.choice(USERS[1:]), when)
    commits.sort(key=lambda c: c.date)
    for previous, current in itertools.pairwise(commits):
        current.parent = previous.sha
    repo.commits = list(reversed(commits))
    for issue in repo.issues:
        if issue.closed:
            sha = next((ref for kind, ref, when in issue.refs if kind == "commit" and when == issue.closed), None)
            issue.seed_close = (issue.closed_by, issue.state_reason, sha, issue.closed)
    repo.files = _files(implemented)
    repo.releases = _releases(repo, span, anchor)
    return repo


def _request(rng: random.Random, number: int, created: datetime) -> GhIssue:
    slug, title, area = FEATURES[rng.randrange(len(FEATURES))]
    roll = rng.random()
    if roll < 0.6:
        kind, text = "enhancement", rng.choice(("Add {}", "Support {}", "Feature request: {}")).format(title)
    elif roll < 0.9:
        kind, text = "bug", f"Broken: {title} fails for large teams"
    else:
        kind, text = "question", f"How do I enable {title}?"
    labels = [kind, area] + (["needs-triage"] if rng.random() < 0.3 else [])
    return GhIssue(
        number=number,
        title=text,
        body=f"We would like {title}.\n\nContext: requested by a customer ({slug}).",
        user=rng.choice(USERS[1:]),
        created=created,
        updated=created + timedelta(hours=rng.randrange(1, 500)),
        labels=labels,
        feature=slug,
        assignees=[rng.choice(USERS[1:])] if rng.random() < 0.4 else [],
        seeded_comments=rng.randrange(0, 4),
    )


def _pull_request(rng, number, created, requests, commit, implemented, anchor) -> GhIssue:
    target = requests[-1 - rng.randrange(min(len(requests), 40))]
    slug, title, area = next(f for f in FEATURES if f[0] == target.feature)
    author = rng.choice(USERS[1:])
    pr = GhIssue(
        number=number,
        title=f"Implement {title}" if "bug" not in target.labels else f"Fix {title} for large teams",
        body=f"Fixes #{target.number}\n\nAdds {slug} with tests and docs.",
        user=author,
        created=created,
        updated=created,
        labels=[area],
        feature=slug,
        is_pr=True,
        seeded_comments=rng.randrange(0, 3),
    )
    target.refs.append(("pr", number, created))
    roll = rng.random()
    if roll < 0.7:
        merged = min(created + timedelta(hours=rng.randrange(2, 240)), anchor)
        pr.state, pr.merged, pr.closed, pr.closed_by, pr.updated = "closed", merged, merged, author, merged
        made = commit(f"{pr.title} (#{number})\n\nFixes #{target.number}", author, merged)
        pr.merge_sha = made.sha
        target.refs.append(("commit", made.sha, merged))
        implemented.setdefault(slug, merged)
        if target.state == "open" and rng.random() < 0.8:
            target.state, target.state_reason, target.closed, target.closed_by = "closed", "completed", merged, author
            target.updated = max(target.updated, merged)
    elif roll < 0.8:
        closed = min(created + timedelta(hours=rng.randrange(2, 240)), anchor)
        pr.state, pr.state_reason, pr.closed, pr.closed_by, pr.updated = "closed", None, closed, author, closed
    return pr


def _files(implemented: dict[str, datetime]) -> dict[str, str]:
    files = {"README.md": "# demo\n\nThe product the RFE platform automates.\n", "src/rfe/__init__.py": ""}
    for slug, title, _ in FEATURES:
        if slug not in implemented:
            continue
        files[f"src/rfe/{slug}.py"] = (
            f'"""{title[0].upper() + title[1:]}."""\n\n\ndef {slug}(request):\n    return "{slug}"\n'
        )
        files[f"tests/test_{slug}.py"] = (
            f"from rfe.{slug} import {slug}\n\n\ndef test_{slug}():\n    assert {slug}(None)\n"
        )
        files[f"docs/{slug}.md"] = f"# {title[0].upper() + title[1:]}\n\nHow to use {slug}.\n"
    return files


def _releases(repo: Repo, span: timedelta, anchor: datetime) -> list[dict]:
    merged = sorted((i for i in repo.issues if i.merged), key=lambda i: i.merged)
    releases, start, minor = [], anchor - span, 0
    while start < anchor:
        end = min(start + timedelta(days=60), anchor)
        notes = [
            f"- {pr.title} (#{pr.number})" for pr in merged if start <= pr.merged and (pr.merged < end or end == anchor)
        ]
        releases.append(
            {
                "id": repo.id * 100 + minor,
                "tag_name": f"v1.{minor}.0",
                "name": f"v1.{minor}.0",
                "body": "## Changes\n" + ("\n".join(notes) or "- maintenance"),
                "published_at": end,
                "created_at": end,
                "author": USERS[1],
            }
        )
        start, minor = end, minor + 1
    return list(reversed(releases))
