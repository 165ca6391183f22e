from django.core.management.base import BaseCommand, CommandError

from automation.sandbox import serve


class Command(BaseCommand):
    help = (
        "Serve the simulated upstreams (SSO, portal, JIRA, Bugzilla, GitHub, Slack, LLM, Databricks) on one "
        "port, each under /<vendor>/, with seeded demo data. In memory only: no database. See "
        "automation/sandbox/README.md."
    )
    requires_system_checks = []  # starts without the database or any configured service

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8900)
        parser.add_argument("--seed", type=int, default=42, help="Same seed, same data.")
        parser.add_argument("--cases", type=int, default=200, help="Portal cases to seed (up to 10,000 and more).")
        parser.add_argument("--issues", type=int, default=150, help="GitHub issues and PRs in rfeplatform/demo.")
        parser.add_argument(
            "--anchor",
            default=None,
            help="Date seeded data is placed before: YYYY-MM-DD or 'today' (default 2026-11-01).",
        )
        parser.add_argument("--jira-flavour", choices=("dc", "cloud"), default="dc")

    def handle(self, *, host, port, seed, cases, issues, anchor, jira_flavour, verbosity, **options):
        def ready(handle):
            self.stdout.write(
                self.style.SUCCESS(f"Sandbox on {handle.url} (seed {seed}, {cases} cases, {issues} issues)")
            )
            for name in handle.app.vendors:
                self.stdout.write(f"  {name:<11} {handle.vendor_url(name)}/")
            self.stdout.write(f"  {'control':<11} {handle.url}/_sandbox   (Ctrl-C to stop)")

        try:
            serve(
                host=host,
                port=port,
                seed=seed,
                cases=cases,
                issues=issues,
                anchor=anchor,
                settings={"jira_flavour": jira_flavour},
                quiet=verbosity < 2,
                ready=ready,
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write("Sandbox stopped.")
