"""The one outbound HTTP seam of the platform. Every connector sends through `HttpClient`.

It gives every vendor the same behaviour: connect/read timeouts; retries with exponential backoff and
jitter for transient failures, honouring Retry-After and rate-limit headers; one re-authentication on
401 where the vendor uses short-lived tokens; a circuit breaker and a token-bucket rate limit per
connection, shared by all processes; redacted errors and logs; metrics. Vendor modules only map their
API and decide, in `classify`, which of their answers are errors and which of those are permanent.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from automation.connectors import metrics
from automation.connectors.breaker import Breaker
from automation.connectors.errors import CircuitOpen, ConnectorError, RateLimited
from automation.connectors.ratelimit import TokenBucket
from rfeplatform.logging import redact

log = logging.getLogger("rfeplatform.connectors")

MAX_WAIT = 60.0  # longest single wait (Retry-After, rate limit) before giving the error to the caller
USER_AGENT = "rfeplatform (+https://github.com/rfeplatform)"


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def default_classify(response: requests.Response) -> ConnectorError | None:
    """The generic HTTP rules; vendors extend them (GitHub's 403 rate limit, Slack's ok:false...)."""
    status = response.status_code
    if status < 400:
        return None
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    transient = status == 429 or status >= 500 or status == 408
    return ConnectorError(
        f"HTTP {status} from {urlsplit(response.url).path}: {redact(response.text[:300])}",
        permanent=not transient,
        status=status,
        retry_after=retry_after,
    )


def _worth_retrying(error: BaseException) -> bool:
    """Transient errors are retried here, unless the vendor asked for a longer pause than we wait in
    a request: then the caller gets the error (with retry_after) and decides, e.g. to reschedule."""
    if not isinstance(error, ConnectorError) or error.permanent:
        return False
    return error.retry_after is None or error.retry_after <= MAX_WAIT


class HttpClient:
    """Sends requests for one Connection (see module docstring)."""

    def __init__(
        self,
        connection,
        *,
        vendor: str,
        auth: Callable[[requests.PreparedRequest], None] | None = None,
        classify: Callable[[requests.Response], ConnectorError | None] = default_classify,
        reauthenticate: Callable[[], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.connection = connection
        self.vendor = vendor
        self.base_url = (connection.base_url or "").rstrip("/")
        self.auth = auth
        self.classify = classify
        self.reauthenticate = reauthenticate
        self.sleep = sleep
        self.timeout = (min(5.0, connection.timeout_seconds), connection.timeout_seconds)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        name = f"connection:{connection.pk}"
        self.breaker = Breaker(name)
        self.bucket = TokenBucket(name, connection.rate_limit_per_minute)
        self.labels = {"vendor": vendor, "connection": str(connection.pk)}

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        """Send with retries; returns the response (2xx/3xx) or raises ConnectorError."""
        if not self.breaker.before_call():
            metrics.BREAKER.labels(**self.labels).set(1)
            raise CircuitOpen(self.connection.name, self.breaker.retry_in())
        retrying = Retrying(
            stop=stop_after_attempt(self.connection.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception(_worth_retrying),
            sleep=self.sleep,
            before_sleep=lambda state: metrics.RETRIES.labels(**self.labels).inc(),
            reraise=True,
        )
        try:
            response = retrying(self._attempt, method, self.url(path), kwargs)
        except ConnectorError as error:
            if not error.permanent or error.status is None:
                self.breaker.failure()  # the system is unwell (not: we asked for something wrong)
            else:
                self.breaker.success()
            metrics.BREAKER.labels(**self.labels).set(1 if self.breaker.status().state == "open" else 0)
            raise
        self.breaker.success()
        metrics.BREAKER.labels(**self.labels).set(0)
        return response

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(multiplier=0.5, max=20)(state)
        error = state.outcome.exception() if state.outcome else None
        hinted = getattr(error, "retry_after", None) or 0.0
        return min(MAX_WAIT, max(backoff, hinted))

    def _attempt(self, method: str, url: str, kwargs: dict) -> requests.Response:
        response = self._send(method, url, kwargs)
        if response.status_code == 401 and self.reauthenticate is not None:
            self.reauthenticate()  # short-lived tokens: once, then the answer stands
            response = self._send(method, url, kwargs)
        error = self.classify(response)
        if error is not None:
            raise error
        return response

    def _send(self, method: str, url: str, kwargs: dict) -> requests.Response:
        wait = self.bucket.take()
        if wait > MAX_WAIT:
            raise RateLimited(f"Rate limit of {self.connection.name} would need a {wait:.0f}s wait.", retry_after=wait)
        if wait > 0:
            metrics.RATE_WAIT.labels(**self.labels).inc(wait)
            self.sleep(wait)
        request = requests.Request(method, url, **kwargs)
        prepared = self.session.prepare_request(request)
        if self.auth is not None:
            self.auth(prepared)
        started = time.monotonic()
        try:
            response = self.session.send(prepared, timeout=self.timeout, allow_redirects=True)
        except requests.Timeout as error:
            metrics.REQUESTS.labels(**self.labels, status="timeout").inc()
            raise ConnectorError(f"Timed out calling {urlsplit(url).path}.") from error
        except requests.ConnectionError as error:
            metrics.REQUESTS.labels(**self.labels, status="connection-error").inc()
            raise ConnectorError(f"Cannot connect to {urlsplit(url).netloc}: {redact(str(error))[:200]}") from error
        elapsed = time.monotonic() - started
        metrics.LATENCY.labels(**self.labels).observe(elapsed)
        metrics.REQUESTS.labels(**self.labels, status=str(response.status_code)).inc()
        log.info(
            "%s %s %s -> %s in %.0fms",
            self.vendor,
            method,
            urlsplit(url).path,
            response.status_code,
            elapsed * 1000,
            extra={"connection": self.connection.pk},
        )
        return response


class SeamSession(requests.Session):
    """A requests.Session that sends through an HttpClient, for vendor libraries built on requests
    (the `jira` package): they keep their API mapping, we keep retries, breaker, limits and metrics."""

    def __init__(self, client: HttpClient):
        super().__init__()
        self.client = client

    def request(self, method, url, **kwargs):
        for name in ("timeout", "verify", "allow_redirects", "stream", "proxies", "cert"):
            kwargs.pop(name, None)
        return self.client.request(method, url, **kwargs)
