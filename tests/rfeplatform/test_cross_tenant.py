"""The cross-tenant harness. It walks every registered API route, admin model and portal team URL,
creates objects for team A and checks that team B's manager cannot see, change, delete or reference
them. New surfaces are covered by construction; an uncovered surface fails `test_*_are_covered`."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework import serializers

from automation.models import JobRun
from customers.models import Customer
from rfeplatform.api.urls import router
from rfeplatform.api.urls import urlpatterns as api_urlpatterns
from rfeplatform.routing import websocket_urlpatterns
from rfeplatform.tenancy.admin import TenantAdmin
from rfeplatform.tenancy.api import TenantViewSetMixin
from rfeplatform.tenancy.consumers import TenantConsumer
from tests.factories import FACTORIES, MembershipFactory, UserFactory, make_for_team

pytestmark = pytest.mark.django_db

# Routes that are not team data, each with the reason and where its isolation is tested.
NON_TENANT_API_ROUTES = {
    "me": "the caller's own account (test_api, test_tokens)",
    "schema": "OpenAPI document, no data",
    "docs": "Swagger UI, no data",
    "not-found": "JSON 404 catch-all",
}
OWNER_SCOPED_API_PREFIXES = {"tokens": "personal tokens, per user (test_tokens.TestTokenApi)"}
# Admin models that only superusers may use: managers must get 403.
SUPERUSER_ONLY_ADMIN = {
    "auth.user",
    "auth.group",
    "django_q.schedule",
    "django_q.success",
    "django_q.failure",
    "django_q.ormq",
    "django_q.task",
    "account.emailaddress",
    "socialaccount.socialapp",
    "socialaccount.socialaccount",
    "socialaccount.socialtoken",
}
OWNER_SCOPED_ADMIN = {"rfeplatform.apitoken": "test_tokens.TestTokenAdmin"}

TENANT_ROUTES = [(prefix, viewset) for prefix, viewset, _ in router.registry if issubclass(viewset, TenantViewSetMixin)]
TENANT_ADMINS = [(m, a) for m, a in admin.site._registry.items() if isinstance(a, TenantAdmin)]


def test_api_routes_are_covered():
    names = {p.name for p in api_urlpatterns if isinstance(p, URLPattern)}
    assert names <= set(NON_TENANT_API_ROUTES), f"unclassified API routes: {names - set(NON_TENANT_API_ROUTES)}"
    for prefix, viewset, _ in router.registry:
        tenant = issubclass(viewset, TenantViewSetMixin)
        assert tenant or prefix in OWNER_SCOPED_API_PREFIXES, f"/api/v1/{prefix}/ is neither tenant nor owner scoped"
        if tenant:
            assert viewset.model in FACTORIES, f"add a factory for {viewset.model.__name__} to tests/factories.py"
    assert TENANT_ROUTES


def test_admin_models_are_covered():
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if isinstance(model_admin, TenantAdmin):
            assert model in FACTORIES, f"add a factory for {model.__name__} to tests/factories.py"
        else:
            assert label in SUPERUSER_ONLY_ADMIN | set(OWNER_SCOPED_ADMIN), f"admin for {label} is not tenant scoped"


def test_websocket_routes_are_covered():
    for route in websocket_urlpatterns:
        consumer = getattr(route.callback, "consumer_class", None)
        assert consumer is not None and issubclass(consumer, TenantConsumer), f"{route.pattern} is not a TenantConsumer"


def _all_ids(client, url):
    ids, next_url = set(), url
    while next_url:
        body = client.get(next_url).json()
        ids |= {item["id"] for item in body["results"]}
        next_url = body["next"]
    return ids


def _tenant_fk_fields(viewset):
    fields = viewset.serializer_class().fields
    for name, field in fields.items():
        if isinstance(field, serializers.RelatedField) and not field.read_only:
            model = field.queryset.model
            if hasattr(model, "tenant_path") and model in FACTORIES:
                yield name, model


@pytest.mark.parametrize("prefix,viewset", TENANT_ROUTES, ids=[p for p, _ in TENANT_ROUTES])
class TestApiIsolation:
    def test_foreign_objects_are_invisible(self, prefix, viewset, team_a, manager_b, api_client_for):
        obj = make_for_team(viewset.model, team_a)
        outsider_client = api_client_for(manager_b)
        assert obj.pk not in _all_ids(outsider_client, f"/api/v1/{prefix}/")
        assert outsider_client.get(f"/api/v1/{prefix}/{obj.pk}/").status_code == 404
        # Positive control: a member of team A with the endpoint's read role does see it.
        reader = MembershipFactory(team=team_a, role=viewset.read_role, user=UserFactory(username="reader")).user
        member_client = api_client_for(reader)
        assert obj.pk in _all_ids(member_client, f"/api/v1/{prefix}/")
        assert member_client.get(f"/api/v1/{prefix}/{obj.pk}/").status_code == 200

    def test_foreign_objects_cannot_be_changed_or_deleted(self, prefix, viewset, team_a, manager_b, api_client_for):
        obj = make_for_team(viewset.model, team_a)
        before = viewset.serializer_class(obj).data
        client = api_client_for(manager_b)
        for method, handler in (("put", "update"), ("patch", "partial_update"), ("delete", "destroy")):
            response = getattr(client, method)(f"/api/v1/{prefix}/{obj.pk}/", {"name": "hijacked"})
            # Not found where the endpoint writes at all; a read-only endpoint has no such method.
            expected = 404 if hasattr(viewset, handler) and method in viewset.http_method_names else 405
            assert response.status_code == expected, (method, response.status_code)
        # Custom detail actions (undo, cancel, ...) look the object up the same way: 404.
        for extra in viewset.get_extra_actions():
            if extra.detail:
                for method in extra.mapping:
                    response = getattr(client, method)(f"/api/v1/{prefix}/{obj.pk}/{extra.url_path}/")
                    assert response.status_code == 404, (extra.url_path, method, response.status_code)
        assert viewset.model.objects.dangerously_unscoped().filter(pk=obj.pk).exists()
        assert viewset.serializer_class(viewset.model.objects.dangerously_unscoped().get(pk=obj.pk)).data == before

    def test_foreign_ids_cannot_be_referenced(self, prefix, viewset, team_a, team_b, manager_b, api_client_for):
        client = api_client_for(manager_b)
        for field, model in _tenant_fk_fields(viewset):
            foreign = make_for_team(model, team_a)
            count = viewset.model.objects.dangerously_unscoped().count()
            response = client.post(f"/api/v1/{prefix}/", {field: foreign.pk})
            assert response.status_code in (400, 403, 405), response.content
            if response.status_code == 400:
                assert field in response.json()["errors"], response.content
            assert viewset.model.objects.dangerously_unscoped().count() == count
            own = make_for_team(viewset.model, team_b)
            response = client.patch(f"/api/v1/{prefix}/{own.pk}/", {field: foreign.pk})
            assert response.status_code in (400, 405), response.content
            own.refresh_from_db()
            assert getattr(own, f"{field}_id") != foreign.pk


@pytest.mark.parametrize("model,model_admin", TENANT_ADMINS, ids=[m._meta.label_lower for m, _ in TENANT_ADMINS])
class TestAdminIsolation:
    def url(self, model, view, *args):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)

    def test_foreign_objects_are_404(self, model, model_admin, team_a, manager_a, manager_b, client):
        obj = make_for_team(model, team_a)
        client.force_login(manager_b)
        changelist = client.get(self.url(model, "changelist"))
        assert changelist.status_code == 200
        assert obj.pk not in {o.pk for o in changelist.context["cl"].result_list}
        for view in ("change", "delete", "history"):
            assert client.get(self.url(model, view, obj.pk)).status_code == 404, view
            assert client.post(self.url(model, view, obj.pk), {"post": "yes"}).status_code == 404, view
        # A bulk action with a foreign id in the selection does nothing to it.
        client.post(
            self.url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )
        assert model._base_manager.filter(pk=obj.pk).exists()
        # Positive control: team A's manager sees it.
        client.force_login(manager_a)
        assert client.get(self.url(model, "change", obj.pk)).status_code == 200

    def test_foreign_key_choices_are_scoped(self, model, model_admin, team_a, manager_b, client):
        client.force_login(manager_b)
        response = client.get(self.url(model, "add"))
        if response.status_code == 403:
            assert not model_admin.has_add_permission(type("R", (), {"user": manager_b})())
            return
        form = response.context["adminform"].form
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "tenant_path"):
                foreign = make_for_team(queryset.model, team_a)
                assert foreign not in field.queryset.all(), name


@pytest.mark.parametrize("label", sorted(SUPERUSER_ONLY_ADMIN & {m._meta.label_lower for m in admin.site._registry}))
def test_superuser_only_admin_is_forbidden_to_managers(label, manager_b, client):
    app_label, model_name = label.split(".")
    client.force_login(manager_b)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 403


def _team_routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from (
                (f"{namespace}{name}" if ":" not in name else name, r) for name, r in _team_routes(pattern, route)
            )
        elif "<slug:team>" in route and pattern.name:
            yield pattern.name, route


PORTAL_TEAM_ROUTES = sorted(set(_team_routes()))
# Which model a route's <int:pk> names.
PK_MODELS = {"customers:detail": Customer, "automation:job-cancel": JobRun}


def test_portal_team_routes_exist():
    assert {"portal:team", "customers:list", "customers:detail", "automation:jobs"} <= {
        n for n, _ in PORTAL_TEAM_ROUTES
    }


@pytest.mark.parametrize("name,route", PORTAL_TEAM_ROUTES, ids=[n for n, _ in PORTAL_TEAM_ROUTES])
def test_portal_team_pages_are_404_for_other_teams(name, route, team_a, manager_a, manager_b, client):
    kwargs = {"team": team_a.slug}
    if "<slug:section>" in route:
        kwargs["section"] = "cases"
    if "<int:pk>" in route:
        assert name in PK_MODELS, f"say which model {name}'s <pk> names in PK_MODELS"
        kwargs["pk"] = make_for_team(PK_MODELS[name], team_a).pk
    url = reverse(name, kwargs=kwargs)
    client.force_login(manager_b)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    # Positive control: the team's manager reaches the page (405: it exists but takes POST only).
    client.force_login(manager_a)
    assert client.get(url).status_code in (200, 405)
