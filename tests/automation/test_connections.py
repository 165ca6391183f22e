"""Connections: secrets encrypted at rest and write-only everywhere; per-kind validation; key rotation."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection as db

from automation.models import Connection
from rfeplatform.audit.models import AuditEvent
from rfeplatform.audit.recorder import REDACTED, REDACTED_CHANGED
from tests.factories import ConnectionFactory

pytestmark = pytest.mark.django_db

SECRET = "ghp_super-secret-token-value-123"


def raw_column(pk):
    with db.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted FROM automation_connection WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def github(team, **extra):
    return {
        "team": team.pk,
        "kind": "github",
        "name": "GitHub",
        "base_url": "http://127.0.0.1:8900/github",
        "auth_type": "token",
        "secret": SECRET,
        "settings": {"repository": "rfeplatform/demo"},
        **extra,
    }


class TestApi:
    def test_create_encrypts_and_never_returns_the_secret(self, api_client_for, manager_a, team_a):
        client = api_client_for(manager_a)
        response = client.post("/api/v1/connections/", github(team_a), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert "secret" not in body and "secret_encrypted" not in body and body["has_secret"] is True
        stored = Connection.objects.get(pk=body["id"])
        assert SECRET not in raw_column(stored.pk) and stored.get_secret() == SECRET
        for url in ("/api/v1/connections/", f"/api/v1/connections/{stored.pk}/"):
            assert SECRET not in client.get(url).content.decode()
        assert SECRET not in str(list(AuditEvent.objects.values_list("before", "after")))

    def test_update_keeps_replaces_or_clears_the_secret(self, api_client_for, manager_a, team_a):
        client = api_client_for(manager_a)
        pk = client.post("/api/v1/connections/", github(team_a), format="json").json()["id"]
        assert client.patch(f"/api/v1/connections/{pk}/", {"name": "Renamed"}, format="json").status_code == 200
        assert Connection.objects.get(pk=pk).get_secret() == SECRET
        assert client.patch(f"/api/v1/connections/{pk}/", {"secret": "ghp_new"}, format="json").status_code == 200
        assert Connection.objects.get(pk=pk).get_secret() == "ghp_new"
        event = AuditEvent.objects.filter(object_type="automation.connection", action="update").latest("id")
        assert event.before["secret_encrypted"] == REDACTED and event.after["secret_encrypted"] == REDACTED_CHANGED
        cleared = client.patch(f"/api/v1/connections/{pk}/", {"secret": ""}, format="json")
        assert cleared.status_code == 400 and "secret" in cleared.json()["errors"]

    @pytest.mark.parametrize(
        "change,field",
        [
            ({"auth_type": "bot_token"}, "auth_type"),
            ({"settings": {"repository": "not a repo"}}, "settings"),
            ({"settings": {"colour": "red"}}, "settings"),
            ({"base_url": ""}, "base_url"),
            ({"base_url": "ftp://example.com"}, "base_url"),
            ({"kind": "teleport"}, "kind"),
            ({"timeout_seconds": 0}, "timeout_seconds"),
            ({"secret": None}, "secret"),
        ],
    )
    def test_invalid_connections_are_refused(self, api_client_for, manager_a, team_a, change, field):
        data = {k: v for k, v in {**github(team_a), **change}.items() if v is not None}
        response = api_client_for(manager_a).post("/api/v1/connections/", data, format="json")
        assert response.status_code == 400 and field in response.json()["errors"], response.content
        assert not Connection.objects.exists()

    def test_only_managers(self, api_client_for, engineer_a, team_a):
        ConnectionFactory(team=team_a)
        client = api_client_for(engineer_a)
        assert client.get("/api/v1/connections/").json()["results"] == []
        assert client.post("/api/v1/connections/", github(team_a), format="json").status_code == 403


class TestAdmin:
    def test_secret_is_write_only(self, client_for, manager_a, team_a):
        conn = ConnectionFactory(team=team_a, secret=SECRET)
        client = client_for(manager_a)
        page = client.get(f"/admin/automation/connection/{conn.pk}/change/").content.decode()
        assert SECRET not in page and conn.secret_encrypted not in page
        data = {
            "team": team_a.pk,
            "kind": "github",
            "name": "Renamed",
            "base_url": conn.base_url,
            "auth_type": "token",
            "username": "",
            "secret": "",
            "settings": '{"repository": "rfeplatform/demo"}',
            "enabled": "on",
            "timeout_seconds": "10",
            "max_retries": "3",
            "rate_limit_per_minute": "600",
        }
        assert client.post(f"/admin/automation/connection/{conn.pk}/change/", data).status_code == 302
        conn.refresh_from_db()
        assert conn.name == "Renamed" and conn.get_secret() == SECRET
        refused = client.post(f"/admin/automation/connection/{conn.pk}/change/", {**data, "clear_secret": "on"})
        assert refused.status_code == 200 and "secret" in refused.context["adminform"].form.errors
        conn.refresh_from_db()
        assert conn.get_secret() == SECRET


def test_rotate_encryption_keys(settings, team_a):
    conn = ConnectionFactory(team=team_a, secret=SECRET)
    old = settings.FIELD_ENCRYPTION_KEY
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old}"
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "Re-encrypted 1 secret" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEY = new_key  # the old key is gone: the secret still decrypts
    conn.refresh_from_db()
    assert conn.get_secret() == SECRET
