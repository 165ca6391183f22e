"""Connection: a team's configured access to an outside system, with its secret encrypted."""

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models

from automation.connection_kinds import AuthType, Kind, validate_connection
from rfeplatform import crypto
from rfeplatform.tenancy.models import TenantModel


class Connection(TenantModel):
    """A team's account on an outside system (portal, JIRA, GitHub, Slack, an LLM, ...).

    The secret (token, password, API key) is encrypted at rest with FIELD_ENCRYPTION_KEY, never shown
    back by the admin or the API, and redacted from the audit log (the field name says "secret")."""

    team = models.ForeignKey("customers.Team", on_delete=models.CASCADE, related_name="connections")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100)
    base_url = models.URLField(max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])])
    auth_type = models.CharField(max_length=32, choices=AuthType.choices)
    username = models.CharField(max_length=200, blank=True, help_text="For basic authentication (e.g. an e-mail).")
    secret_encrypted = models.TextField(blank=True, editable=False)
    settings = models.JSONField(default=dict, blank=True, help_text="Kind-specific settings.")
    enabled = models.BooleanField(default=True)
    timeout_seconds = models.FloatField(
        default=10.0,
        validators=[MinValueValidator(0.5), MaxValueValidator(300)],
        help_text="Connect and read timeout of each request, in seconds.",
    )
    max_retries = models.PositiveSmallIntegerField(
        default=3, validators=[MaxValueValidator(10)], help_text="Retries of transient failures."
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        default=600,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text="Requests per minute, shared by every process of the platform.",
    )
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False, help_text="Redacted: never contains the secret.")

    class Meta:
        ordering = ["team__name", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="connection_name_unique_per_team")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)

    def set_secret(self, value: str | None) -> None:
        self.secret_encrypted = crypto.encrypt(value) if value else ""

    def get_secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted) if self.secret_encrypted else ""

    def clean(self):
        validate_connection(
            kind=self.kind,
            auth_type=self.auth_type,
            base_url=self.base_url,
            settings=self.settings,
            has_secret=self.has_secret,
        )
