import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from automation.connectors.base import check_connection
from automation.connectors.breaker import Breaker
from automation.jobs.runner import enqueue, request_cancel
from automation.jobs.schedules import sync_schedule
from automation.ledger.operations import CannotUndo
from automation.ledger.services import action_undo, run_undo
from automation.models import Action, Connection, JobRun, JobSchedule
from automation.models.jobs import Trigger
from rfeplatform.tenancy.admin import TenantAdmin


class ConnectionForm(forms.ModelForm):
    """The secret is write-only: the field is always empty when shown; leaving it empty keeps the
    stored secret, and "Remove the stored secret" clears it."""

    secret = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Token, password or API key. Never shown again; leave empty to keep the current one.",
    )
    clear_secret = forms.BooleanField(required=False, label="Remove the stored secret")
    base_url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Connection
        fields = [
            "team",
            "kind",
            "name",
            "base_url",
            "auth_type",
            "username",
            "secret",
            "clear_secret",
            "settings",
            "enabled",
            "timeout_seconds",
            "max_retries",
            "rate_limit_per_minute",
        ]

    def clean(self):
        cleaned = super().clean()
        # Applied before model validation (which needs to know whether a secret will exist).
        if cleaned.get("clear_secret"):
            self.instance.set_secret(None)
        elif cleaned.get("secret"):
            self.instance.set_secret(cleaned["secret"])
        return cleaned


@admin.register(Connection)
class ConnectionAdmin(TenantAdmin):
    form = ConnectionForm
    list_display = [
        "name", "kind", "team", "base_url", "enabled", "has_secret", "breaker", "last_success_at", "last_error_at",
    ]  # fmt: skip
    list_filter = ["kind", "enabled", "team"]
    search_fields = ["name", "base_url"]
    list_select_related = ["team"]
    readonly_fields = ["breaker", "last_success_at", "last_error_at", "last_error"]
    actions = ["test_connection", "reset_breaker"]

    @admin.display(boolean=True, description="Secret set")
    def has_secret(self, obj):
        return obj.has_secret

    @admin.display(description="Circuit breaker")
    def breaker(self, obj):
        if obj.pk is None:
            return "—"
        status = Breaker(f"connection:{obj.pk}").status()
        if status.state == "open":
            return f"open ({status.failures} failures; probe in {status.retry_in:.0f}s)"
        return f"{status.state} ({status.failures} recent failures)" if status.failures else status.state

    @admin.action(description="Test connection (one real authenticated call)")
    def test_connection(self, request, queryset):
        for connection in queryset:
            ok, message = check_connection(connection)
            self.message_user(request, f"{connection.name}: {message}", messages.SUCCESS if ok else messages.ERROR)

    @admin.action(description="Reset circuit breaker")
    def reset_breaker(self, request, queryset):
        for connection in queryset:
            Breaker(f"connection:{connection.pk}").reset()
        self.message_user(request, f"Reset {len(queryset)} breaker(s).")


@admin.register(JobSchedule)
class JobScheduleAdmin(TenantAdmin):
    """Managers edit their team's schedules (cron in the team's time zone), pause them and run them now."""

    list_display = ["job", "team", "cron", "paused", "next_run"]
    list_filter = ["paused", "team", "job"]
    list_select_related = ["team", "q_schedule"]
    fields = ["team", "job", "cron", "paused", "next_run"]
    readonly_fields = ["next_run"]
    actions = ["pause", "resume", "run_now"]

    @admin.display(description="Next run (team time)")
    def next_run(self, obj):
        if obj.paused or obj.q_schedule is None or obj.q_schedule.next_run is None:
            return "—"
        return obj.q_schedule.next_run.astimezone(zoneinfo.ZoneInfo(obj.team.timezone)).strftime("%Y-%m-%d %H:%M %Z")

    def save_instance(self, obj):
        obj.save()
        sync_schedule(obj)

    @admin.action(description="Pause selected schedules")
    def pause(self, request, queryset):
        for schedule in queryset:
            schedule.paused = True
            self.save_instance(schedule)
        self.message_user(request, f"Paused {len(queryset)} schedule(s).")

    @admin.action(description="Resume selected schedules")
    def resume(self, request, queryset):
        for schedule in queryset:
            schedule.paused = False
            self.save_instance(schedule)
        self.message_user(request, f"Resumed {len(queryset)} schedule(s).")

    @admin.action(description="Run selected jobs now")
    def run_now(self, request, queryset):
        runs = [enqueue(s.job, team=s.team, trigger=Trigger.MANUAL, actor=request.user) for s in queryset]
        self.message_user(request, f"Queued {len(runs)} run(s): " + ", ".join(f"#{r.pk}" for r in runs))


