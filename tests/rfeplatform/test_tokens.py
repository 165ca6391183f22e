"""Personal API tokens: shown once, stored hashed, expiry, revocation, last use, failures audited
and throttled, and the four ways to create one (command, API, portal, admin)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from rfeplatform.accounts.models import ApiToken, hash_key
from rfeplatform.accounts.services import token_create, token_revoke
from rfeplatform.accounts.throttling import AuthFailureThrottle
from rfeplatform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_key_is_stored_hashed_only(viewer_a):
    token, key = token_create(user=viewer_a, name="ci")
    assert key.startswith("rfe_") and len(key) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_key(key) and key not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.prefix == key[:12]


def test_token_authenticates_and_records_last_use(viewer_a):
    token, key = token_create(user=viewer_a, name="ci")
    response = client_with(key).get("/api/v1/me/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200 and response.json()["username"] == "viewer-a"
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_ip == "10.1.2.3"


@pytest.mark.parametrize("state", ["expired", "revoked", "inactive-user", "unknown", "malformed"])
def test_unusable_tokens_get_401_and_an_audit_event(viewer_a, state):
    token, key = token_create(user=viewer_a, name="ci")
    header = f"Token {key}"
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        token_revoke(token=token)
    elif state == "inactive-user":
        viewer_a.is_active = False
        viewer_a.save()
    elif state == "unknown":
        header = "Token rfe_this-is-not-a-real-key-at-all-0123456789"
    else:
        header = "Token two parts"
    client = APIClient()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    event = AuditEvent.objects.filter(action="token_auth_failed").latest("id")
    assert event.after["path"] == "/api/v1/me/"
    assert key not in str(event.after) and len(event.after["key_prefix"]) <= 8


def test_failed_token_attempts_are_throttled(viewer_a, monkeypatch):
    # DRF reads rates once at import; set the configured rate of this throttle for the test.
    monkeypatch.setitem(AuthFailureThrottle.THROTTLE_RATES, "auth_failure", "3/min")
    _, good_key = token_create(user=viewer_a, name="ci")
    for _ in range(3):
        assert client_with("rfe_wrong-key-000000000000000000000").get("/api/v1/me/").status_code == 401
    blocked = client_with(good_key).get("/api/v1/me/")
    assert blocked.status_code == 429
    assert "Retry-After" in blocked
    # Another client address is not affected.
    assert client_with(good_key).get("/api/v1/me/", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_create_api_token_command(viewer_a):
    out = StringIO()
    call_command("create_api_token", "viewer-a", "--name", "deploy", "--expires-in-days", "30", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert token.name == "deploy" and token.user == viewer_a
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert client_with(key).get("/api/v1/me/").status_code == 200
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody")


class TestTokenApi:
    def test_create_shows_key_once(self, client_for, viewer_a):
        client = client_for(viewer_a)
        created = client.post("/api/v1/tokens/", {"name": "integration"}, content_type="application/json")
        assert created.status_code == 201
        key = created.json()["key"]
        assert client_with(key).get("/api/v1/me/").status_code == 200
        listed = client.get("/api/v1/tokens/").json()["results"]
        assert [t["name"] for t in listed] == ["integration"] and "key" not in listed[0]
        detail = client.get(f"/api/v1/tokens/{created.json()['id']}/").json()
        assert "key" not in detail and "key_hash" not in detail

    def test_delete_revokes(self, client_for, viewer_a):
        token, key = token_create(user=viewer_a, name="old")
        assert client_for(viewer_a).delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
        token.refresh_from_db()
        assert token.status == "revoked"
        assert client_with(key).get("/api/v1/me/").status_code == 401

    def test_other_users_tokens_are_404(self, client_for, viewer_a, manager_b):
        token, _ = token_create(user=manager_b, name="theirs")
        client = client_for(viewer_a)
        assert client.get(f"/api/v1/tokens/{token.pk}/").status_code == 404
        assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
        assert client.get("/api/v1/tokens/").json()["results"] == []

    def test_bad_expiry_and_unknown_fields(self, client_for, viewer_a):
        client = client_for(viewer_a)
        response = client.post(
            "/api/v1/tokens/", {"name": "x", "expires_at": "soon", "scope": "all"}, content_type="application/json"
        )
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"expires_at", "scope"}


class TestTokenPortalPage:
    def test_create_and_revoke(self, client_for, viewer_a):
        client = client_for(viewer_a)
        created = client.post("/account/tokens/", {"name": "laptop"})
        assert created.status_code == 302  # post/redirect/get: a reload cannot create a second token
        page = client.get(created["Location"])
        key = page.context["created_key"]
        assert key.startswith("rfe_") and key.encode() in page.content
        assert key.encode() not in client.get("/account/tokens/").content
        assert ApiToken.objects.filter(user=viewer_a).count() == 1
        token = ApiToken.objects.get(key_hash=hash_key(key))
        assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
        token.refresh_from_db()
        assert token.status == "revoked"

    def test_form_errors(self, client_for, viewer_a):
        page = client_for(viewer_a).post("/account/tokens/", {"name": "", "expires_at": "2001-01-01 00:00"})
        assert page.status_code == 400
        assert set(page.context["form"].errors) == {"name", "expires_at"}
        assert not ApiToken.objects.exists()

    def test_cannot_revoke_someone_elses(self, client_for, viewer_a, manager_b):
        token, _ = token_create(user=manager_b, name="theirs")
        assert client_for(viewer_a).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
        token.refresh_from_db()
        assert token.status == "active"


class TestTokenAdmin:
    def test_manager_creates_own_token_and_sees_key_once(self, client_for, manager_a, manager_b):
        token_create(user=manager_b, name="not mine")
        client = client_for(manager_a)
        page = client.post(
            "/admin/rfeplatform/apitoken/add/", {"name": "admin-made", "expires_at_0": "", "expires_at_1": ""}
        )
        assert page.status_code == 200, page.content
        key = page.context["key"]
        token = ApiToken.objects.get(key_hash=hash_key(key))
        assert token.user == manager_a and token.name == "admin-made"
        from django.contrib.admin.models import LogEntry

        assert LogEntry.objects.get(object_repr=str(token)).object_id == str(token.pk)
        listing = client.get("/admin/rfeplatform/apitoken/").content.decode()
        assert "admin-made" in listing and "not mine" not in listing
        other = ApiToken.objects.get(name="not mine")
        assert client.get(f"/admin/rfeplatform/apitoken/{other.pk}/change/").status_code == 404

    def test_revoke_action(self, client_for, manager_a):
        token, _key = token_create(user=manager_a, name="to revoke")
        response = client_for(manager_a).post(
            "/admin/rfeplatform/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
        )
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.status == "revoked"
