"""Log lines carry the request id and never a credential."""

import logging

import pytest

from rfeplatform.logging import ContextFilter, RedactingFilter, redact


@pytest.mark.parametrize(
    "text,secret",
    [
        ("Authorization: Token rfe_abcdefghijklmnopqrstuvwxyz0123", "rfe_abcdefghijklmnopqrstuvwxyz0123"),
        ("headers={'Authorization': 'Bearer eyJhbGciOi.abc.def'}", "eyJhbGciOi.abc.def"),
        ("password=hunter2&user=bob", "hunter2"),
        ('{"client_secret": "s3cr3t-value"}', "s3cr3t-value"),
        ("GET https://bob:pa55w0rd@jira.example.com/rest", "pa55w0rd"),
        ("refresh_token=eyJoffline.token.value", "eyJoffline.token.value"),
        ("key rfe_AAAAAAAAAAAAAAAAAAAAAAAAAAAA leaked", "rfe_AAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ],
)
def test_redact(text, secret):
    assert secret not in redact(text)


def test_filters_redact_messages_arguments_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "calling with %s", ("api_key=abc123xyz",), None)
    try:
        raise RuntimeError("token=topsecret123 rejected")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    ContextFilter().filter(record)
    RedactingFilter().filter(record)
    formatted = logging.Formatter("%(request_id)s %(message)s").format(record)
    assert "abc123xyz" not in formatted and "topsecret123" not in formatted
    assert formatted.startswith("- calling with api_key=[redacted]") and "RuntimeError" in formatted


@pytest.mark.django_db
def test_request_log_lines_carry_the_request_id(client, caplog, viewer_a):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/api/v1/customers/", HTTP_X_REQUEST_ID="trace-log-0001")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    ContextFilter().filter(record)
    assert record.request_id == "trace-log-0001"
