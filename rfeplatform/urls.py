from django.contrib import admin
from django.urls import include, path
from django.views import defaults

from rfeplatform import health
from rfeplatform.api import errors as api_errors

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("rfeplatform.api.urls")),
    path("", include("customers.urls")),
    path("", include("automation.urls")),
    path("", include("rfeplatform.portal.urls")),
]


def _by_prefix(api_handler, page_handler):
    """API paths answer JSON errors; pages keep Django's HTML error pages."""

    def handler(request, *args, **kwargs):
        chosen = api_handler if request.path.startswith("/api/") else page_handler
        return chosen(request, *args, **kwargs)

    return handler


handler400 = _by_prefix(api_errors.api_bad_request, defaults.bad_request)
handler403 = _by_prefix(api_errors.api_permission_denied, defaults.permission_denied)
handler404 = _by_prefix(api_errors.api_not_found, defaults.page_not_found)
handler500 = _by_prefix(api_errors.api_server_error, defaults.server_error)
