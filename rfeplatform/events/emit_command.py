"""`manage.py emit_event`: send a live event by hand (operators checking that browsers receive
events end to end, from a process other than the web server), and the tests' separate emitter.

Django finds commands only in an app's `management/commands/`; `rfeplatform/management/commands/
emit_event.py` re-exports this `Command`.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rfeplatform.context import system_context
from rfeplatform.events.emitter import emit


class Command(BaseCommand):
    help = "Emit a live event to a team's members, e.g. emit_event --team alpha incident.created '{\"id\": 7}'."

    def add_arguments(self, parser):
        parser.add_argument("topic", help="Dotted topic, e.g. incident.created.")
        parser.add_argument("payload", nargs="?", default="{}", help="JSON object (default {}).")
        parser.add_argument("--team", required=True, help="Team id or slug.")
        parser.add_argument("--count", type=int, default=1, help="Emit this many events (payload gets 'seq').")

    def handle(self, *args, topic, payload, team, count, **options):
        from customers.models import Team

        try:
            data = json.loads(payload)
        except ValueError as error:
            raise CommandError(f"payload is not JSON: {error}") from error
        with system_context("command:emit_event"):
            found = Team.objects.filter(**({"pk": int(team)} if team.isdigit() else {"slug": team})).first()
            if found is None:
                raise CommandError(f"no team {team!r}")
            with transaction.atomic():
                for seq in range(count):
                    emit(topic, team=found, payload={**data, "seq": seq} if count > 1 else data)
        self.stdout.write(f"emitted {count} x {topic} to team {found.slug}")
