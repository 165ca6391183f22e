from django.apps import AppConfig


class TemplatesConfig(AppConfig):
    """Per-customer report templates (versioned), rendering, preview and the marker merge
    (DESIGN.md §3). Not to be confused with HTML templates, which live in each app's templates/."""

    name = "templates"
    label = "report_templates"
    verbose_name = "Report templates"
