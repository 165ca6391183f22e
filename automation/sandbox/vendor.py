"""The contract between the router and one simulated vendor: its routes, its auth rule and its error shape.

Each vendor module builds one `Vendor`. Handlers are plain functions `handler(call, **url_values)` that
return a werkzeug `Response` or raise `Problem`, which the vendor renders in its own error shape, so a
handler never has to know whether GitHub says `{"message"}` or JIRA says `{"errorMessages"}`.
"""

import base64
import json
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule
from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from automation.sandbox.faults import Injection
    from automation.sandbox.world import World


class Problem(Exception):
    """Raised by a handler to answer with the vendor's error shape."""

    def __init__(self, status: int, message: str, **extra: Any):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def json_reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers, content_type="application/json")


def empty_reply(status: int = 204, headers: dict[str, str] | None = None) -> Response:
    return Response(b"", status=status, headers=headers)


def anonymous(handler: Callable) -> Callable:
    """Mark a handler that the vendor serves without credentials (JIRA serverInfo, the SSO token
    endpoint)."""
    handler.anonymous = True
    return handler


class Call:
    """One request as a vendor handler sees it: the vendor-relative path, the world it reads and writes,
    and the fault modifiers (broken pagination, malformed bodies) drawn for it."""

    def __init__(self, request: Request, world: "World", vendor: str, path: str, root: str, injection=None):
        self.request = request
        self.world = world
        self.vendor = vendor
        self.path = path
        self.root = root
        self.injection: Injection | None = injection
        self.malformed_handled = False

    @property
    def base(self) -> str:
        """The vendor's base URL as a client configured it, e.g. `http://127.0.0.1:8900/github`."""
        return f"{self.root}/{self.vendor}"

    @property
    def args(self):
        return self.request.args

    @property
    def broken_pagination(self) -> str | None:
        return self.injection.broken_pagination if self.injection else None

    @property
    def malformed(self) -> bool:
        """A handler that can break its answer in a vendor-typical way (the LLM's content) asks here and
        thereby takes over from the router's generic truncation."""
        if self.injection and self.injection.malformed:
            self.malformed_handled = True
            return True
        return False

    @cached_property
    def data(self) -> Any:
        """The body: JSON when it parses, else the form fields, else an empty dict."""
        raw = self.request.get_data(cache=True)
        if raw:
            try:
                return json.loads(raw)
            except ValueError:
                pass
        if self.request.form:
            return self.request.form.to_dict()
        return {}

    def int_arg(self, name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
        try:
            value = int(self.args.get(name, default))
        except ValueError:
            raise Problem(400, f"{name} must be an integer") from None
        value = max(value, minimum)
        return min(value, maximum) if maximum is not None else value

    @cached_property
    def credential(self) -> tuple[str, str] | None:
        """(scheme, secret) from the Authorization header; None when absent or empty. Basic auth counts
        when the user or the password is non-empty."""
        header = self.request.headers.get("Authorization", "").strip()
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if not scheme or not value:
            return None
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return None
            if not (user or password):
                return None
            return "Basic", f"{user}:{password}"
        return scheme, value


ErrorShape = Callable[[Call, int, str, dict], Response]


class Vendor:
    """One simulated upstream: its URL map (paths relative to its prefix), how it refuses a missing
    credential, how it renders errors and rate limits, and an optional wrapper around every handled
    request (GitHub counts quota there)."""

    def __init__(
        self,
        name: str,
        rules: list[Rule],
        *,
        error: ErrorShape,
        authenticate: Callable[[Call, Callable], Response | None] | None = None,
        rate_limited: Callable[[Call, int, int], Response] | None = None,
        around: Callable[[Call, Callable[[], Response]], Response] | None = None,
    ):
        self.name = name
        self.url_map = Map(rules, strict_slashes=False, merge_slashes=False)
        self._error = error
        self._authenticate = authenticate
        self._rate_limited = rate_limited
        self._around = around

    def error(self, call: Call, status: int, message: str, extra: dict | None = None) -> Response:
        return self._error(call, status, message, extra or {})

    def rate_limited(self, call: Call, status: int, retry_after: int) -> Response:
        if self._rate_limited:
            return self._rate_limited(call, status, retry_after)
        response = self.error(call, status, "Rate limit exceeded")
        response.headers["Retry-After"] = str(retry_after)
        return response

    def dispatch(self, call: Call) -> Response:
        adapter = self.url_map.bind("sandbox", "/")
        try:
            endpoint, values = adapter.match(call.path, method=call.request.method)
        except MethodNotAllowed:
            return self.error(call, 405, f"Method {call.request.method} is not allowed here")
        except (NotFound, RequestRedirect):
            return self.error(call, 404, f"Not found: {call.path}")
        if self._authenticate and not getattr(endpoint, "anonymous", False):
            refusal = self._authenticate(call, endpoint)
            if refusal is not None:
                return refusal

        def run() -> Response:
            try:
                return endpoint(call, **values)
            except Problem as problem:
                return self.error(call, problem.status, problem.message, problem.extra)

        return self._around(call, run) if self._around else run()
