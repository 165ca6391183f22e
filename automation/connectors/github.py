"""GitHub REST: issues, pull requests, commits, timeline, code search, labels, assignees, comments.

Lists page through the Link header. GETs are conditional: the ETag of the last answer for a URL is
kept (in the cache, shared by processes) and sent as If-None-Match, so an unchanged list costs no
quota (304). Rate limits: 429, or 403 with x-ratelimit-remaining: 0, are transient with a wait until
x-ratelimit-reset; secondary limits (403 + retry-after) likewise.
"""

from __future__ import annotations

import hashlib
import time
from urllib.parse import parse_qsl, urlsplit

from django.core.cache import cache

from automation.connectors.base import BaseConnector
from automation.connectors.errors import ConnectorError
from automation.connectors.http import default_classify, parse_retry_after
from rfeplatform.logging import redact

API_VERSION = "2022-11-28"
ETAG_TTL = 7 * 24 * 3600


def _page_key(url: str) -> tuple:
    """A URL's identity as a page: path plus sorted query, page 1 when unnumbered."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("page", "1")
    return parts.path, tuple(sorted(query.items()))


class GitHubConnector(BaseConnector):
    vendor = "github"

    def authenticate(self, request):
        request.headers["Authorization"] = f"Bearer {self.secret}"
        request.headers.setdefault("Accept", "application/vnd.github+json")
        request.headers.setdefault("X-GitHub-Api-Version", API_VERSION)

    def classify(self, response):
        status = response.status_code
        if status in (403, 429):
            remaining = response.headers.get("x-ratelimit-remaining")
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if remaining == "0":
                reset = float(response.headers.get("x-ratelimit-reset", time.time() + 60))
                retry_after = max(retry_after or 0.0, reset - time.time(), 1.0)
            if status == 429 or remaining == "0" or retry_after is not None:
                return ConnectorError(
                    f"GitHub rate limit: {redact(response.text[:200])}",
                    status=status,
                    retry_after=retry_after if retry_after is not None else 60.0,
                )
        return default_classify(response)

    @property
    def repository(self) -> str:
        return self.connection.settings.get("repository", "")

    def check(self) -> str:
        login = self.get("/user").json().get("login", "?")
        if self.repository:
            self.get(f"/repos/{self.repository}")
            return f"Authenticated as {login}; repository {self.repository} is reachable."
        return f"Authenticated as {login}."

    # --- reading ------------------------------------------------------------------------------------
    def _etag_key(self, url: str, params) -> str:
        raw = f"{self.connection.pk}:{url}:{sorted((params or {}).items())}"
        return "github:etag:" + hashlib.sha256(raw.encode()).hexdigest()

    def get_conditional(self, path: str, params=None):
        """(changed, json): with a cached ETag, an unchanged resource answers 304 and costs no quota."""
        key = self._etag_key(self.http.url(path), params)
        cached = cache.get(key)
        headers = {"If-None-Match": cached["etag"]} if cached else {}
        response = self.get(path, params=params, headers=headers)
        if response.status_code == 304 and cached:
            return False, cached["body"]
        body = response.json()
        if response.headers.get("ETag"):
            cache.set(key, {"etag": response.headers["ETag"], "body": body}, ETAG_TTL)
        return True, body

    def paginate(self, path: str, params=None, *, limit: int | None = None):
        """Every item of a list, following Link: rel="next" (guarding against a next link that loops)."""
        params = {"per_page": 100, **(params or {})}
        seen_urls, count = set(), 0
        url, query = path, params
        while url:
            response = self.get(url, params=query)
            for item in response.json():
                yield item
                count += 1
                if limit is not None and count >= limit:
                    return
            seen_urls.add(_page_key(response.url))
            next_url = response.links.get("next", {}).get("url")
            if next_url and _page_key(next_url) in seen_urls:
                # An upstream bug, usually passing: fail this read (transient) rather than loop forever.
                raise ConnectorError(f"GitHub pagination loops at {next_url}.")
            url, query = next_url, None

    def issues(self, *, state: str = "all", since: str | None = None):
        params = {"state": state, **({"since": since} if since else {})}
        return self.paginate(f"/repos/{self.repository}/issues", params)

    def issue(self, number: int) -> dict:
        return self.get(f"/repos/{self.repository}/issues/{number}").json()

    def pull(self, number: int) -> dict:
        return self.get(f"/repos/{self.repository}/pulls/{number}").json()

    def pulls(self, *, state: str = "all"):
        return self.paginate(f"/repos/{self.repository}/pulls", {"state": state})

    def timeline(self, number: int):
        return self.paginate(f"/repos/{self.repository}/issues/{number}/timeline")

    def commits(self, *, since: str | None = None):
        return self.paginate(f"/repos/{self.repository}/commits", {"since": since} if since else None)

    def search_code(self, query: str) -> dict:
        return self.get("/search/code", params={"q": f"{query} repo:{self.repository}"}).json()

    def releases(self):
        return self.paginate(f"/repos/{self.repository}/releases")

    # --- writing (through the action ledger) ---------------------------------------------------------
    def set_state(self, number: int, state: str, reason: str | None = None) -> dict:
        body = {"state": state, **({"state_reason": reason} if reason else {})}
        return self.http.request("PATCH", f"/repos/{self.repository}/issues/{number}", json=body).json()

    def add_labels(self, number: int, labels: list[str]) -> list:
        return self.post(f"/repos/{self.repository}/issues/{number}/labels", json={"labels": labels}).json()

    def remove_label(self, number: int, label: str) -> None:
        self._delete(f"/repos/{self.repository}/issues/{number}/labels/{label}")

    def add_assignees(self, number: int, assignees: list[str]) -> dict:
        return self.post(f"/repos/{self.repository}/issues/{number}/assignees", json={"assignees": assignees}).json()

    def remove_assignees(self, number: int, assignees: list[str]) -> dict:
        return self.http.request(
            "DELETE", f"/repos/{self.repository}/issues/{number}/assignees", json={"assignees": assignees}
        ).json()

    def comment(self, number: int, body: str) -> dict:
        return self.post(f"/repos/{self.repository}/issues/{number}/comments", json={"body": body}).json()

    def delete_comment(self, comment_id: int) -> None:
        self._delete(f"/repos/{self.repository}/issues/comments/{comment_id}")

    def _delete(self, path: str) -> None:
        try:
            self.http.request("DELETE", path)
        except ConnectorError as error:
            if error.status != 404:  # already gone is what we wanted
                raise
