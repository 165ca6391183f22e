"""GitHub search: `/search/code` over the seeded files and `/search/issues` over issues and PRs.

Queries are space-separated terms and qualifiers. Code: `repo:`, `org:`/`user:`, `path:`,
`filename:`, `extension:`, `language:` (python/markdown), `in:file|path`; every free term (or quoted
phrase) must occur in the file's path or content. Issues: `repo:`, `is:issue|pr|open|closed|merged`,
`state:`, `label:`, `author:`, `assignee:`, `in:title|body|comments`; free terms must occur in the title
or body (or where `in:` says). Results stop at 1,000, as on GitHub.
"""

import re
import shlex

from automation.sandbox.github.store import GhIssue, GitHubStore, Repo
from automation.sandbox.vendor import Problem

RESULT_CAP = 1000
_LANGUAGES = {"python": (".py",), "markdown": (".md",)}


def _split(query: str) -> tuple[dict[str, list[str]], list[str]]:
    try:
        parts = shlex.split(query)
    except ValueError:
        parts = query.split()
    qualifiers: dict[str, list[str]] = {}
    terms = []
    for part in parts:
        match = re.match(r"^(-?[a-z_]+):(.+)$", part)
        if match:
            qualifiers.setdefault(match.group(1).lower(), []).append(match.group(2))
        else:
            terms.append(part.lower())
    return qualifiers, terms


def _repos(store: GitHubStore, qualifiers: dict) -> list[Repo]:
    repos = list(store.repos.values())
    if "repo" in qualifiers:
        wanted = {r.lower() for r in qualifiers["repo"]}
        repos = [r for r in repos if r.full_name.lower() in wanted]
    for key in ("org", "user"):
        if key in qualifiers:
            owners = {o.lower() for o in qualifiers[key]}
            repos = [r for r in repos if r.owner.lower() in owners]
    return repos


def code(store: GitHubStore, query: str) -> list[tuple[Repo, str]]:
    qualifiers, terms = _split(query)
    if not terms and not any(k in qualifiers for k in ("path", "filename", "extension")):
        raise Problem(
            422,
            "Validation Failed",
            errors=[
                {
                    "message": "Must include at least one search term.",
                    "resource": "Search",
                    "field": "q",
                    "code": "invalid",
                }
            ],
        )
    where = set(",".join(qualifiers.get("in", ["file,path"])).split(","))
    found = []
    for repo in _repos(store, qualifiers):
        for path, content in sorted(repo.files.items()):
            if not _path_ok(path, qualifiers):
                continue
            haystack = (path.lower() if "path" in where else "") + "\n" + (content.lower() if "file" in where else "")
            if all(term in haystack for term in terms):
                found.append((repo, path))
    return found


def _path_ok(path: str, qualifiers: dict) -> bool:
    name = path.rsplit("/", 1)[-1]
    if any(not path.startswith(p.strip("/")) for p in qualifiers.get("path", [])):
        return False
    if any(name != f for f in qualifiers.get("filename", [])):
        return False
    if any(not name.endswith("." + e.lstrip(".")) for e in qualifiers.get("extension", [])):
        return False
    for language in qualifiers.get("language", []):
        if not name.endswith(_LANGUAGES.get(language.lower(), (f".{language.lower()}",))):
            return False
    return True


def issues(store: GitHubStore, query: str) -> list[tuple[Repo, GhIssue]]:
    qualifiers, terms = _split(query)
    where = set(",".join(qualifiers.get("in", ["title,body"])).split(","))
    flags = {v.lower() for v in qualifiers.get("is", [])}
    state = {v.lower() for v in qualifiers.get("state", [])}
    labels = qualifiers.get("label", [])
    found = []
    for repo in _repos(store, qualifiers):
        for issue in repo.issues:
            if ("pr" in flags and not issue.is_pr) or ("issue" in flags and issue.is_pr):
                continue
            if ("open" in flags or "open" in state) and issue.state != "open":
                continue
            if ("closed" in flags or "closed" in state) and issue.state != "closed":
                continue
            if "merged" in flags and not issue.merged:
                continue
            if any(label not in issue.labels for label in labels):
                continue
            if any(issue.user != author for author in qualifiers.get("author", [])):
                continue
            if any(assignee not in issue.assignees for assignee in qualifiers.get("assignee", [])):
                continue
            text = ((issue.title if "title" in where else "") + "\n" + (issue.body if "body" in where else "")).lower()
            if "comments" in where:
                text += "\n" + "\n".join(c["body"] for c in repo.comments_of(issue)).lower()
            if all(term in text for term in terms):
                found.append((repo, issue))
    found.sort(key=lambda pair: pair[1].updated, reverse=True)
    return found
