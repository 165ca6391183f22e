from django.core.management.base import BaseCommand

from automation.jobs.schedules import sync_platform_schedules, sync_schedules
from customers.models import Team
from rfeplatform.context import system_context


class Command(BaseCommand):
    help = "Create or update every team's job schedules and their django-q2 rows (idempotent)."

    def handle(self, **options):
        with system_context("command:sync_schedules"):
            count = sync_schedules(Team.objects.all())
            platform = sync_platform_schedules()
        self.stdout.write(f"Synced {count} team schedule(s) and {platform} platform schedule(s).")
