from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Webhook inbox, deduplicated incidents, classification, RCA, SLA tracking and the JIRA/Slack
    sync of incidents (DESIGN.md §3)."""

    name = "incidents"
    verbose_name = "Incidents"
