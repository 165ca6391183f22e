"""A token bucket per connection shared by every process: a Lua script in Redis, or a row updated in
one transaction in the database when there is no Redis."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction

from automation.models.ratelimit import RateBucket

_LUA = """
local tokens = tonumber(redis.call('HGET', KEYS[1], 't') or ARGV[1])
local stamp = tonumber(redis.call('HGET', KEYS[1], 's') or ARGV[3])
local capacity, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
tokens = math.min(capacity, tokens + (now - stamp) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate; tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 't', tokens, 's', now)
redis.call('EXPIRE', KEYS[1], 3600)
return tostring(wait)
"""


class TokenBucket:
    """`take()` consumes one token and returns how long to wait before the call (0 if a token was
    free). Capacity is a minute's worth of calls, refilled continuously at limit/60 per second."""

    def __init__(self, name: str, per_minute: int):
        self.name = name
        self.capacity = float(max(1, per_minute))
        self.rate = self.capacity / 60.0

    def take(self) -> float:
        if settings.REDIS_URL:
            return self._take_redis()
        return self._take_database()

    def _take_redis(self) -> float:
        script = _redis_script()
        key = f"{settings.CACHE_KEY_PREFIX}:bucket:{self.name}"
        return float(script(keys=[key], args=[self.capacity, self.rate, time.time()]))

    def _take_database(self) -> float:
        now = time.time()
        with transaction.atomic():
            bucket, _ = RateBucket.objects.select_for_update().get_or_create(
                name=self.name, defaults={"tokens": self.capacity, "stamp": now}
            )
            tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
                tokens -= 1  # reserve the token we will use after waiting
            bucket.tokens, bucket.stamp = tokens, now
            bucket.save(update_fields=["tokens", "stamp"])
        return wait


_scripts: dict = {}


def _redis_script():
    """One client and one registered script per Redis URL (EVALSHA after the first call)."""
    import redis

    url = settings.REDIS_URL
    if url not in _scripts:
        _scripts[url] = redis.Redis.from_url(url).register_script(_LUA)
    return _scripts[url]
