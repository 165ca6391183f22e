from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

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


class Command(BaseCommand):
    help = "Load demo data: two teams with customers, and a manager, engineer and viewer per team. Idempotent."

    def handle(self, **options):
        with system_context("command:demo"), transaction.atomic():
            logins = self.load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<20} {description}")

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
