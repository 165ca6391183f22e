"""GitHub's primary rate limits, per token and resource, with the `x-ratelimit-*` headers.

`core` allows `github_rate_limit` requests an hour per token (60 for anonymous callers), `search` 30 and
`code_search` 10 a minute. A request answered 304 Not Modified costs nothing, as on GitHub. When a bucket
is empty the answer is 403 with `x-ratelimit-remaining: 0` and the reset time, and the handler does not
run.
"""

import hashlib
import threading
import time
from dataclasses import dataclass


@dataclass
class Bucket:
    resource: str
    limit: int
    used: int
    reset: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-resource": self.resource,
        }


class RateLimits:
    WINDOWS = {"core": 3600, "search": 60, "code_search": 60}

    def __init__(self):
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], Bucket] = {}

    @staticmethod
    def identity(secret: str | None) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()[:16] if secret else "anonymous"

    def bucket(self, identity: str, resource: str, limit: int) -> Bucket:
        now = int(time.time())
        with self._lock:
            bucket = self._buckets.get((identity, resource))
            if bucket is None or bucket.reset <= now:
                bucket = Bucket(resource, limit, 0, now + self.WINDOWS[resource])
                self._buckets[(identity, resource)] = bucket
            bucket.limit = limit  # a settings change applies at once
            return bucket

    def spend(self, bucket: Bucket) -> None:
        with self._lock:
            bucket.used += 1


def resource_for(path: str) -> str:
    if path.startswith("/search/code"):
        return "code_search"
    if path.startswith("/search/"):
        return "search"
    return "core"


def limit_for(resource: str, settings, anonymous: bool) -> int:
    if resource == "code_search":
        return settings.github_code_search_rate_limit
    if resource == "search":
        return settings.github_search_rate_limit if not anonymous else min(10, settings.github_search_rate_limit)
    return settings.github_anonymous_rate_limit if anonymous else settings.github_rate_limit
