"""/api/v1/: every endpoint of the REST API is registered here."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from automation.api.actions import ActionViewSet
from automation.api.jobs import JobRunViewSet
from automation.api.views import ConnectionViewSet
from customers.api.views import CustomerViewSet, MembershipViewSet, TeamViewSet
from rfeplatform.accounts.api import ApiTokenViewSet, me
from rfeplatform.api.errors import api_not_found
from rfeplatform.audit.api import AuditEventViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("teams", TeamViewSet, basename="team")
router.register("customers", CustomerViewSet, basename="customer")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("audit-events", AuditEventViewSet, basename="auditevent")
router.register("connections", ConnectionViewSet, basename="connection")
router.register("jobs", JobRunViewSet, basename="jobrun")
router.register("actions", ActionViewSet, basename="action")
router.register("tokens", ApiTokenViewSet, basename="apitoken")

app_name = "api"
urlpatterns = [
    path("me/", me, name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ is a JSON 404, also with DEBUG on (Django's debug page is HTML).
    re_path(r"^.*$", api_not_found, name="not-found"),
]
