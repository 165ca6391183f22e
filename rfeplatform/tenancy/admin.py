"""The admin base for every tenant model: managers see and change only their own teams' objects.

Changelists, object pages, foreign-key choices and actions are all scoped; a foreign object's pages
answer 404. Permissions come from team roles, not Django's model permissions.
"""

from django.contrib import admin
from django.http import Http404

from rfeplatform.tenancy.roles import Role, has_role, is_manager_anywhere
from rfeplatform.tenancy.scope import team_id_of


class TenantAdmin(admin.ModelAdmin):
    """Base ModelAdmin for tenant models (see module docstring)."""

    manage_role = Role.MANAGER
    # Actions only superusers may take on this model (e.g. creating or deleting whole teams).
    superuser_only = frozenset()

    def get_queryset(self, request):
        qs = self.model.objects.for_user(request.user, self.manage_role)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with that id.")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related, "tenant_path") and "queryset" not in kwargs:
            kwargs["queryset"] = related.objects.for_user(request.user, self.manage_role)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related, "tenant_path") and "queryset" not in kwargs:
            kwargs["queryset"] = related.objects.for_user(request.user, self.manage_role)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- permissions from team roles --------------------------------------------------------------
    def _allowed(self, request, obj, action: str) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if action in self.superuser_only:
            return False
        if obj is None:
            return is_manager_anywhere(user)
        return has_role(user, team_id_of(obj), self.manage_role)

    def has_module_permission(self, request):
        return self._allowed(request, None, "view")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj, "view")

    def has_add_permission(self, request):
        return self._allowed(request, None, "add")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, "delete")

    def save_model(self, request, obj, form, change):
        # Foreign-key choices are scoped, but check the object's team too (defence in depth).
        if not has_role(request.user, team_id_of(obj), self.manage_role):
            raise Http404("No such team.")
        self.save_instance(obj)

    def save_instance(self, obj):
        """Save through the app's service where it has one (override); plain save otherwise."""
        obj.save()
