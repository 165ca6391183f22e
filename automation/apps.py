from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Connectors and their resilience, job runs and schedules, publishing, GitHub issue automation,
    the action ledger and the simulated upstreams (DESIGN.md §3)."""

    name = "automation"
    verbose_name = "Automation"
