"""The admin site: superusers, and team managers for their own teams' objects."""

from django.contrib import admin

from rfeplatform.tenancy.roles import is_manager_anywhere


class PlatformAdminSite(admin.AdminSite):
    site_header = "rfeplatform administration"
    site_title = "rfeplatform admin"
    index_title = "Configuration"

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        # Managers need no is_staff flag: their role is their admin access, limited to their teams.
        return user.is_superuser or user.is_staff or is_manager_anywhere(user)
