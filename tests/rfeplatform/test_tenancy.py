"""The fail-closed tenant scope: what each scope sees, and that a missing scope never returns rows."""

import pytest

from customers.models import Customer, Team
from rfeplatform.context import system_context
from rfeplatform.tenancy.roles import Role, has_role
from rfeplatform.tenancy.scope import TeamScope, TenantScopeError, UserScope, use_scope


def test_for_user_sees_only_member_teams(customer_a, customer_b, viewer_a):
    assert list(Customer.objects.for_user(viewer_a)) == [customer_a]
    assert list(Team.objects.for_user(viewer_a)) == [customer_a.team]


def test_min_role_narrows_the_scope(customer_a, viewer_a, manager_a):
    assert not Customer.objects.for_user(viewer_a, Role.MANAGER).exists()
    assert list(Customer.objects.for_user(manager_a, Role.MANAGER)) == [customer_a]


def test_non_member_and_anonymous_see_nothing(customer_a, outsider):
    from django.contrib.auth.models import AnonymousUser

    assert not Customer.objects.for_user(outsider).exists()
    assert not Customer.objects.for_user(AnonymousUser()).exists()


def test_inactive_member_sees_nothing(customer_a, viewer_a):
    viewer_a.is_active = False
    viewer_a.save()
    assert not Customer.objects.for_user(viewer_a).exists()


def test_superuser_sees_all(customer_a, customer_b, superuser):
    assert set(Customer.objects.for_user(superuser)) == {customer_a, customer_b}


@pytest.mark.usefixtures("no_scope")
class TestNoScopeFailsClosed:
    @pytest.mark.parametrize(
        "query",
        [
            lambda: list(Customer.objects.all()),
            lambda: Customer.objects.count(),
            lambda: Customer.objects.exists(),
            lambda: Customer.objects.filter(name="x").first(),
            lambda: Customer.objects.get(pk=1),
            lambda: Customer.objects.update(name="hijacked"),
            lambda: Customer.objects.all().delete(),
            lambda: Customer.objects.values_list("name", flat=True)[0],
            lambda: list(Team.objects.order_by("name")),
        ],
        ids=["list", "count", "exists", "first", "get", "update", "delete", "values", "team"],
    )
    def test_query_without_scope_raises(self, customer_a, query):
        with pytest.raises(TenantScopeError, match="no tenant scope"):
            query()
        with system_context("check"):
            assert Customer.objects.get(pk=customer_a.pk).name == "Acme"

    def test_queryset_built_without_scope_stays_poisoned(self, customer_a):
        # Built at "import time" (no scope), run later inside a scope: still refused, never unscoped.
        built = Customer.objects.filter(active=True)
        with system_context("later"), pytest.raises(TenantScopeError):
            list(built)

    def test_explicit_scopes_work(self, customer_a, viewer_a):
        assert Customer.objects.for_team(customer_a.team).count() == 1
        assert Customer.objects.for_user(viewer_a).count() == 1
        assert Customer.objects.dangerously_unscoped().count() == 1


def test_ambient_team_scope(customer_a, customer_b):
    with use_scope(TeamScope(customer_a.team_id)):
        assert list(Customer.objects.all()) == [customer_a]
        assert list(Team.objects.all()) == [customer_a.team]


def test_ambient_user_scope_reverse_relations(customer_a, customer_b, viewer_a):
    with use_scope(UserScope(viewer_a)):
        # Reverse managers go through the scoped default manager too.
        assert list(customer_b.team.customers.all()) == []
        assert list(customer_a.team.customers.all()) == [customer_a]


def test_has_role(team_a, team_b, engineer_a, superuser):
    assert has_role(engineer_a, team_a.pk, Role.VIEWER)
    assert has_role(engineer_a, team_a.pk, Role.ENGINEER)
    assert not has_role(engineer_a, team_a.pk, Role.MANAGER)
    assert not has_role(engineer_a, team_b.pk, Role.VIEWER)
    assert has_role(superuser, team_b.pk, Role.MANAGER)
