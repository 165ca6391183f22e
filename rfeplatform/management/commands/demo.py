import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from automation.models import Connection
from customers.models import Customer, Membership, Team
from rfeplatform.context import system_context
from rfeplatform.tenancy.roles import Role

DEMO_PASSWORD = "rfe-demo-2026"

TEAMS = [
    {
        "slug": "platform",
        "name": "Platform Support",
        "timezone": "Europe/Prague",
        "customers": [
            ("Acme Corporation", "1000001", ["Ansible", "OpenShift"], ["Red Hat OpenShift Container Platform"], True),
            ("Globex", "1000002", ["RHEL"], ["Red Hat Enterprise Linux"], True),
            ("Initech", "1000003", ["Ansible"], ["Red Hat Ansible Automation Platform"], True),
        ],
    },
    {
        "slug": "data",
        "name": "Data Services",
        "timezone": "America/New_York",
        "customers": [
            ("Umbrella Analytics", "2000001", ["Storage"], ["Red Hat OpenShift Data Foundation"], True),
            ("Stark Industries", "2000002", ["OpenShift"], ["Red Hat OpenShift AI"], True),
            ("Wayne Enterprises", "2000003", ["Middleware"], ["Red Hat AMQ"], False),
        ],
    },
]


def demo_connections(sandbox: str) -> list[dict]:
    """One connection per vendor, pointing at the simulated upstreams (`manage.py sandbox`)."""
    sso = f"{sandbox}/sso/auth/realms/redhat-external/protocol/openid-connect/token"
    return [
        {
            "kind": "portal",
            "name": "Customer Portal (sandbox)",
            "base_url": f"{sandbox}/portal",
            "auth_type": "oauth_offline_token",
            "settings": {"sso_token_url": sso, "client_id": "rhsm-api"},
        },
        {
            "kind": "jira",
            "name": "JIRA (sandbox)",
            "base_url": f"{sandbox}/jira",
            "auth_type": "token",
            "settings": {"flavour": "server", "project": "RFE"},
        },
        {
            "kind": "bugzilla",
            "name": "Bugzilla (sandbox)",
            "base_url": f"{sandbox}/bugzilla",
            "auth_type": "api_key",
            "settings": {},
        },
        {
            "kind": "github",
            "name": "GitHub (sandbox)",
            "base_url": f"{sandbox}/github",
            "auth_type": "token",
            "settings": {"repository": "rfeplatform/demo"},
        },
        {
            "kind": "slack",
            "name": "Slack (sandbox)",
            "base_url": f"{sandbox}/slack/api",
            "auth_type": "bot_token",
            "settings": {"default_channel": "C0SBXINC01"},
        },
        {
            "kind": "llm",
            "name": "LLM (sandbox)",
            "base_url": f"{sandbox}/llm/v1",
            "auth_type": "api_key",
            "settings": {"model": "sandbox-rca-1"},
        },
        {
            "kind": "databricks",
            "name": "Databricks (sandbox)",
            "base_url": f"{sandbox}/databricks",
            "auth_type": "token",
            "settings": {},
        },
        {"kind": "storage", "name": "Files", "base_url": "", "auth_type": "none", "settings": {"backend": "local"}},
    ]


class Command(BaseCommand):
    help = (
        "Load demo data: two teams with customers, a manager, engineer and viewer per team, and connections "
        "to the simulated upstreams. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sandbox-url",
            default=f"http://127.0.0.1:{os.environ.get('SANDBOX_PORT', '8900')}",
            help="Where `manage.py sandbox` serves the simulated upstreams.",
        )

    def handle(self, sandbox_url, **options):
        with system_context("command:demo"), transaction.atomic():
            logins = self.load()
            self.connections(sandbox_url.rstrip("/"))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<20} {description}")

    def connections(self, sandbox: str) -> None:
        for team in Team.objects.filter(slug__in=[spec["slug"] for spec in TEAMS]):
            for spec in demo_connections(sandbox):
                connection = Connection.objects.filter(team=team, name=spec["name"]).first()
                if connection is None:
                    connection = Connection(team=team, **spec)
                    if spec["auth_type"] != "none":
                        # The sandbox accepts any non-empty credential.
                        connection.set_secret(f"demo-{spec['kind']}-credential")
                    connection.save()
                elif connection.base_url != spec["base_url"]:
                    connection.base_url = spec["base_url"]
                    connection.settings = spec["settings"]
                    connection.save(update_fields=["base_url", "settings", "updated"])

    def user(self, username: str, *, superuser: bool = False, first_name: str = ""):
        users = get_user_model().objects
        user, _ = users.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "first_name": first_name,
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def load(self) -> list[tuple[str, str]]:
        logins = [("admin", "superuser: everything, /admin/")]
        self.user("admin", superuser=True, first_name="Admin")
        teams = {}
        for spec in TEAMS:
            team, _ = Team.objects.get_or_create(
                slug=spec["slug"], defaults={"name": spec["name"], "timezone": spec["timezone"]}
            )
            teams[spec["slug"]] = team
            for name, account, sbr, products, active in spec["customers"]:
                Customer.objects.get_or_create(
                    team=team,
                    account_number=account,
                    defaults={
                        "name": name,
                        "sbr_groups": sbr,
                        "products": products,
                        "active": active,
                        "timezone": spec["timezone"],
                    },
                )
            for role in (Role.MANAGER, Role.ENGINEER, Role.VIEWER):
                username = f"{spec['slug']}-{role.value}"
                user = self.user(username, first_name=role.label)
                Membership.objects.get_or_create(team=team, user=user, defaults={"role": role})
                logins.append((username, f"{role.label.lower()} of {team.name}"))
        sam = self.user("sam", first_name="Sam")
        for team in teams.values():
            Membership.objects.get_or_create(team=team, user=sam, defaults={"role": Role.ENGINEER})
        logins.append(("sam", "engineer in both teams (try the team switcher)"))
        return logins
