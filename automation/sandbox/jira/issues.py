"""JIRA's data: projects, users, the workflow, and issues with their comments, remote links, changelog
and sprint. Writes go through `JiraStore` methods, which validate like JIRA does and record history.

The workflow is one simple scheme shared by every project:
New -(11 Start Progress)-> In Progress -(21 Send to Review)-> Review -(61 Back to In Progress)-> ...;
51 Move to Backlog from New/In Progress; 31 Close from any open status (resolution "Done" unless the
transition sets one); 41 Reopen from Closed back to New.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from automation.sandbox import catalog
from automation.sandbox.vendor import Problem

CATEGORIES = {
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {"id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"},
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}
STATUSES = {
    "New": ("10016", "new"),
    "Backlog": ("10018", "new"),
    "In Progress": ("3", "indeterminate"),
    "Review": ("10020", "indeterminate"),
    "Closed": ("6", "done"),
}
TRANSITIONS = (
    ("11", "Start Progress", {"New", "Backlog"}, "In Progress"),
    ("21", "Send to Review", {"In Progress"}, "Review"),
    ("31", "Close", {"New", "Backlog", "In Progress", "Review"}, "Closed"),
    ("41", "Reopen", {"Closed"}, "New"),
    ("51", "Move to Backlog", {"New", "In Progress"}, "Backlog"),
    ("61", "Back to In Progress", {"Review"}, "In Progress"),
)
PRIORITIES = {"Blocker": "1", "Critical": "2", "Major": "3", "Normal": "10200", "Minor": "4", "Undefined": "10300"}
ISSUE_TYPES = {"Bug": "1", "Task": "3", "Story": "17", "Epic": "16", "Feature Request": "10700", "Incident": "10800"}
RESOLUTIONS = {"Done": "1", "Won't Do": "10000", "Duplicate": "3", "Cannot Reproduce": "5", "Not a Bug": "10200"}
SPRINT_FIELD = "customfield_12310940"
STORY_POINTS_FIELD = "customfield_12310243"


@dataclass
class Project:
    id: str
    key: str
    name: str
    components: list[str]


@dataclass
class Sprint:
    id: int
    board_id: int
    name: str
    state: str  # "future" | "active" | "closed"
    start: datetime | None
    end: datetime | None


@dataclass
class Issue:
    id: int
    key: str
    project: str
    issuetype: str
    summary: str
    description: str
    status: str
    priority: str
    reporter: str
    created: datetime
    updated: datetime
    labels: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    assignee: str | None = None
    resolution: str | None = None
    resolutiondate: datetime | None = None
    fix_versions: list[str] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    remote_links: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    sprint: int | None = None
    custom: dict = field(default_factory=dict)
    indexed_at: float = 0.0  # wall-clock second the change becomes searchable on Cloud


def account_id(name: str) -> str:
    """Cloud-style accountId, stable per user name."""
    return "5b10" + hashlib.sha1(name.encode()).hexdigest()[:20]  # noqa: S324 - an identifier, not security


class JiraStore:
    def __init__(self):
        self.projects: dict[str, Project] = {}
        self.issues: list[Issue] = []
        self.by_key: dict[str, Issue] = {}
        self.by_id: dict[int, Issue] = {}
        self.boards: list[dict] = []
        self.sprints: dict[int, Sprint] = {}
        self.counters: dict[str, int] = {}
        self.next_id = 10_000
        self.next_link_id = 10_000
        self.next_comment_id = 100_000
        self.users = set(catalog.JIRA_PEOPLE) | {"rfe-bot"}

    def get(self, key_or_id: str) -> Issue | None:
        if str(key_or_id).isdigit():
            return self.by_id.get(int(key_or_id))
        return self.by_key.get(str(key_or_id).upper())

    def require(self, key_or_id: str) -> Issue:
        issue = self.get(key_or_id)
        if issue is None:
            raise Problem(404, "Issue Does Not Exist")
        return issue

    def add(self, issue: Issue) -> Issue:
        self.issues.append(issue)
        self.by_key[issue.key] = issue
        self.by_id[issue.id] = issue
        return issue

    def allocate(self, project: str, number: int | None = None) -> tuple[int, str]:
        if number is None:
            number = self.counters.get(project, 0) + 1
        self.counters[project] = max(self.counters.get(project, 0), number)
        self.next_id += 1
        return self.next_id, f"{project}-{number}"

    # writes

    def create(self, fields: dict, actor: str, when: datetime) -> Issue:
        errors = {}
        project = self._project(fields.get("project"))
        if project is None:
            errors["project"] = "valid project is required"
        issuetype = _named(fields.get("issuetype"), ISSUE_TYPES)
        if issuetype is None:
            errors["issuetype"] = "valid issue type is required"
        if not str(fields.get("summary") or "").strip():
            errors["summary"] = "You must specify a summary of the issue."
        priority = _named(fields.get("priority"), PRIORITIES) if fields.get("priority") else "Undefined"
        if priority is None:
            errors["priority"] = "Priority name is not valid."
        errors.update(_label_errors(fields.get("labels", [])))
        if errors:
            raise Problem(400, "", errors=errors)
        issue_id, key = self.allocate(project.key)
        issue = Issue(
            id=issue_id,
            key=key,
            project=project.key,
            issuetype=issuetype,
            summary=str(fields["summary"]).strip(),
            description=plain_text(fields.get("description")),
            status="New",
            priority=priority,
            reporter=actor,
            created=when,
            updated=when,
            labels=list(fields.get("labels") or []),
            components=[c.get("name", "") for c in fields.get("components") or [] if isinstance(c, dict)],
            assignee=self._user(fields.get("assignee")),
            custom={k: v for k, v in fields.items() if k.startswith("customfield_")},
        )
        self._ensure_components(project, issue.components)
        return self.add(issue)

    def edit(self, issue: Issue, fields: dict, update: dict, actor: str, when: datetime) -> None:
        changes = []
        errors = _label_errors(fields.get("labels", []))
        if errors:
            raise Problem(400, "", errors=errors)
        simple = {"summary": "summary", "description": "description"}
        for name, attr in simple.items():
            if name in fields:
                changes.append((name, getattr(issue, attr), plain_text(fields[name])))
                setattr(issue, attr, plain_text(fields[name]))
        if "priority" in fields:
            priority = _named(fields["priority"], PRIORITIES)
            if priority is None:
                raise Problem(400, "", errors={"priority": "Priority name is not valid."})
            changes.append(("priority", issue.priority, priority))
            issue.priority = priority
        if "assignee" in fields:
            assignee = self._user(fields["assignee"])
            changes.append(("assignee", issue.assignee, assignee))
            issue.assignee = assignee
        if "labels" in fields:
            changes.append(("labels", " ".join(issue.labels), " ".join(fields["labels"] or [])))
            issue.labels = list(fields["labels"] or [])
        if "components" in fields:
            issue.components = [c.get("name", "") for c in fields["components"] or [] if isinstance(c, dict)]
            self._ensure_components(self.projects[issue.project], issue.components)
        for name, value in fields.items():
            if name.startswith("customfield_"):
                issue.custom[name] = value
        for op in update.get("labels", []):
            before = " ".join(issue.labels)
            if "add" in op and op["add"] not in issue.labels:
                errors = _label_errors([op["add"]])
                if errors:
                    raise Problem(400, "", errors=errors)
                issue.labels.append(op["add"])
            if "remove" in op and op["remove"] in issue.labels:
                issue.labels.remove(op["remove"])
            if "set" in op:
                issue.labels = list(op["set"])
            changes.append(("labels", before, " ".join(issue.labels)))
        for op in update.get("comment", []):
            if "add" in op:
                self.comment(issue, plain_text(op["add"].get("body")), actor, when)
        self._record(issue, changes, actor, when)

    def transitions_for(self, issue: Issue) -> list[tuple]:
        return [t for t in TRANSITIONS if issue.status in t[2]]

    def transition(self, issue: Issue, transition_id: str, fields: dict, update: dict, actor: str, when) -> None:
        match = next((t for t in self.transitions_for(issue) if t[0] == str(transition_id)), None)
        if match is None:
            raise Problem(400, f"Transition id '{transition_id}' is not valid for this issue.")
        before = issue.status
        issue.status = match[3]
        changes = [("status", before, issue.status)]
        if issue.status == "Closed":
            resolution = _named(fields.get("resolution"), RESOLUTIONS) if fields.get("resolution") else "Done"
            if resolution is None:
                raise Problem(400, "", errors={"resolution": "Resolution is not valid."})
            changes.append(("resolution", issue.resolution, resolution))
            issue.resolution, issue.resolutiondate = resolution, when
        elif before == "Closed":
            changes.append(("resolution", issue.resolution, None))
            issue.resolution, issue.resolutiondate = None, None
        rest = {k: v for k, v in fields.items() if k != "resolution"}
        self._record(issue, changes, actor, when)
        if rest or update:
            self.edit(issue, rest, update, actor, when)

    def comment(self, issue: Issue, body: str, actor: str, when: datetime) -> dict:
        if not body.strip():
            raise Problem(400, "", errors={"comment": "Comment body can not be empty!"})
        self.next_comment_id += 1
        comment = {"id": str(self.next_comment_id), "author": actor, "body": body, "created": when, "updated": when}
        issue.comments.append(comment)
        issue.updated = when
        issue.indexed_at = when.timestamp()
        return comment

    def delete(self, issue: Issue) -> None:
        """DELETE /issue/{key}: gone from every index (JIRA refuses when subtasks exist; none here)."""
        self.issues.remove(issue)
        self.by_key.pop(issue.key, None)
        self.by_id.pop(issue.id, None)

    def delete_comment(self, issue: Issue, comment_id: str, when: datetime) -> None:
        kept = [c for c in issue.comments if c["id"] != str(comment_id)]
        if len(kept) == len(issue.comments):
            raise Problem(404, "Can not find a comment for the id")
        issue.comments = kept
        issue.updated = when

    def remote_link(self, issue: Issue, data: dict, when: datetime) -> tuple[dict, bool]:
        target = data.get("object") or {}
        if not target.get("url") or not target.get("title"):
            raise Problem(400, "", errors={"object": "Remote link object requires a url and a title."})
        global_id = data.get("globalId")
        for link in issue.remote_links:
            if global_id and link.get("globalId") == global_id:
                link.update({k: v for k, v in data.items() if k in ("object", "relationship", "application")})
                return link, False
        self.next_link_id += 1
        link = {"id": self.next_link_id, **{k: v for k, v in data.items() if k in _LINK_KEYS}}
        issue.remote_links.append(link)
        issue.updated = when
        return link, True

    def move_to_sprint(self, sprint: Sprint, keys: list[str], actor: str, when: datetime) -> None:
        if sprint.state == "closed":
            raise Problem(400, f"Cannot move issues to closed sprint '{sprint.name}'.")
        for key in keys:
            issue = self.require(key)
            self._record(issue, [("Sprint", str(issue.sprint or ""), sprint.name)], actor, when)
            issue.sprint = sprint.id

    # helpers

    def _record(self, issue: Issue, changes: list[tuple], actor: str, when: datetime) -> None:
        items = [
            {"field": name, "fieldtype": "jira", "from": None, "fromString": old, "to": None, "toString": new}
            for name, old, new in changes
            if old != new
        ]
        if not items:
            return
        issue.history.append({"id": str(10_000 + len(issue.history)), "author": actor, "created": when, "items": items})
        issue.updated = when
        issue.indexed_at = when.timestamp()

    def _project(self, value) -> Project | None:
        if isinstance(value, dict):
            key, pid = value.get("key"), value.get("id")
        else:
            key = pid = value
        for project in self.projects.values():
            if (key and project.key == str(key).upper()) or (pid and project.id == str(pid)):
                return project
        return None

    def _user(self, value) -> str | None:
        if not value:
            return None
        name = (value.get("name") or value.get("accountId") or value.get("key")) if isinstance(value, dict) else value
        if name:
            for user in self.users:
                if account_id(user) == name:
                    return user
            self.users.add(name)
        return name or None

    @staticmethod
    def _ensure_components(project: Project, names: list[str]) -> None:
        # Real JIRA rejects unknown components; the sandbox adds them, so a connection's component
        # mapping does not have to be mirrored here first.
        project.components.extend(n for n in names if n and n not in project.components)


_LINK_KEYS = ("globalId", "application", "relationship", "object")


def _named(value, catalogue: dict) -> str | None:
    if isinstance(value, dict):
        if value.get("name") in catalogue:
            return value["name"]
        by_id = {v: k for k, v in catalogue.items()}
        return by_id.get(str(value.get("id")))
    return value if value in catalogue else None


def _label_errors(labels) -> dict:
    for label in labels or []:
        if not isinstance(label, str) or " " in label:
            return {"labels": f"The label '{label}' contains spaces which is invalid."}
    return {}


def plain_text(value) -> str:
    """Plain text from a v2 string or a v3 Atlassian Document Format body."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if value.get("type") == "text":
            return value.get("text", "")
        parts = [plain_text(child) for child in value.get("content", [])]
        return ("\n" if value.get("type") == "doc" else "").join(parts)
    return str(value)
