"""`Authorization: Token <key>` authentication for the REST API."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from rfeplatform.accounts.services import token_authenticate, token_mark_used
from rfeplatform.accounts.throttling import AuthFailureThrottle
from rfeplatform.audit.recorder import record_security_event

KEYWORD = "Token"


class TokenAuthentication(BaseAuthentication):
    """Personal API tokens. Failures are audited (with the key's first characters only) and
    throttled per client address."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        throttle = AuthFailureThrottle()
        if throttle.blocked(request):
            raise exceptions.Throttled(wait=throttle.duration, detail="Too many failed authentication attempts.")
        if len(parts) != 2:
            self._fail(request, throttle, "", "Invalid token header: expected 'Token <key>'.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            self._fail(request, throttle, "", "Invalid token header: the key has invalid characters.")
        token = token_authenticate(key)
        if token is None:
            self._fail(request, throttle, key, "Invalid, expired or revoked token.")
        token_mark_used(token, request.META.get("REMOTE_ADDR"))
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD

    @staticmethod
    def _fail(request, throttle, key: str, message: str):
        throttle.record_failure(request)
        # Never the key itself: its first characters are enough to tell tokens apart.
        record_security_event(
            "token_auth_failed",
            detail={"key_prefix": key[:8], "ip": request.META.get("REMOTE_ADDR"), "path": request.path},
        )
        raise exceptions.AuthenticationFailed(message)
