"""The one error type connectors raise (healthchecks' TransportError shape)."""


class ConnectorError(Exception):
    """A call to an outside system failed.

    `permanent` errors (bad request, auth, not found) are not retried; transient ones (connection
    errors, timeouts, 429, 5xx) are, honouring `retry_after` when the vendor said how long to wait.
    Messages are redacted: they never carry credentials.
    """

    def __init__(
        self, message: str, *, permanent: bool = False, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.retry_after = retry_after


class CircuitOpen(ConnectorError):
    """The connection's breaker is open: calls fail fast until the probe period."""

    def __init__(self, name: str, retry_after: float):
        super().__init__(f"Circuit open for {name}; next probe in {retry_after:.0f}s.", retry_after=retry_after)


class RateLimited(ConnectorError):
    """The platform's own per-connection rate limit would be exceeded for longer than we wait."""
