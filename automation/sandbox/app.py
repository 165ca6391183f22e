"""The sandbox as one WSGI application: `/<vendor>/...` goes to that vendor, `/_sandbox/...` to the
control endpoints.

For a vendor request the router draws a fault (if any rule matches), applies it (delay, hang, error,
rate limit, 401, truncated body) or lets the vendor handle the request under the world lock, and logs
the exchange. Reset swaps in a freshly seeded world, so a reset never races a half-finished write.
"""

import logging
import threading
import time

from werkzeug.wrappers import Request, Response

from automation.sandbox import bugzilla, control, databricks, llm, slack, sso
from automation.sandbox.faults import FaultBoard, Injection
from automation.sandbox.github.routes import VENDOR as GITHUB
from automation.sandbox.jira.routes import VENDOR as JIRA
from automation.sandbox.portal.routes import VENDOR as PORTAL
from automation.sandbox.requestlog import RequestLog
from automation.sandbox.vendor import Call, Vendor, json_reply
from automation.sandbox.world import SeedSpec, Settings, World

log = logging.getLogger(__name__)

VENDORS: dict[str, Vendor] = {
    vendor.name: vendor
    for vendor in (sso.VENDOR, PORTAL, JIRA, bugzilla.VENDOR, GITHUB, slack.VENDOR, llm.VENDOR, databricks.VENDOR)
}


class SandboxApp:
    vendors = VENDORS

    def __init__(self, spec: SeedSpec, settings: dict | None = None):
        self.spec = spec
        self.initial_settings = dict(settings or {})
        self.stopping = threading.Event()
        self.faults = FaultBoard(spec.seed)
        self.log = RequestLog()
        self.world = self._build()

    def _build(self) -> World:
        settings = Settings()
        settings.update(self.initial_settings)
        return World(self.spec, settings)

    def reset(self) -> None:
        """Back to the seeded state: fresh world, no faults, empty request log, start-up settings."""
        self.world = self._build()
        self.faults.reset()
        self.log.clear()

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path in ("/", "") or request.path.startswith("/_sandbox"):
            response = control.dispatch(self, request)
        else:
            response = self.handle(request)
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        name, _, rest = request.path.lstrip("/").partition("/")
        vendor = VENDORS.get(name)
        if vendor is None:
            return json_reply({"error": f"unknown vendor {name!r}", "vendors": sorted(VENDORS)}, 404)
        started = time.monotonic()
        world = self.world
        path = "/" + rest
        injection = self.faults.draw(name, request.method, path)
        call = Call(request, world, name, path, request.host_url.rstrip("/"), injection)
        try:
            response = self._respond(vendor, call, injection)
        except Exception:
            log.exception("sandbox %s handler failed for %s %s", name, request.method, path)
            response = vendor.error(call, 500, "The sandbox failed to handle this request (see its log).")
        self.log.record(call, response.status_code, time.monotonic() - started, injection.label if injection else None)
        return response

    def _respond(self, vendor: Vendor, call: Call, injection: Injection | None) -> Response:
        if injection is not None:
            if injection.latency_s:
                self.stopping.wait(injection.latency_s)
            if injection.timeout_s is not None:
                self.stopping.wait(injection.timeout_s)
                return vendor.error(call, 504, "Gateway Timeout")
            if injection.rate_limit is not None:
                return vendor.rate_limited(call, *injection.rate_limit)
            if injection.status is not None:
                return vendor.error(call, injection.status, f"Injected fault: HTTP {injection.status}")
            if injection.expire_tokens:
                return vendor.error(call, 401, "The access token expired")
        with call.world.lock:
            response = vendor.dispatch(call)
        if injection is not None and injection.malformed and not call.malformed_handled:
            body = response.get_data()
            response.set_data(body[: max(len(body) // 2, 1)])
        return response
