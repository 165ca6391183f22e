"""GitHub's JSON shapes, with every URL pointing back at the sandbox (`{base}` is the `/github` prefix,
so PyGithub can follow `url` fields and Link headers as it does on GitHub Enterprise)."""

import base64
import hashlib
import zlib
from datetime import datetime

from automation.sandbox import clock
from automation.sandbox.github.store import USERS, Commit, GhIssue, Repo

DOCS = "https://docs.github.com/rest"


def node_id(kind: str, number: int | str) -> str:
    return kind + "_" + base64.b64encode(f"{kind}{number}".encode()).decode().rstrip("=")


class Renderer:
    def __init__(self, base: str):
        self.base = base

    def user(self, login: str | None) -> dict | None:
        if not login:
            return None
        user_id = USERS.index(login) + 1 if login in USERS else 5000 + zlib.crc32(login.encode()) % 60_000
        return {
            "login": login,
            "id": user_id,
            "node_id": node_id("U", user_id),
            "avatar_url": f"{self.base}/avatars/{login}",
            "gravatar_id": "",
            "url": f"{self.base}/users/{login}",
            "html_url": f"{self.base}/{login}",
            "type": "Bot" if login.endswith("-bot") else "User",
            "site_admin": False,
        }

    def repo_url(self, repo: Repo) -> str:
        return f"{self.base}/repos/{repo.full_name}"

    def repo(self, repo: Repo, *, full: bool = True) -> dict:
        url = self.repo_url(repo)
        data = {
            "id": repo.id,
            "node_id": node_id("R", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": False,
            "owner": self.user(repo.owner) | {"type": "Organization"},
            "html_url": f"{self.base}/{repo.full_name}",
            "description": repo.description,
            "fork": False,
            "url": url,
            "issues_url": f"{url}/issues{{/number}}",
            "pulls_url": f"{url}/pulls{{/number}}",
            "commits_url": f"{url}/commits{{/sha}}",
            "labels_url": f"{url}/labels{{/name}}",
            "releases_url": f"{url}/releases{{/id}}",
        }
        if full:
            data.update(
                {
                    "created_at": clock.iso_z(repo.created),
                    "updated_at": clock.iso_z(max(i.updated for i in repo.issues) if repo.issues else repo.created),
                    "pushed_at": clock.iso_z(repo.commits[0].date if repo.commits else repo.created),
                    "default_branch": "main",
                    "open_issues_count": sum(1 for i in repo.issues if i.state == "open"),
                    "has_issues": True,
                    "visibility": "public",
                    "permissions": {"admin": False, "maintain": True, "push": True, "triage": True, "pull": True},
                }
            )
        return data

    def label(self, repo: Repo, name: str) -> dict:
        color, description = repo.labels.get(name, ("ededed", ""))
        label_id = 900_000 + sorted(repo.labels).index(name) if name in repo.labels else 999_999
        return {
            "id": label_id,
            "node_id": node_id("LA", label_id),
            "url": f"{self.repo_url(repo)}/labels/{name}",
            "name": name,
            "color": color,
            "default": name in ("bug", "enhancement", "documentation"),
            "description": description,
        }

    def issue(self, repo: Repo, issue: GhIssue, *, single: bool = False) -> dict:
        url = f"{self.repo_url(repo)}/issues/{issue.number}"
        data = {
            "url": url,
            "repository_url": self.repo_url(repo),
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self.base}/{repo.full_name}/{'pull' if issue.is_pr else 'issues'}/{issue.number}",
            "timeline_url": f"{url}/timeline",
            "id": repo.id * 100_000 + issue.number,
            "node_id": node_id("PR" if issue.is_pr else "I", repo.id * 100_000 + issue.number),
            "number": issue.number,
            "title": issue.title,
            "user": self.user(issue.user),
            "labels": [self.label(repo, name) for name in issue.labels],
            "state": issue.state,
            "state_reason": issue.state_reason,
            "locked": False,
            "assignee": self.user(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self.user(a) for a in issue.assignees],
            "milestone": None,
            "comments": len(issue.comments) if issue.comments is not None else issue.seeded_comments,
            "created_at": clock.iso_z(issue.created),
            "updated_at": clock.iso_z(issue.updated),
            "closed_at": clock.iso_z(issue.closed),
            "author_association": "MEMBER" if issue.user in USERS else "NONE",
            "active_lock_reason": None,
            "body": issue.body,
            "performed_via_github_app": None,
        }
        if issue.is_pr:
            pull = f"{self.repo_url(repo)}/pulls/{issue.number}"
            html = f"{self.base}/{repo.full_name}/pull/{issue.number}"
            data["draft"] = False
            data["pull_request"] = {
                "url": pull,
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": clock.iso_z(issue.merged),
            }
        if single:
            data["closed_by"] = self.user(issue.closed_by) if issue.closed else None
        return data

    def pull(self, repo: Repo, issue: GhIssue) -> dict:
        data = self.issue(repo, issue)
        url = f"{self.repo_url(repo)}/pulls/{issue.number}"
        data.pop("pull_request")
        data.update(
            {
                "url": url,
                "issue_url": f"{self.repo_url(repo)}/issues/{issue.number}",
                "commits_url": f"{url}/commits",
                "merged_at": clock.iso_z(issue.merged),
                "merged": issue.merged is not None,
                "merge_commit_sha": issue.merge_sha,
                "head": {
                    "ref": f"feature/{issue.feature}-{issue.number}",
                    "sha": issue.merge_sha or "0" * 40,
                    "repo": self.repo(repo, full=False),
                },
                "base": {
                    "ref": "main",
                    "sha": repo.commits[0].sha if repo.commits else "0" * 40,
                    "repo": self.repo(repo, full=False),
                },
            }
        )
        return data

    def comment(self, repo: Repo, issue: GhIssue, comment: dict) -> dict:
        return {
            "id": comment["id"],
            "node_id": node_id("IC", comment["id"]),
            "url": f"{self.repo_url(repo)}/issues/comments/{comment['id']}",
            "html_url": f"{self.base}/{repo.full_name}/issues/{issue.number}#issuecomment-{comment['id']}",
            "issue_url": f"{self.repo_url(repo)}/issues/{issue.number}",
            "body": comment["body"],
            "user": self.user(comment["user"]),
            "created_at": clock.iso_z(comment["created"]),
            "updated_at": clock.iso_z(comment["updated"]),
            "author_association": "MEMBER",
        }

    def commit(self, repo: Repo, commit: Commit) -> dict:
        url = f"{self.repo_url(repo)}/commits/{commit.sha}"
        person = {
            "name": commit.author.replace("-", " ").title(),
            "email": f"{commit.author}@example.com",
            "date": clock.iso_z(commit.date),
        }
        return {
            "sha": commit.sha,
            "node_id": node_id("C", commit.sha[:12]),
            "commit": {
                "author": person,
                "committer": person,
                "message": commit.message,
                "tree": {"sha": commit.sha[::-1], "url": f"{self.repo_url(repo)}/git/trees/{commit.sha[::-1]}"},
                "url": f"{self.repo_url(repo)}/git/commits/{commit.sha}",
                "comment_count": 0,
            },
            "url": url,
            "html_url": f"{self.base}/{repo.full_name}/commit/{commit.sha}",
            "comments_url": f"{url}/comments",
            "author": self.user(commit.author),
            "committer": self.user(commit.author),
            "parents": [{"sha": commit.parent, "url": f"{self.repo_url(repo)}/commits/{commit.parent}"}]
            if commit.parent
            else [],
        }

    def release(self, repo: Repo, release: dict) -> dict:
        url = f"{self.repo_url(repo)}/releases/{release['id']}"
        return {
            "url": url,
            "html_url": f"{self.base}/{repo.full_name}/releases/tag/{release['tag_name']}",
            "id": release["id"],
            "node_id": node_id("RE", release["id"]),
            "tag_name": release["tag_name"],
            "target_commitish": "main",
            "name": release["name"],
            "body": release["body"],
            "draft": False,
            "prerelease": False,
            "created_at": clock.iso_z(release["created_at"]),
            "published_at": clock.iso_z(release["published_at"]),
            "author": self.user(release["author"]),
            "assets": [],
        }

    def content(self, repo: Repo, path: str) -> dict:
        text = repo.files[path]
        sha = hashlib.sha1(f"blob {len(text)}\0{text}".encode()).hexdigest()  # noqa: S324 - git's blob id
        url = f"{self.repo_url(repo)}/contents/{path}"
        return {
            "type": "file",
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "sha": sha,
            "size": len(text),
            "url": f"{url}?ref=main",
            "html_url": f"{self.base}/{repo.full_name}/blob/main/{path}",
            "git_url": f"{self.repo_url(repo)}/git/blobs/{sha}",
            "encoding": "base64",
            "content": base64.b64encode(text.encode()).decode(),
        }

    def timeline(self, repo: Repo, issue: GhIssue) -> list[dict]:
        events = []
        for label in issue.labels[:1]:
            events.append(
                {
                    "event": "labeled",
                    "actor": self.user(issue.user),
                    "created_at": issue.created,
                    "label": {"name": label, "color": repo.labels.get(label, ("ededed", ""))[0]},
                }
            )
        for kind, ref, when in issue.refs:
            if kind == "pr":
                source = repo.issue(ref)
                events.append(
                    {
                        "event": "cross-referenced",
                        "actor": self.user(source.user),
                        "created_at": when,
                        "updated_at": when,
                        "source": {
                            "type": "issue",
                            "issue": self.issue(repo, source) | {"repository": self.repo(repo, full=False)},
                        },
                    }
                )
            else:
                commit = repo.commit(ref)
                events.append(
                    {
                        "event": "referenced",
                        "actor": self.user(commit.author),
                        "created_at": when,
                        "commit_id": ref,
                        "commit_url": f"{self.repo_url(repo)}/commits/{ref}",
                    }
                )
        for comment in repo.comments_of(issue):
            events.append(
                {
                    "event": "commented",
                    **self.comment(repo, issue, comment),
                    "created_at": comment["created"],
                    "actor": self.user(comment["user"]),
                }
            )
        if issue.seed_close:
            actor, reason, sha, when = issue.seed_close
            events.append(
                {
                    "event": "closed",
                    "actor": self.user(actor),
                    "created_at": when,
                    "commit_id": sha,
                    "state_reason": reason,
                }
            )
        for event in issue.events:
            rendered = dict(event, actor=self.user(event["actor"]))
            if "assignee" in event:
                rendered["assignee"] = self.user(event["assignee"])
            events.append(rendered)
        events.sort(key=lambda e: e["created_at"])
        for index, event in enumerate(events):
            event.setdefault("id", repo.id * 10_000_000 + issue.number * 1000 + index)
            event.setdefault("node_id", node_id("E", event["id"]))
            event.setdefault("url", f"{self.repo_url(repo)}/issues/events/{event['id']}")
            for key, value in event.items():
                if isinstance(value, datetime):
                    event[key] = clock.iso_z(value)
        return events
