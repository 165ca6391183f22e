"""Admin for the audit log (read-only) and personal API tokens."""

import json

from django.contrib import admin, messages
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.html import format_html

from rfeplatform.accounts.models import ApiToken
from rfeplatform.accounts.services import token_issue, token_revoke
from rfeplatform.audit.models import AuditEvent
from rfeplatform.tenancy.admin import TenantAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(TenantAdmin):
    list_display = ["created", "actor_name", "source", "action", "object_type", "object_repr", "team"]
    list_filter = ["source", "action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id", "request_id"]
    date_hierarchy = "created"
    list_select_related = ["team"]
    fields = [
        "created",
        "actor_name",
        "source",
        "team",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "request_id",
        "changes",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Changes (before → after)")
    def changes(self, obj):
        before, after = obj.before or {}, obj.after or {}
        keys = obj.changed_fields if obj.before and obj.after else sorted(set(before) | set(after))
        rows = "".join(
            format_html(
                "<tr><th>{}</th><td><code>{}</code></td><td><code>{}</code></td></tr>",
                key,
                json.dumps(before.get(key)) if key in before else "—",
                json.dumps(after.get(key)) if key in after else "—",
            )
            for key in keys
        )
        return format_html("<table><tr><th>Field</th><th>Before</th><th>After</th></tr>{}</table>", rows)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Your own API tokens (superusers: everyone's, to revoke). The key is shown once, on creation."""

    list_display = ["name", "prefix", "user", "status", "created", "expires_at", "last_used_at"]
    list_select_related = ["user"]
    fields = ["name", "expires_at", "prefix", "user", "created", "revoked_at", "last_used_at", "last_used_ip"]
    readonly_fields = ["prefix", "user", "created", "revoked_at", "last_used_at", "last_used_ip"]
    actions = ["revoke"]

    def get_queryset(self, request):
        return ApiToken.objects.for_owner(request.user).select_related("user")

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such token.")
        return obj

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else [*self.readonly_fields, "name", "expires_at"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_authenticated

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.user = request.user  # tokens made here are always your own
        request._created_token_key = token_issue(obj)

    def response_add(self, request, obj, post_url_continue=None):
        # Shown in this response only, never stored or redirected through a message cookie.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "token": obj,
            "key": request._created_token_key,
            "title": "API token created",
        }
        return TemplateResponse(request, "admin/rfeplatform/apitoken/created.html", context)

    def save_related(self, request, form, formsets, change):
        pass

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token=token)
        self.message_user(request, f"Revoked {len(queryset)} token(s).", messages.SUCCESS)
