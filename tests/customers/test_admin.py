"""Team managers configure their own team in the admin; nothing else."""

import pytest

from customers.models import Customer, Membership

pytestmark = pytest.mark.django_db


def test_manager_without_staff_flag_enters_admin(client_for, manager_a):
    assert not manager_a.is_staff
    page = client_for(manager_a).get("/admin/")
    assert page.status_code == 200
    assert b"Customers" in page.content and b"Users" not in page.content


@pytest.mark.parametrize("role_fixture", ["viewer_a", "engineer_a", "outsider"])
def test_non_managers_are_kept_out(request, role_fixture, client_for):
    response = client_for(request.getfixturevalue(role_fixture)).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_manager_adds_customer_to_own_team_only(client_for, manager_a, team_a, team_b):
    client = client_for(manager_a)
    data = {
        "name": "New Co",
        "account_number": "42",
        "sbr_groups": "Ansible,  RHEL\nOpenShift",
        "products": "",
        "timezone": "UTC",
        "active": "on",
    }
    refused = client.post("/admin/customers/customer/add/", {**data, "team": team_b.pk})
    assert refused.status_code == 200 and "team" in refused.context["adminform"].form.errors
    assert client.post("/admin/customers/customer/add/", {**data, "team": team_a.pk}).status_code == 302
    customer = Customer.objects.get(account_number="42")
    assert customer.team == team_a and customer.sbr_groups == ["Ansible", "RHEL", "OpenShift"]


def test_invalid_timezone_is_a_form_error(client_for, manager_a, team_a):
    response = client_for(manager_a).post(
        "/admin/customers/customer/add/",
        {"team": team_a.pk, "name": "X", "account_number": "1", "timezone": "Nowhere/Land", "sbr_groups": ""},
    )
    assert response.status_code == 200 and "timezone" in response.context["adminform"].form.errors
    assert not Customer.objects.filter(name="X").exists()


def test_manager_adds_member_by_username_or_email(client_for, manager_a, team_a, outsider):
    client = client_for(manager_a)
    page = client.get("/admin/customers/membership/add/")
    assert b"outsider" not in page.content  # users are not listed
    response = client.post(
        "/admin/customers/membership/add/", {"username": "OUTSIDER@example.com", "team": team_a.pk, "role": "engineer"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.get(user=outsider).role == "engineer"
    again = client.post(
        "/admin/customers/membership/add/", {"username": "outsider", "team": team_a.pk, "role": "viewer"}
    )
    assert again.status_code == 200 and "username" in again.context["adminform"].form.errors
    missing = client.post(
        "/admin/customers/membership/add/", {"username": "ghost", "team": team_a.pk, "role": "viewer"}
    )
    assert "username" in missing.context["adminform"].form.errors


def test_last_manager_is_protected_in_admin(client_for, manager_a):
    client = client_for(manager_a)
    membership = Membership.objects.get(user=manager_a)
    demote = client.post(
        f"/admin/customers/membership/{membership.pk}/change/", {"team": membership.team_id, "role": "viewer"}
    )
    assert demote.status_code == 200 and "role" in demote.context["adminform"].form.errors
    assert client.post(f"/admin/customers/membership/{membership.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/admin/customers/membership/",
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=membership.pk, role="manager").exists()


def test_manager_cannot_create_or_delete_teams(client_for, manager_a, team_a, superuser):
    client = client_for(manager_a)
    assert client.get("/admin/customers/team/add/").status_code == 403
    assert client.get(f"/admin/customers/team/{team_a.pk}/delete/").status_code == 403
    assert client.get(f"/admin/customers/team/{team_a.pk}/change/").status_code == 200
    assert client_for(superuser).get("/admin/customers/team/add/").status_code == 200
