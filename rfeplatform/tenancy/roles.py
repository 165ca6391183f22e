"""Membership roles, ordered viewer < engineer < manager, and the checks built on them."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    ENGINEER = "engineer", "Engineer"
    MANAGER = "manager", "Manager"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"viewer": 1, "engineer": 2, "manager": 3}


def roles_at_least(min_role: Role | str) -> list[str]:
    return [role for role, rank in _RANK.items() if rank >= _RANK[str(min_role)]]


def member_team_ids(user, min_role: Role | str = Role.VIEWER):
    """A lazy queryset of the ids of the user's teams (with at least `min_role`), used as a subquery
    so that scoping a query costs no extra round trip."""
    from customers.models import Membership

    # Membership rows are themselves tenant data; reading the user's own rows is what scoping is.
    return (
        Membership.objects.dangerously_unscoped()
        .filter(user_id=user.pk, role__in=roles_at_least(min_role))
        .values("team_id")
    )


def roles_by_team(user) -> dict[int, str]:
    """{team_id: role} for the user, loaded once per user object (one query per request)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_rfe_roles", None)
    if cached is None:
        from customers.models import Membership

        cached = dict(Membership.objects.dangerously_unscoped().filter(user_id=user.pk).values_list("team_id", "role"))
        user._rfe_roles = cached
    return cached


def has_role(user, team_id: int | None, min_role: Role | str) -> bool:
    """True if the user may act with `min_role` in the team (superusers may do everything)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = roles_by_team(user).get(team_id)
    return role is not None and _RANK[role] >= _RANK[str(min_role)]


def is_manager_anywhere(user) -> bool:
    return any(role == Role.MANAGER for role in roles_by_team(user).values())
