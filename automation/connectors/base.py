"""The connector base: one per Connection, on the shared HttpClient, with a uniform `check()`."""

from __future__ import annotations

from django.utils import timezone

from automation.connectors.errors import ConnectorError
from automation.connectors.http import HttpClient, default_classify
from rfeplatform.logging import redact


class BaseConnector:
    """Subclasses set `vendor`, implement `authenticate(prepared_request)` and `check()`, and may
    extend `classify(response)`."""

    vendor = ""

    def __init__(self, connection, **client_options):
        self.connection = connection
        self.http = HttpClient(
            connection,
            vendor=self.vendor,
            auth=self.authenticate,
            classify=self.classify,
            reauthenticate=self.reauthenticate if self.refreshes_tokens else None,
            **client_options,
        )

    refreshes_tokens = False

    @property
    def secret(self) -> str:
        return self.connection.get_secret()

    def authenticate(self, request) -> None:
        """Put the credential on an outgoing request."""

    def reauthenticate(self) -> None:
        """Drop a cached short-lived token so the next request fetches a new one."""

    def classify(self, response):
        return default_classify(response)

    def check(self) -> str:
        """One real authenticated call; returns what it found (e.g. "Authenticated as bot")."""
        raise ConnectorError(f"{type(self).__name__} has no check.", permanent=True)

    def get(self, path, **kwargs):
        return self.http.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.http.request("POST", path, **kwargs)


def check_connection(connection) -> tuple[bool, str]:
    """Run the connector's check and record the outcome on the Connection (admin "Test connection")."""
    from automation.connectors import connector_for
    from automation.models import Connection

    now = timezone.now()
    try:
        message = connector_for(connection).check()
    except ConnectorError as error:
        message = redact(error.message)[:1000]
        # Status bookkeeping, not a configuration change: written without an audit event.
        Connection._base_manager.filter(pk=connection.pk).update(last_error_at=now, last_error=message)
        connection.last_error_at, connection.last_error = now, message
        return False, message
    Connection._base_manager.filter(pk=connection.pk).update(last_success_at=now, last_error="")
    connection.last_success_at, connection.last_error = now, ""
    return True, message
