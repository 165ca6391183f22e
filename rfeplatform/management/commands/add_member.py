from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers.models import Membership, Team
from customers.services import membership_save
from rfeplatform.context import system_context
from rfeplatform.tenancy.roles import Role


class Command(BaseCommand):
    help = (
        "Add a user to a team with a role, creating the team and the user if asked. "
        "The usual way to create the first manager of a team."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("team", help="Team slug.")
        parser.add_argument("--role", choices=Role.values, default=Role.VIEWER)
        parser.add_argument("--team-name", help="Create the team with this name if the slug does not exist.")
        parser.add_argument("--timezone", default="UTC", help="Time zone of a team created here.")
        parser.add_argument("--create-user", action="store_true", help="Create the user if missing.")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Password of a created user (default: prompt-free, unusable).")

    def handle(self, username, team, role, team_name, timezone, create_user, email, password, **options):
        users = get_user_model().objects
        with system_context("command:add_member"), transaction.atomic():
            user = users.filter(username=username).first()
            if user is None:
                if not create_user:
                    raise CommandError(f"No user named {username!r} (use --create-user).")
                user = users.create_user(username=username, email=email, password=password)
            found = Team.objects.filter(slug=team).first()
            if found is None:
                if not team_name:
                    raise CommandError(f"No team with slug {team!r} (use --team-name to create it).")
                found = Team(name=team_name, slug=team, timezone=timezone)
                try:
                    found.full_clean()
                except ValidationError as error:
                    raise CommandError(f"Invalid team: {error.message_dict}") from error
                found.save()
            membership = Membership.objects.filter(team=found, user=user).first() or Membership(team=found, user=user)
            membership.role = role
            try:
                membership_save(membership)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{username} is now {role} of {found.name} ({found.slug}).")
