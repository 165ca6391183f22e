"""One error shape for the whole API: {"detail": "...", "errors": {"field": ["..."]}}."""

import logging

from django.db import IntegrityError
from django.http import JsonResponse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from rfeplatform.tenancy.scope import TenantScopeError

log = logging.getLogger(__name__)


def _flatten(data) -> tuple[str, dict]:
    """DRF error data (str, list or dict) as (detail, errors)."""
    if isinstance(data, dict):
        if set(data) == {"detail"}:
            return str(data["detail"]), {}
        errors = {key: value if isinstance(value, list) else [value] for key, value in data.items()}
        non_field = errors.pop("non_field_errors", None)
        detail = str(non_field[0]) if non_field else "Invalid input."
        if non_field:
            errors["non_field_errors"] = non_field
        return detail, errors
    if isinstance(data, list):
        return (str(data[0]) if data else "Invalid input."), {"non_field_errors": data}
    return str(data), {}


def exception_handler(exc, context):
    if isinstance(exc, IntegrityError):
        # A race past validation (two requests creating the same thing): nothing was written.
        set_rollback()
        return Response({"detail": "This conflicts with an existing record.", "errors": {}}, status=409)
    if isinstance(exc, TenantScopeError):
        # A programming error; answer as a server error without leaking the query.
        log.error("tenant scope missing: %s", exc)
        return Response({"detail": "Internal server error.", "errors": {}}, status=500)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail, errors = _flatten(response.data)
    response.data = {"detail": detail, "errors": errors}
    return response


def _json_error(status_code: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": {}}, status=status_code)


# Django-level handlers for /api/ paths that never reach a DRF view (unknown URLs, server errors).
def api_not_found(request, exception=None):
    return _json_error(status.HTTP_404_NOT_FOUND, "Not found.")


def api_server_error(request):
    return _json_error(status.HTTP_500_INTERNAL_SERVER_ERROR, "Internal server error.")


def api_bad_request(request, exception=None):
    return _json_error(status.HTTP_400_BAD_REQUEST, "Bad request.")


def api_permission_denied(request, exception=None):
    return _json_error(status.HTTP_403_FORBIDDEN, "You do not have permission to perform this action.")
