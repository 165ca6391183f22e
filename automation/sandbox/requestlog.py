"""A bounded log of the requests vendors received, so tests can assert what a client actually sent.

Credentials never enter it: the Authorization header is reduced to its scheme, and any header, query
parameter or body field whose name looks like a secret (token, password, api key...) is replaced by
`[redacted]`.
"""

import itertools
import threading
from collections import deque
from typing import Any

from automation.sandbox import clock

REDACTED = "[redacted]"
_SECRET_WORDS = (
    "token",
    "secret",
    "password",
    "passwd",
    "api_key",
    "apikey",
    "api-key",
    "authorization",
    "cookie",
    "credential",
    "private_key",
)
_HEADERS = (
    "accept",
    "content-type",
    "user-agent",
    "if-none-match",
    "if-match",
    "if-modified-since",
    "x-github-api-version",
    "x-atlassian-token",
    "x-request-id",
    "openai-organization",
)
_BODY_LIMIT = 4096


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def redact(value: Any, depth: int = 0) -> Any:
    if depth > 6:
        return "..."
    if isinstance(value, dict):
        return {k: (REDACTED if is_secret(str(k)) else redact(v, depth + 1)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, depth + 1) for v in value[:50]]
    if isinstance(value, str) and len(value) > _BODY_LIMIT:
        return value[:_BODY_LIMIT] + "..."
    return value


class RequestLog:
    def __init__(self, size: int = 2000):
        self._entries: deque[dict] = deque(maxlen=size)
        self._seq = itertools.count(1)
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def record(self, call, status: int, duration_s: float, fault: str | None) -> None:
        request = call.request
        headers = {name: request.headers[name] for name in _HEADERS if name in request.headers}
        if call.credential:
            headers["authorization"] = f"{call.credential[0]} {REDACTED}"
        for name, _ in request.headers.items():
            if is_secret(name) and name.lower() != "authorization":
                headers[name.lower()] = REDACTED
        query = {k: (REDACTED if is_secret(k) else v) for k, v in request.args.items(multi=False)}
        entry = {
            "vendor": call.vendor,
            "method": request.method,
            "path": call.path,
            "query": query,
            "status": status,
            "duration_ms": round(duration_s * 1000, 1),
            "fault": fault,
            "auth": call.credential[0] if call.credential else None,
            "headers": headers,
            "body": redact(call.data) if request.method in ("POST", "PUT", "PATCH", "DELETE") else None,
        }
        with self._lock:
            entry = {"seq": next(self._seq), "at": clock.iso_z(clock.now()), **entry}
            self._entries.append(entry)

    def entries(self, vendor: str | None = None, since: int = 0, limit: int | None = None) -> list[dict]:
        with self._lock:
            selected = [e for e in self._entries if e["seq"] > since and (vendor is None or e["vendor"] == vendor)]
        return selected[-limit:] if limit else selected
