"""Red Hat Customer Portal: SSO offline-token exchange, Hydra case search, case detail, linked JIRAs,
notified users, and the customer-page store used by RFE publishing.

The access token lives about 15 minutes; it is cached (shared by processes) until shortly before it
expires, and a 401 drops it so the seam re-authenticates once.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from django.core.cache import cache

from automation.connectors.base import BaseConnector
from automation.connectors.errors import ConnectorError

DEFAULT_SSO = "https://sso.redhat.com/auth/realms/redhat-external/protocol/openid-connect/token"
RESULT_WINDOW = 9999  # Hydra stops returning documents past this offset
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class PortalConnector(BaseConnector):
    vendor = "portal"
    refreshes_tokens = True

    @property
    def token_url(self) -> str:
        return self.connection.settings.get("sso_token_url") or DEFAULT_SSO

    @property
    def _token_key(self) -> str:
        digest = hashlib.sha256(self.connection.secret_encrypted.encode()).hexdigest()[:16]
        return f"portal:token:{self.connection.pk}:{digest}"

    def access_token(self) -> str:
        token = cache.get(self._token_key)
        if token:
            return token
        response = self.http.request(
            "POST",
            self.token_url,
            data={
                "grant_type": "refresh_token",
                "client_id": self.connection.settings.get("client_id", "rhsm-api"),
                "refresh_token": self.secret,
            },
        )
        body = response.json()
        token = body.get("access_token")
        if not token:
            raise ConnectorError("The SSO answer has no access_token.", permanent=True)
        cache.set(self._token_key, token, max(30, int(body.get("expires_in", 900)) - 60))
        return token

    def authenticate(self, request):
        if request.url.split("?")[0] == self.token_url:
            return  # the exchange itself carries the offline token in its form body
        request.headers["Authorization"] = f"Bearer {self.access_token()}"

    def reauthenticate(self):
        cache.delete(self._token_key)

    def check(self) -> str:
        found = self.search_page("case_number:*", rows=1)["numFound"]
        return f"Token exchange and case search work ({found} cases visible)."

    # --- cases --------------------------------------------------------------------------------------
    def search_page(self, query: str, *, rows: int = 100, start: int = 0, fields: str | None = None) -> dict:
        params = {"q": query, "partnerSearch": "false", "rows": rows, "start": start}
        if fields:
            params["fl"] = fields
        return self.get("/hydra/rest/search/cases", params=params).json()["response"]

    def search_cases(
        self,
        query: str,
        *,
        fields: str | None = None,
        rows: int = 500,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
    ):
        """Every matching case. Beyond Hydra's 9,999-result window the query is split by
        case_createdDate ranges (halving the range until each part fits)."""
        scoped = query
        if created_from or created_to:
            low = created_from.strftime(DATE_FORMAT) if created_from else "*"
            high = created_to.strftime(DATE_FORMAT) if created_to else "NOW"
            scoped = f"({query}) AND case_createdDate:[{low} TO {high}]"
        first = self.search_page(scoped, rows=rows, fields=fields)
        if first["numFound"] > RESULT_WINDOW:
            low = created_from or datetime(2000, 1, 1, tzinfo=UTC)
            high = created_to or datetime.now(UTC)
            if high - low < timedelta(minutes=1):
                raise ConnectorError(
                    "More than 9,999 cases created within one minute; cannot split further.", permanent=True
                )
            middle = low + (high - low) / 2
            yield from self.search_cases(query, fields=fields, rows=rows, created_from=low, created_to=middle)
            yield from self.search_cases(
                query, fields=fields, rows=rows, created_from=middle + timedelta(seconds=1), created_to=high
            )
            return
        yield from first["docs"]
        start = len(first["docs"])
        while start < first["numFound"]:
            page = self.search_page(scoped, rows=rows, start=start, fields=fields)
            if not page["docs"]:
                break
            yield from page["docs"]
            start += len(page["docs"])

    def case(self, number: str) -> dict:
        return self.get(f"/hydra/rest/v1/cases/{number}").json()

    def case_jiras(self, number: str) -> list:
        return self.get(f"/hydra/rest/cases/{number}/jiras").json()

    def add_notified_users(self, number: str, usernames: list[str]) -> None:
        self.post(
            f"/hydra/rest/v1/cases/{number}/notifiedusers", json={"user": [{"ssoUsername": name} for name in usernames]}
        )

    # --- customer pages (the publisher interface) ---------------------------------------------------
    @property
    def pages_url(self) -> str:
        return self.connection.settings.get("page_store_url") or f"{self.http.base_url}/pages"

    def page(self, account: str) -> dict | None:
        try:
            return self.get(f"{self.pages_url}/{account}").json()
        except ConnectorError as error:
            if error.status == 404:
                return None
            raise

    def publish_page(self, account: str, body: str, *, based_on: int, comment: str = "") -> dict:
        """Write a new version; a stale `based_on` raises a permanent ConnectorError with status 409."""
        return self.http.request(
            "PUT", f"{self.pages_url}/{account}", json={"body": body, "version": based_on, "comment": comment}
        ).json()

    def restore_page(self, account: str, version: int, *, current: int) -> dict:
        return self.post(f"{self.pages_url}/{account}/versions/{version}/restore", json={"version": current}).json()
