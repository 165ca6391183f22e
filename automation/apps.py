from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Connectors and their resilience, job runs and schedules, publishing, GitHub issue automation,
    the action ledger and the simulated upstreams (DESIGN.md §3)."""

    name = "automation"
    verbose_name = "Automation"

    def ready(self):
        from django.db.models.signals import post_save
        from django.utils.module_loading import autodiscover_modules

        from automation.jobs import housekeeping  # noqa: F401  (registers the app's own jobs)

        # Every app declares its jobs in <app>/jobs.py; importing them registers them.
        autodiscover_modules("jobs")
        post_save.connect(_team_saved, sender="customers.Team", dispatch_uid="automation_team_schedules")


def _team_saved(sender, instance, created, **kwargs):
    """A new team gets its job schedules; a changed time zone moves their next runs."""
    from django.db import transaction

    from automation.jobs.schedules import sync_schedules

    if not kwargs.get("raw"):
        transaction.on_commit(lambda: sync_schedules([instance]))
