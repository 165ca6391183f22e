"""The tenant scope and the fail-closed manager that applies it.

Every tenant model declares `tenant_path`, the lookup from the model to its Team ("team",
"customer__team", or "pk" for Team itself). Its default manager filters every query by the scope that
is current: the signed-in user's teams during a request, one team in a team job, all teams in a
platform-wide system context. With no scope at all, a query raises `TenantScopeError` instead of
returning every team's rows (PostHog's fail-closed rule). `dangerously_unscoped()` is the escape hatch.

The error is raised when the query runs, not when it is built: Django builds querysets at import time
(a ModelForm's foreign-key choices, a filterset's fields), which is harmless as long as they are
replaced by scoped querysets before use (the admin mixin does so). A queryset built without a scope
stays refused even if it later runs inside one: it never silently widens.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.db.models.expressions import Expression

from rfeplatform.audit.queryset import AuditedQuerySet
from rfeplatform.tenancy.roles import Role, member_team_ids


class TenantScopeError(RuntimeError):
    """A tenant query ran with no tenant scope: a bug, never a reason to return everything."""


class Scope:
    """Decides which teams' rows (or, for personal objects, which users' rows) a query may see."""

    def apply(self, qs: models.QuerySet, path: str) -> models.QuerySet:
        return qs.none()

    def apply_owner(self, qs: models.QuerySet, path: str) -> models.QuerySet:
        return qs.none()


@dataclass(frozen=True)
class AllTeams(Scope):
    """Platform-wide system work (management commands, cross-team jobs). `reason` names it in logs."""

    reason: str

    def apply(self, qs, path):
        return qs

    def apply_owner(self, qs, path):
        return qs


@dataclass(frozen=True)
class TeamScope(Scope):
    """Work on behalf of one team (a team's job, a webhook for a team)."""

    team_id: int

    def apply(self, qs, path):
        return qs.filter(**{_team_id_lookup(path): self.team_id})


@dataclass(frozen=True)
class UserScope(Scope):
    """A user sees the teams they are a member of, with at least `min_role`; superusers see all."""

    user: object
    min_role: Role = Role.VIEWER

    def apply(self, qs, path):
        user = self.user
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return qs.none()
        if user.is_superuser:
            return qs
        return qs.filter(**{f"{_team_id_lookup(path)}__in": member_team_ids(user, self.min_role)})

    def apply_owner(self, qs, path):
        user = self.user
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return qs.none()
        return qs if user.is_superuser else qs.filter(**{path: user.pk})


class RequestScope(Scope):
    """The user of the current request, resolved when the query runs: DRF authenticates tokens
    inside the view, after the middleware has set this scope."""

    def __init__(self, request):
        self.request = request

    def apply(self, qs, path):
        return UserScope(getattr(self.request, "user", None)).apply(qs, path)

    def apply_owner(self, qs, path):
        return UserScope(getattr(self.request, "user", None)).apply_owner(qs, path)


_current: ContextVar[Scope | None] = ContextVar("tenant_scope", default=None)


def current_scope() -> Scope | None:
    return _current.get()


@contextmanager
def use_scope(scope: Scope):
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def _team_id_lookup(path: str) -> str:
    # A foreign-key lookup ("team", "customer__team") compares with team ids directly.
    return path


class _MissingScope(Expression):
    """A WHERE condition that refuses to compile: the poison pill of a queryset built with no scope.
    It survives cloning, filtering, counting, updating and deleting, so no path runs unscoped."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, model_name: str):
        super().__init__()
        self.model_name = model_name

    def as_sql(self, compiler, connection):
        raise TenantScopeError(
            f"{self.model_name} was queried with no tenant scope. Use .for_user(user), .for_team(team), "
            "or run inside a request or rfeplatform.context.system_context()."
        )


class TenantQuerySet(AuditedQuerySet):
    """Queryset of a tenant model; see the module docstring."""

    def for_user(self, user, min_role: Role = Role.VIEWER):
        return UserScope(user, min_role).apply(self, self.model.tenant_path)

    def for_team(self, team):
        return TeamScope(getattr(team, "pk", team)).apply(self, self.model.tenant_path)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Default manager of tenant models: scoped by the current scope, raising when there is none."""

    def get_queryset(self):
        scope = current_scope()
        if scope is None:
            return super().get_queryset().filter(_MissingScope(self.model.__name__))
        return scope.apply(super().get_queryset(), self.model.tenant_path)

    def dangerously_unscoped(self) -> TenantQuerySet:
        """Every team's rows. Only for code that enforces tenancy some other way (a comment must say how)."""
        return super().get_queryset()

    def for_user(self, user, min_role: Role = Role.VIEWER):
        return self.dangerously_unscoped().for_user(user, min_role)

    def for_team(self, team):
        return self.dangerously_unscoped().for_team(team)


def team_id_of(obj) -> int | None:
    """The id of the team an instance of a tenant model belongs to, following its tenant_path."""
    path = type(obj).tenant_path
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


class OwnedQuerySet(AuditedQuerySet):
    def for_owner(self, user):
        return UserScope(user).apply_owner(self, self.model.owner_path)


class OwnedManager(models.Manager.from_queryset(OwnedQuerySet)):
    """Default manager of personal objects (owned by a user, not a team): the request's user sees
    their own, a team scope sees none, and no scope raises, as for tenant models."""

    def get_queryset(self):
        scope = current_scope()
        if scope is None:
            return super().get_queryset().filter(_MissingScope(self.model.__name__))
        return scope.apply_owner(super().get_queryset(), self.model.owner_path)

    def dangerously_unscoped(self) -> OwnedQuerySet:
        """Every user's rows: only for authentication, which looks a token up by its hash."""
        return super().get_queryset()

    def for_owner(self, user):
        return self.dangerously_unscoped().for_owner(user)
