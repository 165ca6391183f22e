"""Log filters: every line carries the request id, and credentials never reach the output."""

import logging
import re

from rfeplatform import context

# Authorization headers, tokens and secrets in key=value / "key": "value" form, and URL credentials.
_PATTERNS = [
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(token|bearer|basic)\s+[^\s\"',]+"), r"\1\2 [redacted]"),
    (
        re.compile(
            r"(?i)([\"']?(?:password|secret|token|api_?key|access_token|refresh_token)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&}]+"
        ),
        r"\1[redacted]",
    ),
    (re.compile(r"(?i)(://[^:/\s]+:)[^@/\s]+@"), r"\1[redacted]@"),
    (re.compile(r"rfe_[A-Za-z0-9_-]{20,}"), "rfe_[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ContextFilter(logging.Filter):
    def filter(self, record):
        # django.request logs after the middleware has returned, but carries the request itself.
        request = getattr(record, "request", None)
        record.request_id = context.request_id.get() or getattr(request, "id", None) or "-"
        record.job_run = context.job_run_id.get() or "-"
        return True


class RedactingFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            # Format the traceback now, redacted, so the handler does not print the raw one.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
