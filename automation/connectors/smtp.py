"""SMTP for notifications, through Django's e-mail backend with the connection's host and login."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.mail import EmailMessage, get_connection

from automation.connectors.errors import ConnectorError


class SmtpConnector:
    vendor = "smtp"

    def __init__(self, connection):
        self.connection = connection
        url = urlsplit(connection.base_url)
        self.backend = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host=url.hostname,
            port=url.port or 587,
            username=connection.username or None,
            password=connection.get_secret() or None,
            use_tls=connection.settings.get("use_tls", True),
            timeout=connection.timeout_seconds,
        )

    def send(self, subject: str, body: str, to: list[str]) -> int:
        message = EmailMessage(subject, body, self.connection.settings.get("from_email"), to, connection=self.backend)
        try:
            return message.send()
        except OSError as error:
            raise ConnectorError(f"Sending mail failed: {type(error).__name__}") from error

    def check(self) -> str:
        try:
            self.backend.open()
            self.backend.close()
        except OSError as error:
            raise ConnectorError(f"Cannot log in to the SMTP server: {type(error).__name__}") from error
        return "The SMTP server accepted the login."
