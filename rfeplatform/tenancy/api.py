"""The DRF base for every tenant endpoint: scoped querysets, role checks, 404 for foreign objects.

Subclasses declare `model` and roles; they may not override get_queryset/get_permissions/get_object
(enforced in __init_subclass__), so no endpoint can forget its scope. Customise the queryset with
`select_related`, `prefetch_related` or `refine_queryset()`.
"""

from django.db import transaction
from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied

from rfeplatform.tenancy.roles import Role, has_role, roles_by_team
from rfeplatform.tenancy.scope import team_id_of

SEALED = ("get_queryset", "get_permissions", "get_object")


class TeamRolePermission(permissions.BasePermission):
    """Reads need membership (the scoped queryset already hides other teams: their ids answer 404).
    Writes need the view's `write_role` in the object's team; superuser-only actions need a superuser."""

    message = "Your role in this team does not allow this action."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if view.action in view.superuser_actions:
            # On a detail route, decide after the lookup, so a foreign id still answers 404.
            return user.is_superuser or bool(getattr(view, "detail", False))
        if request.method in permissions.SAFE_METHODS or user.is_superuser:
            return True
        # To write at all, the user needs the write role in at least one team.
        return any(has_role(user, team_id, view.write_role) for team_id in roles_by_team(user))

    def has_object_permission(self, request, view, obj):
        if view.action in view.superuser_actions:
            return request.user.is_superuser
        if request.method in permissions.SAFE_METHODS:
            return True
        return has_role(request.user, team_id_of(obj), view.write_role)


class TenantViewSetMixin:
    """DRF's get_object() looks ids up in the scoped queryset, so a foreign id is simply not found:
    404, never 403."""

    model = None
    read_role: Role = Role.VIEWER
    write_role: Role = Role.MANAGER
    superuser_actions: frozenset[str] = frozenset()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    permission_classes = [TeamRolePermission]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in SEALED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}(); use refine_queryset() instead.")

    def get_queryset(self):
        qs = self.model.objects.for_user(self.request.user, self.read_role)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return self.refine_queryset(qs)

    def refine_queryset(self, qs):
        return qs

    def get_permissions(self):
        return [permission() for permission in self.permission_classes]

    def check_team_role(self, instance):
        if not has_role(self.request.user, team_id_of(instance), self.write_role):
            raise PermissionDenied(TeamRolePermission.message)

    def perform_create(self, serializer):
        # Saved then checked in one transaction: the team is only known once the data is validated,
        # and a refusal rolls the row (and its audit event) back.
        with transaction.atomic():
            self.check_team_role(serializer.save())

    def perform_update(self, serializer):
        with transaction.atomic():
            self.check_team_role(serializer.save())


class TenantModelViewSet(TenantViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]


class TenantReadOnlyViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
