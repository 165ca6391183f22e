"""What one connection asked for (`?after=` and `?topics=`) and what it has already been sent."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs

# Prefixes are matched against topics, so they use the same characters.
_PREFIX_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")
MAX_PREFIXES = 20
# Ids remembered per connection to drop a second copy of a live event. Copies only arise within a
# short window (a catch-up and the live stream overlapping, or a layer redelivering), so a few
# hundred ids cover it at a fixed cost per connection.
REMEMBERED_IDS = 512


class InvalidSubscription(ValueError):
    """The query string cannot be honoured; the connection is closed with code 4400."""


@dataclass
class Subscription:
    """A connection's filter and its guards against duplicates and holes.

    `after` is the last id the client saw (None: it wants live events only). After the catch-up,
    `floor` is the newest id the catch-up covered: live copies of those events are dropped.
    `team_last` holds each team's newest id this connection has dealt with (sent or filtered out),
    to tell from a live event's `prev` whether one went missing in between.
    """

    after: int | None = None
    topics: tuple[str, ...] = ()
    floor: int = 0
    team_last: dict[int, int] = field(default_factory=dict)
    _sent: set[int] = field(default_factory=set, repr=False)
    _order: deque = field(default_factory=deque, repr=False)

    @classmethod
    def from_query_string(cls, raw: bytes | str) -> Subscription:
        text = raw.decode("latin-1") if isinstance(raw, bytes) else raw
        params = parse_qs(text, keep_blank_values=True)
        return cls(after=_after(params.get("after", [""])[-1]), topics=_topics(params.get("topics", [])))

    def matches(self, topic: str) -> bool:
        return not self.topics or topic.startswith(self.topics)

    def admit(self, event_id: int, topic: str) -> bool:
        """True if the event should go to the browser now; it is then remembered as sent."""
        if event_id <= self.floor or event_id in self._sent or not self.matches(topic):
            return False
        self._sent.add(event_id)
        self._order.append(event_id)
        if len(self._order) > REMEMBERED_IDS:
            self._sent.discard(self._order.popleft())
        return True

    def missed_since(self, team_id: int, prev: int | None) -> int | None:
        """The id after which the team's events must be re-read from the table because the event
        whose predecessor is `prev` arrived before (or without) that predecessor; None if nothing is
        missing, or nothing can be told (a team joined since the connection opened)."""
        last = self.team_last.get(team_id)
        if prev is None or last is None or prev <= last:
            return None
        return last

    def saw(self, team_id: int, event_id: int) -> None:
        self.team_last[team_id] = max(self.team_last.get(team_id, 0), event_id)


def _after(value: str) -> int | None:
    if value == "":
        return None
    if not value.isdigit() or len(value) > 19:
        raise InvalidSubscription("after must be the id of the last event received (a non-negative integer)")
    return int(value)


def _topics(values: list[str]) -> tuple[str, ...]:
    prefixes = {p.strip() for value in values for p in value.split(",") if p.strip()}
    if len(prefixes) > MAX_PREFIXES:
        raise InvalidSubscription(f"at most {MAX_PREFIXES} topic prefixes")
    for prefix in prefixes:
        if len(prefix) > 100 or not set(prefix) <= _PREFIX_CHARS:
            raise InvalidSubscription(f"invalid topic prefix {prefix!r}")
    return tuple(sorted(prefixes))
