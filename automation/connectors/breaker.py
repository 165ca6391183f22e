"""A circuit breaker per connection whose state every process shares (through the cache: Redis when
REDIS_URL is set, the database cache otherwise).

closed → (N consecutive failures) → open → (reset timeout) → half-open: one probe at a time →
success closes it, failure opens it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PROBE_TIMEOUT = 60.0  # a probe that never reports back frees the slot after this long


@dataclass
class BreakerState:
    state: str  # closed | open | half-open
    failures: int
    opened_at: float | None
    retry_in: float


class Breaker:
    def __init__(self, name: str, *, threshold: int | None = None, reset_timeout: float | None = None):
        self.name = name
        # CONNECTOR_BREAKER_THRESHOLD consecutive failures open it; it stays open
        # CONNECTOR_BREAKER_RESET_SECONDS before letting one probe through.
        self.threshold = threshold or settings.CONNECTOR_BREAKER_THRESHOLD
        self.reset_timeout = reset_timeout or settings.CONNECTOR_BREAKER_RESET_SECONDS
        self._failures = f"breaker:{name}:failures"
        self._opened = f"breaker:{name}:opened_at"
        self._probe = f"breaker:{name}:probe"

    def status(self) -> BreakerState:
        values = cache.get_many([self._opened, self._failures])  # one round trip
        opened_at, failures = values.get(self._opened), values.get(self._failures, 0)
        self._dirty = opened_at is not None or bool(failures)
        if opened_at is None:
            return BreakerState("closed", failures, None, 0.0)
        waited = time.time() - opened_at
        if waited < self.reset_timeout:
            return BreakerState("open", failures, opened_at, self.reset_timeout - waited)
        return BreakerState("half-open", failures, opened_at, 0.0)

    def before_call(self) -> bool:
        """True if the call may go ahead; a half-open breaker lets exactly one probe through."""
        current = self.status()
        if current.state == "closed":
            return True
        if current.state == "open":
            return False
        return cache.add(self._probe, time.time(), PROBE_TIMEOUT)

    def retry_in(self) -> float:
        return self.status().retry_in

    def success(self) -> None:
        # Only a breaker that had failures needs clearing; the common healthy path costs nothing here.
        if getattr(self, "_dirty", True):
            cache.delete_many([self._opened, self._failures, self._probe])
            self._dirty = False

    def failure(self) -> None:
        cache.add(self._failures, 0, None)
        try:
            failures = cache.incr(self._failures)
        except ValueError:  # expired between add and incr
            cache.set(self._failures, 1, None)
            failures = 1
        current = self.status()
        if current.state == "half-open" or failures >= self.threshold:
            cache.set(self._opened, time.time(), None)
            cache.delete(self._probe)

    def reset(self) -> None:
        cache.delete_many([self._opened, self._failures, self._probe])
