"""API base: JSON errors for bad input, request ids, pagination, filters, query budget, OpenAPI."""

import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from customers.models import Customer
from rfeplatform.audit.models import AuditEvent
from tests.factories import CustomerFactory, MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status, *fields):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    for field in fields:
        assert field in body["errors"], body
    return body


class TestBadInput:
    def test_missing_auth_is_401_with_challenge(self, client):
        response = client.get("/api/v1/customers/")
        assert_error(response, 401)
        assert response["WWW-Authenticate"] == "Token"

    def test_malformed_json(self, api_client_for, manager_a):
        response = api_client_for(manager_a).post(
            "/api/v1/customers/", data="{not json", content_type="application/json"
        )
        assert "JSON parse error" in assert_error(response, 400)["detail"]

    def test_non_json_content_type(self, api_client_for, manager_a, team_a):
        response = api_client_for(manager_a).post(
            "/api/v1/customers/", data="team=1&name=x", content_type="application/x-www-form-urlencoded"
        )
        assert_error(response, 415)

    def test_unknown_field(self, api_client_for, manager_a, team_a):
        response = api_client_for(manager_a).post(
            "/api/v1/customers/", {"team": team_a.pk, "name": "X", "account_number": "1", "colour": "red"}
        )
        body = assert_error(response, 400, "colour")
        assert body["errors"]["colour"] == ["Unknown field."]
        assert not Customer.objects.filter(name="X").exists()

    def test_wrong_types(self, api_client_for, manager_a, team_a):
        response = api_client_for(manager_a).post(
            "/api/v1/customers/",
            {"team": "abc", "name": "X", "account_number": "1", "active": "maybe", "sbr_groups": "Ansible"},
        )
        assert_error(response, 400, "team", "active", "sbr_groups")

    def test_invalid_timezone(self, api_client_for, manager_a, team_a):
        response = api_client_for(manager_a).post(
            "/api/v1/customers/", {"team": team_a.pk, "name": "X", "account_number": "1", "timezone": "Mars/Base"}
        )
        assert_error(response, 400, "timezone")

    def test_foreign_team_id_in_body(self, api_client_for, manager_a, team_b):
        response = api_client_for(manager_a).post(
            "/api/v1/customers/", {"team": team_b.pk, "name": "X", "account_number": "1"}
        )
        assert_error(response, 400, "team")
        assert not Customer.objects.filter(name="X").exists()

    def test_duplicate_account_number(self, api_client_for, manager_a, customer_a):
        response = api_client_for(manager_a).post(
            "/api/v1/customers/",
            {"team": customer_a.team_id, "name": "Dup", "account_number": customer_a.account_number},
        )
        assert_error(response, 400)
        assert Customer.objects.filter(account_number=customer_a.account_number).count() == 1

    @override_settings(API_MAX_BODY_BYTES=1000)
    def test_oversize_body(self, api_client_for, manager_a, team_a):
        payload = json.dumps({"team": team_a.pk, "name": "X" * 2000, "account_number": "1"})
        response = api_client_for(manager_a).post("/api/v1/customers/", data=payload, content_type="application/json")
        assert_error(response, 413)
        assert not Customer.objects.filter(account_number="1").exists()

    def test_unknown_url_is_json_404(self, api_client_for, viewer_a):
        assert_error(api_client_for(viewer_a).get("/api/v1/no-such-thing/"), 404)

    def test_method_not_allowed(self, api_client_for, manager_a):
        assert_error(api_client_for(manager_a).put("/api/v1/customers/", {}), 405)


class TestRequestId:
    def test_generated_when_missing(self, client):
        response = client.get("/healthz")
        assert len(response["X-Request-ID"]) == 32

    def test_propagated_when_well_formed(self, client):
        assert client.get("/healthz", HTTP_X_REQUEST_ID="trace-abc-123")["X-Request-ID"] == "trace-abc-123"

    def test_replaced_when_malformed(self, client):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
        assert response["X-Request-ID"] != "<script>alert(1)</script>"

    def test_on_errors_too(self, client):
        assert client.get("/api/v1/customers/")["X-Request-ID"]


def test_cursor_pagination(api_client_for, viewer_a, team_a):
    CustomerFactory.create_batch(7, team=team_a)
    client = api_client_for(viewer_a)
    seen, url = [], "/api/v1/customers/?page_size=3"
    while url:
        body = client.get(url).json()
        assert set(body) == {"next", "previous", "results"}
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert len(seen) == 7 == len(set(seen))
    assert seen == sorted(seen, reverse=True)


def test_filters(api_client_for, viewer_a, team_a):
    CustomerFactory(team=team_a, name="Active One", active=True)
    CustomerFactory(team=team_a, name="Sleeping", active=False)
    client = api_client_for(viewer_a)
    names = [c["name"] for c in client.get("/api/v1/customers/?active=false").json()["results"]]
    assert names == ["Sleeping"]
    names = [c["name"] for c in client.get("/api/v1/customers/?name=one").json()["results"]]
    assert names == ["Active One"]


def test_audit_event_filters(api_client_for, manager_a, customer_a):
    client = api_client_for(manager_a)
    client.patch(f"/api/v1/customers/{customer_a.pk}/", {"name": "Renamed"})
    url = f"/api/v1/audit-events/?object_type=customers.customer&object_id={customer_a.pk}&source=api&actor=manager-a"
    [event] = client.get(url).json()["results"]
    assert event["action"] == "update" and event["changed_fields"] == ["name"]
    assert event["before"]["name"] == "Acme" and event["after"]["name"] == "Renamed"
    since = AuditEvent.objects.get(pk=event["id"]).created.isoformat()
    assert client.get("/api/v1/audit-events/", {"until": since, "source": "api"}).json()["results"] == []
    assert len(client.get("/api/v1/audit-events/", {"since": since, "source": "api"}).json()["results"]) == 1
    assert client.get("/api/v1/audit-events/?source=bogus").status_code == 400


LIST_ENDPOINTS = [
    "/api/v1/teams/",
    "/api/v1/customers/",
    "/api/v1/memberships/",
    "/api/v1/audit-events/",
    "/api/v1/tokens/",
    "/api/v1/me/",
]


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
@pytest.mark.parametrize("size", [1, 40])
def test_list_query_budget(api_client_for, url, size):
    user = UserFactory(username=f"budget-{size}")
    for _ in range(size):
        team = TeamFactory()
        MembershipFactory(team=team, user=user, role="manager")
        CustomerFactory(team=team)
    client = api_client_for(user)
    client.patch(f"/api/v1/customers/{Customer.objects.first().pk}/", {"name": "audited"})
    client.get(url)  # the first request records the token's last use; measure the steady state
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}?page_size=100" if "me" not in url else url)
    assert response.status_code == 200
    assert len(response.json().get("results", [None])) >= 1
    # Throttle counters live in the cache; without Redis that cache is a table of the same database.
    # They are constant per request and not SQL at all with Redis, so the budget counts data queries.
    data_queries = [q["sql"] for q in captured.captured_queries if '"rfe_cache"' not in q["sql"]]
    assert len(data_queries) <= 5, "\n".join(data_queries)


def test_openapi_schema_is_valid(client_for, viewer_a):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    response = client_for(viewer_a).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/api/v1/customers/", "/api/v1/me/", "/api/v1/audit-events/", "/api/v1/tokens/"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_swagger_ui_uses_local_assets(client_for, viewer_a):
    response = client_for(viewer_a).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower() and "https://" not in html
