from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Support cases (RFE, bug, other), their JIRA and Bugzilla trackers, escalations and daily stats,
    and the services that sync, classify and link them (DESIGN.md §3)."""

    name = "cases"
    verbose_name = "Cases and trackers"
