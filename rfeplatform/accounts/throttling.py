"""Throttles for authentication: failed token attempts per client, and token creation."""

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class AuthFailureThrottle(SimpleRateThrottle):
    """Counts failed authentications per client address; once over the rate, every authentication
    attempt from that address is refused until the window passes (valid keys included)."""

    scope = "auth_failure"

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def _load(self, request):
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def blocked(self, request) -> bool:
        self._load(request)
        return len(self.history) >= self.num_requests

    def record_failure(self, request) -> None:
        self._load(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class TokenCreateThrottle(UserRateThrottle):
    scope = "tokens"
