"""JIRA's JSON shapes: issues (v2 strings, or v3 Atlassian Document Format when asked through
/rest/api/3), users in the DC (`name`/`key`) or Cloud (`accountId`) style, comments, transitions,
projects, the field catalogue and serverInfo."""

from automation.sandbox import clock
from automation.sandbox.jira.issues import (
    CATEGORIES,
    ISSUE_TYPES,
    PRIORITIES,
    RESOLUTIONS,
    SPRINT_FIELD,
    STATUSES,
    STORY_POINTS_FIELD,
    Issue,
    JiraStore,
    Project,
    account_id,
)

SYSTEM_FIELDS = (
    ("summary", "Summary", "string"),
    ("description", "Description", "string"),
    ("status", "Status", "status"),
    ("priority", "Priority", "priority"),
    ("issuetype", "Issue Type", "issuetype"),
    ("project", "Project", "project"),
    ("labels", "Labels", "array"),
    ("components", "Component/s", "array"),
    ("assignee", "Assignee", "user"),
    ("reporter", "Reporter", "user"),
    ("creator", "Creator", "user"),
    ("created", "Created", "datetime"),
    ("updated", "Updated", "datetime"),
    ("resolution", "Resolution", "resolution"),
    ("resolutiondate", "Resolved", "datetime"),
    ("fixVersions", "Fix Version/s", "array"),
    ("comment", "Comment", "comments-page"),
    ("issuelinks", "Linked Issues", "array"),
    ("subtasks", "Sub-Tasks", "array"),
)
CUSTOM_FIELDS = ((SPRINT_FIELD, "Sprint", "array", 12310940), (STORY_POINTS_FIELD, "Story Points", "number", 12310243))


def adf(text: str) -> dict:
    paragraphs = (text or "").split("\n")
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": p}] if p else []} for p in paragraphs],
    }


