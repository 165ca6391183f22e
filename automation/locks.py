"""Named locks shared by every process and host: Redis when REDIS_URL is set, database leases otherwise.

A lock expires after its timeout, so a holder that dies cannot block the name forever; only the owner
that acquired it can release it.
"""

from __future__ import annotations

import contextlib
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from automation.models.locks import Lease


class _DatabaseLock:
    def __init__(self, name: str, timeout: float):
        self.name, self.timeout, self.owner = name, timeout, uuid.uuid4().hex

    def acquire(self) -> bool:
        now = timezone.now()
        expires = now + timedelta(seconds=self.timeout)
        # Take over an expired lease atomically; otherwise try to create it.
        taken = Lease.objects.filter(name=self.name, expires_at__lte=now).update(owner=self.owner, expires_at=expires)
        if taken:
            return True
        try:
            with transaction.atomic():
                Lease.objects.create(name=self.name, owner=self.owner, expires_at=expires)
            return True
        except IntegrityError:
            return False

    def release(self) -> None:
        Lease.objects.filter(name=self.name, owner=self.owner).delete()


class _RedisLock:
    def __init__(self, name: str, timeout: float):
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        self._lock = client.lock(f"{settings.CACHE_KEY_PREFIX}:lock:{name}", timeout=timeout, blocking=False)

    def acquire(self) -> bool:
        return bool(self._lock.acquire(blocking=False))

    def release(self) -> None:
        from redis.exceptions import LockError

        # Expired and possibly taken by someone else: not ours to release.
        with contextlib.suppress(LockError):
            self._lock.release()


def make_lock(name: str, timeout: float):
    return _RedisLock(name, timeout) if settings.REDIS_URL else _DatabaseLock(name, timeout)


@contextmanager
def try_lock(name: str, timeout: float):
    """`with try_lock(name, timeout) as acquired:` never waits; `acquired` says whether we hold it."""
    lock = make_lock(name, timeout)
    acquired = lock.acquire()
    try:
        yield acquired
    finally:
        if acquired:
            lock.release()
