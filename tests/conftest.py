"""Shared fixtures: the three-user base (a team's members, another team's manager, an outsider),
authenticated API and page clients, and tenant scopes for test code."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from rfeplatform import context
from rfeplatform.accounts.services import token_create
from rfeplatform.context import system_context
from rfeplatform.tenancy import scope as tenant_scope
from rfeplatform.tenancy.roles import Role
from tests.factories import PASSWORD, CustomerFactory, MembershipFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _test_scope():
    """Test code itself (arranging and asserting) acts as a system actor over all teams. Requests
    made by test clients set their own scope and actor, as in production."""
    with system_context("test", source="system"):
        yield


@pytest.fixture
def no_scope():
    """Run the test body with no tenant scope and no actor at all (as a forgotten scope, or a plain
    Python shell, would)."""
    token = tenant_scope._current.set(None)
    actor = context.system_actor.set(None)
    yield
    context.system_actor.reset(actor)
    tenant_scope._current.reset(token)


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Throttle counters and cluster stats live in the cache, which outlives a test's transaction."""
    if (
        "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or request.node.get_closest_marker("django_db")
    ):
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        cache.clear()
    yield


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def team_a(db):
    return TeamFactory(name="Alpha", slug="alpha")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="Bravo", slug="bravo")


def _member(team, role, username):
    return MembershipFactory(team=team, role=role, user=UserFactory(username=username)).user


@pytest.fixture
def manager_a(team_a):
    return _member(team_a, Role.MANAGER, "manager-a")


@pytest.fixture
def engineer_a(team_a):
    return _member(team_a, Role.ENGINEER, "engineer-a")


@pytest.fixture
def viewer_a(team_a):
    return _member(team_a, Role.VIEWER, "viewer-a")


@pytest.fixture
def manager_b(team_b):
    return _member(team_b, Role.MANAGER, "manager-b")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def customer_a(team_a):
    return CustomerFactory(team=team_a, name="Acme", account_number="111")


@pytest.fixture
def customer_b(team_b):
    return CustomerFactory(team=team_b, name="Bolt", account_number="222")


@pytest.fixture
def api_client_for(db):
    """APIClient authenticated with a real personal token in the Authorization header."""

    def make(user):
        _, key = token_create(user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        client.user = user
        return client

    return make


@pytest.fixture
def client_for(client):
    """Django test client with a logged-in session."""

    def make(user):
        client.force_login(user)
        return client

    return make