class Renderer:
    """Renders for one request: knows the base URL, the flavour and the API version asked for."""

    def __init__(self, base: str, store: JiraStore, *, cloud: bool, v3: bool):
        self.base = base
        self.store = store
        self.cloud = cloud
        self.v3 = v3
        self.api = f"{base}/rest/api/{'3' if v3 else '2'}"

    def text(self, value: str):
        return adf(value) if self.v3 else value

    def user(self, name: str | None) -> dict | None:
        if not name:
            return None
        data = {
            "self": f"{self.api}/user?{'accountId=' + account_id(name) if self.cloud else 'username=' + name}",
            "accountId": account_id(name),
            "emailAddress": f"{name}@example.com",
            "displayName": name.replace("-", " ").title(),
            "active": True,
            "timeZone": "UTC",
            "avatarUrls": {"48x48": f"{self.base}/secure/useravatar?size=large&ownerId={name}"},
        }
        if not self.cloud:
            data.update({"name": name, "key": name})
        else:
            data["accountType"] = "atlassian"
        return data

    def status(self, name: str) -> dict:
        status_id, category = STATUSES[name]
        return {
            "self": f"{self.api}/status/{status_id}",
            "id": status_id,
            "name": name,
            "statusCategory": {
                "self": f"{self.api}/statuscategory/{CATEGORIES[category]['id']}",
                **CATEGORIES[category],
            },
        }

    def project(self, project: Project, *, expand: bool = False) -> dict:
        data = {
            "self": f"{self.api}/project/{project.id}",
            "id": project.id,
            "key": project.key,
            "name": project.name,
            "projectTypeKey": "software",
            "avatarUrls": {"48x48": f"{self.base}/secure/projectavatar?pid={project.id}"},
        }
        if expand:
            data["components"] = [self.component(project, name) for name in project.components]
            data["issueTypes"] = [self.issuetype(name) for name in ISSUE_TYPES]
        return data

    def component(self, project: Project, name: str) -> dict:
        component_id = str(20_000 + int(project.id) * 10 + project.components.index(name))
        return {"self": f"{self.api}/component/{component_id}", "id": component_id, "name": name}

    def issuetype(self, name: str) -> dict:
        type_id = ISSUE_TYPES[name]
        return {"self": f"{self.api}/issuetype/{type_id}", "id": type_id, "name": name, "subtask": False}

    def priority(self, name: str) -> dict:
        return {"self": f"{self.api}/priority/{PRIORITIES[name]}", "id": PRIORITIES[name], "name": name}

    def comment(self, issue: Issue, comment: dict) -> dict:
        return {
            "self": f"{self.api}/issue/{issue.id}/comment/{comment['id']}",
            "id": comment["id"],
            "author": self.user(comment["author"]),
            "body": self.text(comment["body"]),
            "updateAuthor": self.user(comment["author"]),
            "created": clock.jira_time(comment["created"]),
            "updated": clock.jira_time(comment["updated"]),
        }

    def comments_page(self, issue: Issue) -> dict:
        comments = [self.comment(issue, c) for c in issue.comments]
        return {"comments": comments, "maxResults": len(comments), "total": len(comments), "startAt": 0}

    def transition(self, transition: tuple) -> dict:
        transition_id, name, _, target = transition
        return {
            "id": transition_id,
            "name": name,
            "to": self.status(target),
            "hasScreen": False,
            "isGlobal": False,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
        }

    def remote_link(self, issue: Issue, link: dict) -> dict:
        return {"self": f"{self.api}/issue/{issue.key}/remotelink/{link['id']}", **link}

    def sprint(self, sprint_id: int | None) -> list | None:
        sprint = self.store.sprints.get(sprint_id) if sprint_id else None
        if sprint is None:
            return None
        return [
            {
                "id": sprint.id,
                "name": sprint.name,
                "state": sprint.state.upper() if not self.cloud else sprint.state,
                "boardId": sprint.board_id,
                "startDate": clock.jira_time(sprint.start),
                "endDate": clock.jira_time(sprint.end),
            }
        ]

    def fields(self, issue: Issue) -> dict:
        project = self.store.projects[issue.project]
        return {
            "summary": issue.summary,
            "description": self.text(issue.description) if issue.description else None,
            "status": self.status(issue.status),
            "priority": self.priority(issue.priority),
            "issuetype": self.issuetype(issue.issuetype),
            "project": self.project(project),
            "labels": list(issue.labels),
            "components": [self.component(project, name) for name in issue.components if name in project.components],
            "assignee": self.user(issue.assignee),
            "reporter": self.user(issue.reporter),
            "creator": self.user(issue.reporter),
            "created": clock.jira_time(issue.created),
            "updated": clock.jira_time(issue.updated),
            "resolution": (
                {"id": RESOLUTIONS[issue.resolution], "name": issue.resolution} if issue.resolution else None
            ),
            "resolutiondate": clock.jira_time(issue.resolutiondate),
            "fixVersions": [{"name": v, "released": True} for v in issue.fix_versions],
            "comment": self.comments_page(issue),
            "issuelinks": [],
            "subtasks": [],
            SPRINT_FIELD: self.sprint(issue.sprint),
            STORY_POINTS_FIELD: issue.custom.get(STORY_POINTS_FIELD),
            **{k: v for k, v in issue.custom.items() if k not in (SPRINT_FIELD, STORY_POINTS_FIELD)},
        }

    def issue(self, issue: Issue, fields: list[str] | None = None, expand: str = "") -> dict:
        data = {
            "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            "id": str(issue.id),
            "self": f"{self.api}/issue/{issue.id}",
            "key": issue.key,
            "fields": select(self.fields(issue), fields),
        }
        if "changelog" in (expand or ""):
            histories = [
                {
                    "id": entry["id"],
                    "author": self.user(entry["author"]),
                    "created": clock.jira_time(entry["created"]),
                    "items": entry["items"],
                }
                for entry in issue.history
            ]
            data["changelog"] = {
                "startAt": 0,
                "maxResults": len(histories),
                "total": len(histories),
                "histories": histories,
            }
        if "names" in (expand or ""):
            data["names"] = {fid: name for fid, name, _ in SYSTEM_FIELDS} | {c[0]: c[1] for c in CUSTOM_FIELDS}
        return data

    def field_catalogue(self) -> list[dict]:
        catalogue = [
            {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": False,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [fid],
                "schema": {"type": kind, "system": fid},
            }
            for fid, name, kind in SYSTEM_FIELDS
        ]
        catalogue += [
            {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": True,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": [f"cf[{cid}]", name],
                "schema": {"type": kind, "custom": "com.atlassian.jira.plugin", "customId": cid},
            }
            for fid, name, kind, cid in CUSTOM_FIELDS
        ]
        return catalogue


def select(fields: dict, wanted: list[str] | None) -> dict:
    """Apply a `fields` parameter: `*all`/`*navigable` (default), names, and `-name` exclusions."""
    if not wanted:
        return fields
    include_all = any(w in ("*all", "*navigable") for w in wanted)
    names = {w for w in wanted if not w.startswith(("-", "*"))}
    excluded = {w[1:] for w in wanted if w.startswith("-")}
    return {k: v for k, v in fields.items() if (include_all or k in names) and k not in excluded}


def server_info(base: str, cloud: bool, anchor) -> dict:
    version = (1001, 0, 0) if cloud else (9, 12, 15)
    return {
        "baseUrl": base,
        "version": ".".join(map(str, version)) + ("-SNAPSHOT" if cloud else ""),
        "versionNumbers": list(version),
        "deploymentType": "Cloud" if cloud else "Server",
        "buildNumber": 100_280 if cloud else 9_120_015,
        "buildDate": clock.jira_time(anchor),
        "serverTime": clock.jira_time(clock.now()),
        "scmInfo": "sandbox",
        "serverTitle": "rfeplatform sandbox JIRA",
    }
