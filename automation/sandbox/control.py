"""The control endpoints under `/_sandbox`, for tests and for people poking at the sandbox.

| Method and path | What it does |
|---|---|
| `GET /` or `GET /_sandbox` | what is served: vendors and their base URLs, the seed spec, the settings |
| `GET /_sandbox/health` | `{"ok": true}` |
| `GET /_sandbox/faults` | active fault rules with their remaining counts |
| `POST /_sandbox/faults` | add a rule (or `{"faults": [...]}`); 201 with the stored rules |
| `DELETE /_sandbox/faults[?vendor=x]`, `DELETE /_sandbox/faults/{id}` | remove rules |
| `POST /_sandbox/reset` | seeded state again: data, settings, faults and request log |
| `GET /_sandbox/requests?vendor=&since=&limit=` | the request log; `DELETE` empties it |
| `GET`/`PATCH /_sandbox/config` | run-time settings (JIRA flavour, token TTL, GitHub limits...) |
"""

from typing import TYPE_CHECKING

from werkzeug.wrappers import Request, Response

from automation.sandbox.faults import FaultError, parse_rule
from automation.sandbox.vendor import json_reply

if TYPE_CHECKING:
    from automation.sandbox.app import SandboxApp

TOKEN_VENDORS = ("sso", "portal")


def describe(app: "SandboxApp", root: str) -> dict:
    return {
        "sandbox": "rfeplatform simulated upstreams",
        "vendors": {name: f"{root}/{name}" for name in app.vendors},
        "seed": app.spec.describe(),
        "settings": app.world.settings.describe(),
        "control": f"{root}/_sandbox",
    }


def add_faults(app: "SandboxApp", payload) -> list[dict]:
    """Validate and store fault rules. `expire_tokens` for sso/portal acts at once: every access token
    issued so far expires, and the rule is not kept."""
    items = payload.get("faults") if isinstance(payload, dict) and "faults" in payload else [payload]
    rules = [parse_rule(item, app.faults.next_id(), set(app.vendors)) for item in items]
    stored = []
    for rule in rules:
        if rule.expire_tokens and rule.vendor in (*TOKEN_VENDORS, "*"):
            revoked = app.world.sso.revoke_all()
            if rule.vendor != "*":
                stored.append(rule.describe() | {"applied": f"expired {revoked} access token(s)", "remaining": 0})
                continue
        app.faults.add(rule)
        stored.append(rule.describe())
    return stored


def dispatch(app: "SandboxApp", request: Request) -> Response:
    path = request.path.rstrip("/") or "/"
    method = request.method
    root = request.host_url.rstrip("/")
    if path in ("/", "/_sandbox") and method == "GET":
        return json_reply(describe(app, root))
    if path == "/_sandbox/health":
        return json_reply({"ok": True})
    if path == "/_sandbox/reset" and method == "POST":
        app.reset()
        return json_reply({"reset": True, "seed": app.spec.describe()})
    if path == "/_sandbox/faults":
        if method == "GET":
            return json_reply({"faults": app.faults.describe()})
        if method == "POST":
            try:
                return json_reply({"faults": add_faults(app, request.get_json(silent=True))}, 201)
            except FaultError as error:
                return json_reply({"error": str(error)}, 400)
        if method == "DELETE":
            return json_reply({"removed": app.faults.clear(request.args.get("vendor"))})
    if path.startswith("/_sandbox/faults/") and method == "DELETE":
        removed = app.faults.remove(path.rsplit("/", 1)[1])
        return json_reply({"removed": int(removed)}, 200 if removed else 404)
    if path == "/_sandbox/requests":
        if method == "DELETE":
            app.log.clear()
            return json_reply({"cleared": True})
        since = int(request.args.get("since", 0) or 0)
        limit = int(request.args.get("limit", 0) or 0) or None
        return json_reply({"requests": app.log.entries(request.args.get("vendor"), since, limit)})
    if path == "/_sandbox/config":
        if method in ("PATCH", "POST", "PUT"):
            try:
                app.world.settings.update(request.get_json(silent=True) or {})
            except (ValueError, TypeError) as error:
                return json_reply({"error": str(error)}, 400)
        return json_reply(app.world.settings.describe())
    return json_reply({"error": f"no control endpoint {method} {path}"}, 404)
