from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    """Replaces the default admin site with one that admits team managers (see admin_site.py)."""

    default_site = "rfeplatform.admin_site.PlatformAdminSite"


class RfeplatformConfig(AppConfig):
    """The project package as an app: shared infrastructure (audit log, API tokens, tenancy)."""

    name = "rfeplatform"
    verbose_name = "Platform"

    def ready(self):
        from rfeplatform.accounts import signals as account_signals  # noqa: F401
        from rfeplatform.api import schema  # noqa: F401  (OpenAPI extensions)
        from rfeplatform.audit import signals as audit_signals  # noqa: F401
