"""Connector metrics per vendor and connection, for the Prometheus endpoint."""

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("rfe_connector_requests_total", "Outbound requests by outcome.", ["vendor", "connection", "status"])
LATENCY = Histogram(
    "rfe_connector_request_seconds",
    "Outbound request latency.",
    ["vendor", "connection"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RETRIES = Counter("rfe_connector_retries_total", "Retried outbound requests.", ["vendor", "connection"])
BREAKER = Gauge(
    "rfe_connector_breaker_open", "1 while the connection's circuit breaker is open.", ["vendor", "connection"]
)
RATE_WAIT = Counter(
    "rfe_connector_rate_limit_wait_seconds_total", "Time spent waiting for the rate limiter.", ["vendor", "connection"]
)
