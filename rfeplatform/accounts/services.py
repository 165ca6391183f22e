"""Creating and revoking API tokens: the one implementation behind the command, admin, portal and API."""

from django.db import transaction
from django.utils import timezone

from rfeplatform.accounts.models import ApiToken, generate_key, hash_key


def token_create(*, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for `user`. Returns the token and its key; the key is not stored and cannot be
    shown again."""
    token = ApiToken(user=user, name=name, expires_at=expires_at)
    return token, token_issue(token)


@transaction.atomic
def token_issue(token: ApiToken) -> str:
    """Give an unsaved token (user, name and expiry set) a fresh key, save it, and return the key."""
    key = generate_key()
    token.name = token.name.strip() or "API token"
    token.prefix = key[:12]
    token.key_hash = hash_key(key)
    token.save()
    return key


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(key: str) -> ApiToken | None:
    """The active token for `key` (with its user), or None."""
    # Looked up by hash across all users: this is how a request finds out who it is.
    token = ApiToken.objects.dangerously_unscoped().select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    return token


def token_mark_used(token: ApiToken, ip: str | None) -> None:
    """Record the last use, at most once a minute per token, without an audit event (bookkeeping)."""
    now = timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < 60 and token.last_used_ip == ip:
        return
    # The plain base manager: last-use bookkeeping is deliberately not audited (see audit_ignore_fields).
    ApiToken._base_manager.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = now, ip
