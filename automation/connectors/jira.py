"""JIRA through the `jira` package, with the package's HTTP going through our seam (SeamSession), so
it keeps its API mapping while we keep retries, breaker, rate limit and metrics.

Server/Data Center search uses /rest/api/2/search (startAt paging); Cloud uses /rest/api/3/search/jql
(nextPageToken, no total; the old Cloud search answers 410). The connection's `flavour` chooses.
"""

from __future__ import annotations

from functools import cached_property

from automation.connectors.base import BaseConnector
from automation.connectors.errors import ConnectorError
from automation.connectors.http import SeamSession


class JiraConnector(BaseConnector):
    vendor = "jira"

    def authenticate(self, request):
        if self.connection.auth_type == "basic":  # Cloud: e-mail + API token
            import base64

            raw = f"{self.connection.username}:{self.secret}".encode()
            request.headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        else:  # Data Center: personal access token
            request.headers["Authorization"] = f"Bearer {self.secret}"

    @property
    def cloud(self) -> bool:
        return self.connection.settings.get("flavour", "server") == "cloud"

    @cached_property
    def client(self):
        import jira

        client = jira.JIRA(
            server=self.http.base_url,
            options={"rest_api_version": "2", "agile_rest_path": "agile", "check_update": False},
            get_server_info=False,
            validate=False,
            max_retries=0,
        )
        client._session = SeamSession(self.http)
        return client

    def check(self) -> str:
        me = self.client.myself()
        return f"Authenticated as {me.get('displayName') or me.get('name') or me.get('accountId')}."

    def search(self, jql: str, *, fields: str = "*navigable", page_size: int = 100):
        """Every issue matching `jql`, as raw JSON dicts, in either flavour."""
        if self.cloud:
            token = None
            while True:
                params = {"jql": jql, "fields": fields, "maxResults": page_size}
                if token:
                    params["nextPageToken"] = token
                body = self.get("/rest/api/3/search/jql", params=params).json()
                yield from body.get("issues", [])
                token = body.get("nextPageToken")
                if not token or body.get("isLast", False):
                    return
        start = 0
        while True:
            body = self.get(
                "/rest/api/2/search", params={"jql": jql, "fields": fields, "startAt": start, "maxResults": page_size}
            ).json()
            issues = body.get("issues", [])
            yield from issues
            start += len(issues)
            if not issues or start >= body.get("total", 0):
                return

    def fields(self) -> list[dict]:
        """Field discovery: every field with its id (custom fields are customfield_NNNNN)."""
        return self.get("/rest/api/2/field").json()

    def field_id(self, name: str) -> str | None:
        return next((f["id"] for f in self.fields() if f.get("name", "").lower() == name.lower()), None)

    def issue(self, key: str, fields: str | None = None) -> dict:
        return self.client.issue(key, fields=fields).raw

    def create_issue(self, fields: dict) -> dict:
        return self.post("/rest/api/2/issue", json={"fields": fields}).json()

    def delete_issue(self, key: str) -> None:
        try:
            self.http.request("DELETE", f"/rest/api/2/issue/{key}")
        except ConnectorError as error:
            if error.status != 404:
                raise

    def transitions(self, key: str) -> list[dict]:
        return self.get(f"/rest/api/2/issue/{key}/transitions").json().get("transitions", [])

    def transition_to(self, key: str, status: str, comment: str | None = None) -> str:
        """Move an issue to the status named `status` through whichever transition leads there."""
        for transition in self.transitions(key):
            if (
                transition.get("to", {}).get("name", "").lower() == status.lower()
                or transition["name"].lower() == status.lower()
            ):
                body = {"transition": {"id": transition["id"]}}
                if comment:
                    body["update"] = {"comment": [{"add": {"body": comment}}]}
                self.post(f"/rest/api/2/issue/{key}/transitions", json=body)
                return transition["id"]
        raise ConnectorError(f"No transition of {key} leads to {status!r}.", permanent=True)

    def comment(self, key: str, body: str) -> dict:
        return self.post(f"/rest/api/2/issue/{key}/comment", json={"body": body}).json()

    def delete_comment(self, key: str, comment_id: str) -> None:
        self.http.request("DELETE", f"/rest/api/2/issue/{key}/comment/{comment_id}")

    def remote_link(self, key: str, url: str, title: str) -> dict:
        return self.post(f"/rest/api/2/issue/{key}/remotelink", json={"object": {"url": url, "title": title}}).json()
