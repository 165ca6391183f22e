"""The demo data and member management commands."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from customers.models import Customer, Membership, Team
from rfeplatform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (Team.objects.count(), Customer.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    assert counts[:3] == (2, 6, 8)
    call_command("demo", stdout=StringIO())
    assert (Team.objects.count(), Customer.objects.count(), Membership.objects.count()) == counts[:3]
    assert AuditEvent.objects.count() == counts[3], "a second run changes nothing"
    text = out.getvalue()
    for username in ("admin", "platform-manager", "platform-engineer", "platform-viewer", "data-manager", "sam"):
        assert username in text
    assert get_user_model().objects.get(username="data-viewer").check_password("rfe-demo-2026")
    assert AuditEvent.objects.filter(actor_name="command:demo").exists()


def test_add_member_creates_team_user_and_manager():
    call_command(
        "add_member",
        "alice",
        "ops",
        "--role",
        "manager",
        "--team-name",
        "Ops",
        "--create-user",
        "--email",
        "alice@example.com",
        "--password",
        "a-long-password-1",
        stdout=StringIO(),
    )
    membership = Membership.objects.get(user__username="alice")
    assert (membership.team.slug, membership.role) == ("ops", "manager")
    assert membership.user.check_password("a-long-password-1")


def test_add_member_errors():
    with pytest.raises(CommandError, match="No user"):
        call_command("add_member", "ghost", "ops")
    get_user_model().objects.create_user("bob")
    with pytest.raises(CommandError, match="No team"):
        call_command("add_member", "bob", "nope")
    with pytest.raises(CommandError, match="time zone"):
        call_command("add_member", "bob", "x", "--team-name", "X", "--timezone", "Bad/Zone")
