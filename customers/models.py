"""Team (the tenant), Customer (an account a team supports) and Membership (a user's role in a team)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from customers.validators import validate_string_list, validate_timezone
from rfeplatform.tenancy.models import TenantModel
from rfeplatform.tenancy.roles import Role

__all__ = ["Customer", "Membership", "Role", "Team"]


class Team(TenantModel):
    """A support team: the tenant. Every domain row belongs to exactly one team."""

    tenant_path = "pk"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True, help_text="Used in portal URLs: /t/<slug>/.")
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Schedules run and dates show in this time zone.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="team_name_unique_ci")]

    def __str__(self):
        return self.name


class Customer(TenantModel):
    """A customer account supported by a team; cases, reports and incidents hang off it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(max_length=200)
    account_number = models.CharField(
        max_length=32, help_text="The account number in the support portal (case_accountNumber)."
    )
    sbr_groups = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_string_list],
        help_text="Support groups (SBR) whose cases belong to this customer's reports.",
    )
    products = models.JSONField(
        default=list, blank=True, validators=[validate_string_list], help_text="Products to report on."
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    active = models.BooleanField(default=True, help_text="Inactive customers are skipped by syncs and reports.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "account_number"], name="customer_account_unique_per_team"),
        ]
        indexes = [models.Index(fields=["team", "active"])]

    def __str__(self):
        return f"{self.name} ({self.account_number})"


class Membership(TenantModel):
    """A user's role in a team: viewers read, engineers act, managers configure."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        ordering = ["team__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="membership_unique_per_team")]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.role})"
