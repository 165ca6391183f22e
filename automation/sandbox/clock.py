"""Time in the sandbox: the seed anchor and each vendor's timestamp format.

Seeded data is placed relative to a fixed anchor instead of "now", so the same seed serves byte-identical
data on every start, on any day. What clients write at run time is stamped with the real clock.
"""

import re
from datetime import UTC, date, datetime, timedelta

DEFAULT_ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def anchor_from(value: str | date | datetime | None) -> datetime:
    """`None` means the default anchor, `"today"` the start of the current UTC day (a fresher demo that is
    still identical for every start on the same day)."""
    if value is None:
        return DEFAULT_ANCHOR
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if value == "today":
        return anchor_from(datetime.now(UTC).date())
    return parse(value)


def iso_z(moment: datetime | None) -> str | None:
    """Portal, GitHub and Bugzilla style: `2026-11-01T09:30:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def jira_time(moment: datetime | None) -> str | None:
    """JIRA style: `2026-11-01T09:30:00.000+0000`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000") if moment else None


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def parse(text: str) -> datetime:
    """Parse the ISO shapes clients send (`Z`, `+0000`, `+00:00`, a bare date); naive means UTC."""
    text = text.strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    text = _OFFSET.sub(r"\1:\2", text)
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


_RELATIVE = re.compile(r"^([+-]?)(\d+)\s*([wdhm])$")
_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}


def parse_relative(text: str, reference: datetime) -> datetime | None:
    """JQL relative dates: `-5d`, `-2w`, `3h`, `-30m`; None when the text is not one."""
    match = _RELATIVE.match(text.strip())
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return reference + sign * int(match.group(2)) * _UNITS[match.group(3)]
