"""Bugzilla REST: bugs by id, fetched in batches with a field selection."""

from __future__ import annotations

from automation.connectors.base import BaseConnector

FIELDS = (
    "id,summary,status,resolution,severity,priority,assigned_to,qa_contact,target_release,last_change_time,"
    "whiteboard,cf_internal_whiteboard,keywords,component,product,version"
)


class BugzillaConnector(BaseConnector):
    vendor = "bugzilla"

    def authenticate(self, request):
        request.headers["Authorization"] = f"Bearer {self.secret}"

    def check(self) -> str:
        who = self.get("/rest/whoami").json()
        return f"Authenticated as {who.get('name') or who.get('real_name') or '?'}."

    def search(self, **params) -> list[dict]:
        """Bugs matching Bugzilla search parameters (e.g. last_change_time=..., limit=...)."""
        return self.get("/rest/bug", params={"include_fields": FIELDS, **params}).json().get("bugs", [])

    def bugs(self, ids, *, fields: str = FIELDS, batch_size: int | None = None) -> list[dict]:
        """Bugs by id, in batches (Bugzilla silently caps large answers)."""
        ids = sorted({int(i) for i in ids})
        size = batch_size or self.connection.settings.get("batch_size", 200)
        found = []
        for start in range(0, len(ids), size):
            batch = ids[start : start + size]
            response = self.get("/rest/bug", params={"id": ",".join(map(str, batch)), "include_fields": fields})
            found.extend(response.json().get("bugs", []))
        return found
