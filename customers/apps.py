from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """Teams (the tenant), their customers and members, and (later) SLA and automation policies."""

    name = "customers"
    verbose_name = "Teams and customers"
