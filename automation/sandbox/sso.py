"""Red Hat SSO (Keycloak): trades an offline token for a short-lived access token.

`POST /auth/realms/redhat-external/protocol/openid-connect/token` with `grant_type=refresh_token`,
`client_id`, `refresh_token` (form-encoded). Any non-empty offline token is accepted. The portal only
accepts access tokens issued here and not yet expired; the `expire_tokens` fault revokes all of them at
once, so a client has to notice the 401 and exchange its offline token again.
"""

import secrets
import threading
import time

from werkzeug.routing import Rule

from automation.sandbox.vendor import Call, Vendor, anonymous, json_reply

REALM = "/auth/realms/redhat-external"


class TokenStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self.issued = 0

    def issue(self, ttl_s: int) -> str:
        token = "sbx." + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.time() + ttl_s
            self.issued += 1
        return token

    def status(self, token: str | None) -> str:
        """`valid`, `expired` or `unknown`."""
        with self._lock:
            expiry = self._tokens.get(token or "")
        if expiry is None:
            return "unknown"
        return "valid" if expiry > time.time() else "expired"

    def revoke_all(self) -> int:
        """Expire every token issued so far (they stay known, so the portal says `expired`)."""
        with self._lock:
            for token in self._tokens:
                self._tokens[token] = 0.0
            return len(self._tokens)


def _error(call: Call, status: int, message: str, extra: dict) -> "json_reply":
    code = extra.get("error") or {400: "invalid_request", 401: "unauthorized_client", 404: "not_found"}.get(
        status, "server_error" if status >= 500 else "invalid_request"
    )
    return json_reply({"error": code, "error_description": message}, status)


@anonymous
def token(call: Call):
    form = call.data if isinstance(call.data, dict) else {}
    grant = form.get("grant_type")
    if not form.get("client_id"):
        return _error(call, 401, "Invalid client or Invalid client credentials", {"error": "unauthorized_client"})
    if grant == "refresh_token":
        if not form.get("refresh_token"):
            return _error(call, 400, "Missing parameter: refresh_token", {"error": "invalid_request"})
    elif grant == "client_credentials":
        if not form.get("client_secret"):
            return _error(call, 401, "Invalid client or Invalid client credentials", {"error": "unauthorized_client"})
    else:
        return _error(call, 400, "Unsupported grant_type", {"error": "unsupported_grant_type"})
    ttl = call.world.settings.sso_token_ttl_s
    access = call.world.sso.issue(ttl)
    body = {
        "access_token": access,
        "expires_in": ttl,
        "refresh_expires_in": 0,
        "token_type": "Bearer",
        "id_token": None,
        "not-before-policy": 0,
        "session_state": secrets.token_hex(8),
        "scope": "openid offline_access",
    }
    if grant == "refresh_token":
        body["refresh_token"] = form["refresh_token"]
    return json_reply(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


@anonymous
def openid_configuration(call: Call):
    issuer = f"{call.base}{REALM}"
    return json_reply(
        {
            "issuer": issuer,
            "token_endpoint": f"{issuer}/protocol/openid-connect/token",
            "grant_types_supported": ["refresh_token", "client_credentials"],
        }
    )


VENDOR = Vendor(
    "sso",
    [
        Rule(f"{REALM}/protocol/openid-connect/token", endpoint=token, methods=["POST"]),
        Rule(f"{REALM}/.well-known/openid-configuration", endpoint=openid_configuration, methods=["GET"]),
    ],
    error=_error,
)
