"""The audit log: every path writes it, secrets never reach it, and it cannot be changed."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, IntegrityError

from customers.models import Customer, Membership
from rfeplatform.accounts.services import token_create
from rfeplatform.audit.models import AuditEvent, AuditEventImmutable
from rfeplatform.audit.recorder import REDACTED, REDACTED_CHANGED
from rfeplatform.context import system_context
from tests.factories import CustomerFactory


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_api_create_is_audited(api_client_for, manager_a, team_a):
    response = api_client_for(manager_a).post(
        "/api/v1/customers/",
        {"team": team_a.pk, "name": "Initech", "account_number": "555"},
        HTTP_X_REQUEST_ID="req-api-create-1",
    )
    assert response.status_code == 201, response.content
    [event] = events(object_type="customers.customer", action="create")
    assert (event.source, event.actor, event.actor_name) == ("api", manager_a, "manager-a")
    assert event.team_id == team_a.pk
    assert event.object_id == str(response.json()["id"])
    assert event.before is None and event.after["name"] == "Initech"
    assert event.request_id == "req-api-create-1"


def test_admin_change_is_audited(client_for, manager_a, customer_a, team_a):
    response = client_for(manager_a).post(
        f"/admin/customers/customer/{customer_a.pk}/change/",
        {
            "team": team_a.pk,
            "name": "Acme Renamed",
            "account_number": customer_a.account_number,
            "sbr_groups": "Ansible, RHEL",
            "products": "OpenShift",
            "timezone": "UTC",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content
    [event] = events(object_type="customers.customer", action="update")
    assert (event.source, event.actor_name) == ("admin", "manager-a")
    assert event.before["name"] == "Acme" and event.after["name"] == "Acme Renamed"
    assert event.after["sbr_groups"] == ["Ansible", "RHEL"]
    assert set(event.changed_fields) >= {"name", "sbr_groups"}


def test_portal_write_is_audited(client_for, viewer_a):
    response = client_for(viewer_a).post("/account/tokens/", {"name": "laptop"})
    assert response.status_code == 302
    [event] = events(object_type="rfeplatform.apitoken", action="create")
    assert (event.source, event.actor_name) == ("portal", "viewer-a")


@pytest.mark.parametrize("source", ["job", "webhook"])
def test_system_paths_are_audited_with_a_named_actor(team_a, source):
    with system_context(f"{source}:sync_cases", source=source, team=team_a):
        customer = Customer.objects.create(team=team_a, name="From a job", account_number="9")
        customer.name = "From a job, renamed"
        customer.save()
        customer.delete()
    created, updated, deleted = events(object_type="customers.customer")
    assert [e.action for e in (created, updated, deleted)] == ["create", "update", "delete"]
    assert {e.source for e in (created, updated, deleted)} == {source}
    assert {e.actor_name for e in (created, updated, deleted)} == {f"{source}:sync_cases"}
    assert deleted.team_id == team_a.pk and deleted.before["name"] == "From a job, renamed"


def test_change_outside_any_context_is_still_recorded(team_a, no_scope):
    Customer(team=team_a, name="Shell", account_number="77").save()
    with system_context("check"):
        [event] = events(object_type="customers.customer")
    assert event.source == "system" and event.actor_name.startswith("system:")


def test_save_without_changes_writes_nothing(customer_a):
    before = AuditEvent.objects.count()
    customer_a.save()
    assert AuditEvent.objects.count() == before


def test_bulk_operations_are_audited(team_a):
    created = Customer.objects.bulk_create(
        [Customer(team=team_a, name=f"Bulk {i}", account_number=f"b{i}") for i in range(3)]
    )
    assert len(events(object_type="customers.customer", action="create")) == 3
    Customer.objects.filter(pk__in=[c.pk for c in created]).update(active=False)
    updates = events(object_type="customers.customer", action="update")
    assert len(updates) == 3 and all(e.before["active"] and not e.after["active"] for e in updates)
    for customer in created:
        customer.name += " (renamed)"
    Customer.objects.bulk_update(created, ["name"])
    updates = events(object_type="customers.customer", action="update")
    assert len(updates) == 6 and all(e.after["name"].endswith("(renamed)") for e in updates[3:])
    Customer.objects.filter(pk__in=[c.pk for c in created]).delete()
    assert len(events(object_type="customers.customer", action="delete")) == 3


def test_cascade_delete_audits_children_with_their_team(team_a, viewer_a):
    CustomerFactory(team=team_a)
    team_id = team_a.pk
    team_a.delete()
    deleted = {e.object_type: e for e in events(action="delete")}
    assert set(deleted) == {"customers.team", "customers.customer", "customers.membership"}
    assert all(e.team_id == team_id for e in deleted.values())


def test_secrets_are_redacted(viewer_a):
    token, key = token_create(user=viewer_a, name="secret holder")
    [event] = events(object_type="rfeplatform.apitoken")
    assert event.after["key_hash"] == REDACTED
    assert key not in str(event.after) and token.key_hash not in str(event.after)
    known = AuditEvent.objects.latest("id").id
    viewer_a.set_password("another-password-123")
    viewer_a.save()
    [user_event] = AuditEvent.objects.filter(object_type="auth.user", id__gt=known)
    # The change is recorded, and neither the old nor the new hash is.
    assert user_event.before["password"] == REDACTED
    assert user_event.after["password"] == REDACTED_CHANGED
    assert user_event.changed_fields == ["password"]


def test_last_login_alone_is_not_an_event(viewer_a):
    from django.utils import timezone

    before = AuditEvent.objects.count()
    viewer_a.last_login = timezone.now()
    viewer_a.save(update_fields=["last_login"])
    assert AuditEvent.objects.count() == before


class TestImmutable:
    def test_model_refuses_update_and_delete(self, customer_a):
        event = AuditEvent.objects.first()
        event.action = "tampered"
        with pytest.raises(AuditEventImmutable):
            event.save()
        with pytest.raises(AuditEventImmutable):
            event.delete()

    def test_queryset_refuses_update_and_delete(self, customer_a):
        with pytest.raises(AuditEventImmutable):
            AuditEvent.objects.all().update(action="tampered")
        with pytest.raises(AuditEventImmutable):
            AuditEvent.objects.all().delete()

    def test_database_refuses_raw_update(self, customer_a):
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE rfeplatform_auditevent SET action = 'tampered'")
        assert not AuditEvent.objects.filter(action="tampered").exists()

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger is PostgreSQL-only")
    def test_database_refuses_raw_delete(self, customer_a):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM rfeplatform_auditevent")

    def test_admin_has_no_add_change_or_delete(self, client_for, superuser, customer_a):
        client = client_for(superuser)
        event = AuditEvent.objects.first()
        assert client.get("/admin/rfeplatform/auditevent/").status_code == 200
        assert client.get("/admin/rfeplatform/auditevent/add/").status_code == 403
        assert client.get(f"/admin/rfeplatform/auditevent/{event.pk}/delete/").status_code == 403
        page = client.get(f"/admin/rfeplatform/auditevent/{event.pk}/change/")
        assert page.status_code == 200 and b'name="_save"' not in page.content

    def test_api_has_no_write_endpoints(self, api_client_for, superuser, customer_a):
        client = api_client_for(superuser)
        event = AuditEvent.objects.first()
        assert client.post("/api/v1/audit-events/", {}).status_code == 405
        assert client.patch(f"/api/v1/audit-events/{event.pk}/", {"action": "x"}).status_code == 405
        assert client.delete(f"/api/v1/audit-events/{event.pk}/").status_code == 405


def test_membership_changes_are_audited_in_the_membership_team(api_client_for, manager_a, team_a, outsider):
    response = api_client_for(manager_a).post(
        "/api/v1/memberships/", {"team": team_a.pk, "user": "outsider", "role": "viewer"}
    )
    assert response.status_code == 201, response.content
    [event] = events(object_type="customers.membership", action="create", actor_name="manager-a")
    assert event.team_id == team_a.pk and event.after["user_id"] == outsider.pk
    assert Membership.objects.filter(user=outsider).exists()
