"""Personal API tokens for integrations."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from rfeplatform.tenancy.scope import OwnedManager

TOKEN_PREFIX = "rfe_"


def hash_key(key: str) -> str:
    # Keys are 256 random bits, so a fast hash is enough: nothing to brute-force, unlike passwords.
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A personal API token (`Authorization: Token <key>`). The key is shown once when created; only
    its SHA-256 is stored. A token acts as its user, with that user's team roles."""

    owner_path = "user"
    audit_ignore_fields = ("last_used_at", "last_used_ip")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What this token is for, e.g. 'CI pipeline'.")
    prefix = models.CharField(max_length=12, editable=False, help_text="The first characters of the key.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        return "revoked" if self.revoked_at else "expired" if self.is_expired else "active"