@admin.register(JobRun)
class JobRunAdmin(TenantAdmin):
    """Runs are records: read-only, with a cancel action."""

    list_display = ["id", "job", "team", "trigger", "state", "progress", "created", "finished_at", "actor"]
    list_filter = ["state", "trigger", "job", "team"]
    list_select_related = ["team", "actor"]
    readonly_fields = [
        "team", "job", "trigger", "state", "actor", "created", "started_at", "finished_at", "progress",
        "progress_message", "counts", "error", "log", "cancel_requested", "q_task_id",
    ]  # fmt: skip
    fields = readonly_fields
    actions = ["cancel", "undo_actions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Undo all actions of selected runs…")
    def undo_actions(self, request, queryset):
        runs = list(queryset)
        actions = list(Action.objects.for_user(request.user).filter(run__in=runs, state="applied"))

        def perform():
            results = [action for run in runs for action in run_undo(run, actor=request.user)]
            refused = [f"#{a.pk} {a.operation}: {a.error or 'not undone'}" for a in results if a.state != "undone"]
            return sum(a.state == "undone" for a in results), refused

        return _confirm_undo(self, request, queryset, actions, "undo_actions", perform)

    @admin.action(description="Cancel selected runs")
    def cancel(self, request, queryset):
        for run in queryset:
            request_cancel(run)
        self.message_user(request, f"Cancellation requested for {len(queryset)} run(s).")


def _confirm_undo(modeladmin, request, queryset, actions, action_name, perform):
    """Django-admin action with a confirmation page: the first POST shows what will be undone, the
    confirmed POST does it."""
    if request.POST.get("confirmed") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Confirm undo",
            "actions": actions,
            "queryset": queryset,
            "action_name": action_name,
            "opts": modeladmin.model._meta,
        }
        return TemplateResponse(request, "admin/automation/confirm_undo.html", context)
    done, refused = perform()
    if done:
        modeladmin.message_user(request, f"Undone: {done}.", messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.WARNING)
    return None


@admin.register(Action)
class ActionAdmin(TenantAdmin):
    """The ledger: read-only records of outside writes, with undo."""

    list_display = ["id", "operation", "target", "state", "team", "run", "actor", "applied_at", "undone_at"]
    list_filter = ["state", "operation", "team"]
    search_fields = ["target", "idempotency_key"]
    list_select_related = ["team", "run", "actor"]
    readonly_fields = [
        "team", "connection", "operation", "target", "params", "before", "result", "undo_result", "state",
        "error", "run", "actor", "idempotency_key", "applied_at", "undone_at", "created",
    ]  # fmt: skip
    fields = readonly_fields
    actions = ["undo"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Undo selected actions…")
    def undo(self, request, queryset):
        actions = list(queryset.select_related("connection"))

        def perform():
            done, refused = 0, []
            for action in actions:
                try:
                    result = action_undo(action, actor=request.user)
                except CannotUndo as error:
                    refused.append(f"#{action.pk} {action.operation}: {error}")
                    continue
                if result.state == "undone":
                    done += 1
                else:
                    refused.append(f"#{action.pk} {action.operation}: {result.error}")
            return done, refused

        return _confirm_undo(self, request, queryset, actions, "undo", perform)
