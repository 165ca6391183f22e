from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from customers.forms import CustomerForm, MembershipForm
from customers.models import Customer, Membership, Team
from customers.services import is_last_manager, membership_delete, membership_save
from rfeplatform.tenancy.admin import TenantAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role"]
    readonly_fields = ["user", "role"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(TenantAdmin):
    list_display = ["name", "slug", "timezone", "created"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    superuser_only = frozenset({"add", "delete"})


@admin.register(Customer)
class CustomerAdmin(TenantAdmin):
    form = CustomerForm
    list_display = ["name", "account_number", "team", "active", "timezone"]
    list_filter = ["active", "team"]
    search_fields = ["name", "account_number"]
    list_select_related = ["team"]


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    form = MembershipForm
    list_display = ["user", "team", "role", "created"]
    list_filter = ["role", "team"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user", "team"]

    def save_instance(self, obj):
        membership_save(obj)

    def has_delete_permission(self, request, obj=None):
        # The last manager cannot be removed; the delete button disappears for them.
        if obj is not None and is_last_manager(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        membership_delete(obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            try:
                membership_delete(membership)
            except ValidationError as error:
                self.message_user(request, f"{membership}: {error.messages[0]}", messages.ERROR)
