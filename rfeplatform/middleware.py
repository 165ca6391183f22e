"""Request id and request context (actor, source, tenant scope) for every request."""

import re
import uuid

from rfeplatform import context
from rfeplatform.tenancy.scope import RequestScope, use_scope

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

# Where a request comes from, for the audit log, by path prefix.
_SOURCES = (("/admin/", "admin"), ("/api/", "api"), ("/hooks/", "webhook"))


class RequestIDMiddleware:
    """Takes a well-formed X-Request-ID from the caller (a proxy, an integration) or makes one, and
    returns it on every response, errors included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = context.request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response[REQUEST_ID_HEADER] = request.id
        return response


class RequestContextMiddleware:
    """Sets the audit source and the tenant scope (the request's user, resolved lazily, because DRF
    authenticates API tokens inside the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.audit_source = next((src for prefix, src in _SOURCES if request.path.startswith(prefix)), "portal")
        token = context.current_request.set(request)
        try:
            with use_scope(RequestScope(request)):
                return self.get_response(request)
        finally:
            context.current_request.reset(token)
