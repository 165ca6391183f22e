"""Role rules on the customers app's API: viewers read, managers configure, superusers own teams."""

import pytest

from customers.models import Customer, Membership, Team

pytestmark = pytest.mark.django_db


def new_customer(team, **extra):
    return {"team": team.pk, "name": "Initech", "account_number": "555", **extra}


@pytest.mark.parametrize("role_fixture", ["viewer_a", "engineer_a"])
def test_viewers_and_engineers_read_but_cannot_write_customers(request, role_fixture, customer_a, api_client_for):
    client = api_client_for(request.getfixturevalue(role_fixture))
    assert client.get(f"/api/v1/customers/{customer_a.pk}/").json()["name"] == "Acme"
    assert client.post("/api/v1/customers/", new_customer(customer_a.team)).status_code == 403
    assert client.patch(f"/api/v1/customers/{customer_a.pk}/", {"name": "x"}).status_code == 403
    assert client.delete(f"/api/v1/customers/{customer_a.pk}/").status_code == 403
    customer_a.refresh_from_db()
    assert customer_a.name == "Acme"


def test_manager_creates_changes_and_deletes_customers(manager_a, team_a, api_client_for):
    client = api_client_for(manager_a)
    created = client.post("/api/v1/customers/", new_customer(team_a, sbr_groups=["Ansible"], timezone="Asia/Tokyo"))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.patch(f"/api/v1/customers/{pk}/", {"active": False}).json()["active"] is False
    assert client.delete(f"/api/v1/customers/{pk}/").status_code == 204
    assert not Customer.objects.filter(pk=pk).exists()


def test_manager_of_one_team_and_viewer_of_another(manager_a, team_b, api_client_for):
    from tests.factories import MembershipFactory

    MembershipFactory(user=manager_a, team=team_b, role="viewer")
    client = api_client_for(manager_a)
    response = client.post("/api/v1/customers/", new_customer(team_b))
    assert response.status_code == 403
    assert not Customer.objects.filter(team=team_b).exists()


def test_teams_managers_rename_superusers_create_and_delete(manager_a, team_a, superuser, api_client_for):
    manager = api_client_for(manager_a)
    assert manager.patch(f"/api/v1/teams/{team_a.pk}/", {"name": "Alpha Prime"}).status_code == 200
    assert manager.post("/api/v1/teams/", {"name": "New", "slug": "new"}).status_code == 403
    assert manager.delete(f"/api/v1/teams/{team_a.pk}/").status_code == 403
    root = api_client_for(superuser)
    created = root.post("/api/v1/teams/", {"name": "New", "slug": "new", "timezone": "UTC"})
    assert created.status_code == 201
    assert root.delete(f"/api/v1/teams/{created.json()['id']}/").status_code == 204
    assert not Team.objects.filter(slug="new").exists()


def test_team_names_are_unique_case_insensitively(superuser, team_a, api_client_for):
    response = api_client_for(superuser).post("/api/v1/teams/", {"name": "ALPHA", "slug": "alpha-2"})
    assert response.status_code == 400


class TestMemberships:
    def test_manager_adds_changes_and_removes_members(self, manager_a, team_a, outsider, api_client_for):
        client = api_client_for(manager_a)
        created = client.post("/api/v1/memberships/", {"team": team_a.pk, "user": "outsider", "role": "viewer"})
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        assert client.patch(f"/api/v1/memberships/{pk}/", {"role": "engineer"}).json()["role"] == "engineer"
        assert client.delete(f"/api/v1/memberships/{pk}/").status_code == 204
        assert not Membership.objects.filter(user=outsider).exists()

    def test_unknown_user_and_duplicate(self, manager_a, team_a, api_client_for):
        client = api_client_for(manager_a)
        response = client.post("/api/v1/memberships/", {"team": team_a.pk, "user": "ghost", "role": "viewer"})
        assert response.status_code == 400 and "user" in response.json()["errors"]
        response = client.post("/api/v1/memberships/", {"team": team_a.pk, "user": "manager-a", "role": "viewer"})
        assert response.status_code == 400

    def test_last_manager_cannot_leave_or_be_demoted(self, manager_a, team_a, api_client_for):
        client = api_client_for(manager_a)
        membership = Membership.objects.get(user=manager_a)
        response = client.patch(f"/api/v1/memberships/{membership.pk}/", {"role": "viewer"})
        assert response.status_code == 400 and "role" in response.json()["errors"]
        response = client.delete(f"/api/v1/memberships/{membership.pk}/")
        assert response.status_code == 400 and "manager" in response.json()["detail"]
        assert Membership.objects.get(pk=membership.pk).role == "manager"

    def test_team_and_user_cannot_be_moved(self, manager_a, viewer_a, team_a, api_client_for):
        membership = Membership.objects.get(user=viewer_a)
        response = api_client_for(manager_a).patch(f"/api/v1/memberships/{membership.pk}/", {"user": "manager-a"})
        assert response.status_code == 400

    def test_viewer_cannot_manage_members(self, viewer_a, team_a, outsider, api_client_for):
        response = api_client_for(viewer_a).post(
            "/api/v1/memberships/", {"team": team_a.pk, "user": "outsider", "role": "manager"}
        )
        assert response.status_code == 403
        assert not Membership.objects.filter(user=outsider).exists()


def test_me_lists_memberships(viewer_a, team_a, api_client_for):
    body = api_client_for(viewer_a).get("/api/v1/me/").json()
    assert body["username"] == "viewer-a"
    assert body["memberships"] == [{"team": team_a.pk, "team_name": "Alpha", "team_slug": "alpha", "role": "viewer"}]
