"""The subset of Solr query syntax the Hydra case search needs.

Supported: `field:value`, `field:"quoted value"`, `field:prefix*`, `field:*`, ranges `field:[A TO B]`
(and `{}` exclusive bounds, `*` open ends, `NOW`, `NOW-30DAYS`, `NOW/DAY`), value groups
`field:(a OR b)`, `*:*`, `AND`/`&&`, `OR`/`||`, `NOT`/`-`, parentheses. Juxtaposed terms are ANDed
(`q.op=AND`). Unknown fields are an error, as in Solr ("undefined field").
"""

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from automation.sandbox import clock

Predicate = Callable[[Any], bool]


class SolrError(ValueError):
    pass


_DATE_MATH = re.compile(r"^NOW(/DAY)?(?:([+-])(\d+)(DAYS?|HOURS?|MONTHS?|YEARS?))?$")
_UNIT_DAYS = {"DAY": 1, "HOUR": 1 / 24, "MONTH": 30, "YEAR": 365}


def parse(query: str, getters: Mapping[str, Callable[[Any], Any]]) -> Predicate:
    parser = _Parser(query or "*:*", getters)
    predicate = parser.parse_or()
    parser.skip_space()
    if parser.pos < len(parser.text):
        raise SolrError(f"Cannot parse '{query}': unexpected '{parser.text[parser.pos :]}'")
    return predicate


class _Parser:
    def __init__(self, text: str, getters: Mapping[str, Callable]):
        self.text = text
        self.pos = 0
        self.getters = getters

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek_word(self, *words: str) -> str | None:
        self.skip_space()
        for word in words:
            end = self.pos + len(word)
            if self.text.startswith(word, self.pos) and (
                not word.isalpha() or end >= len(self.text) or not self.text[end].isalnum()
            ):
                return word
        return None

    def take(self, word: str) -> None:
        self.skip_space()
        self.pos += len(word)

    def at_end(self) -> bool:
        self.skip_space()
        return self.pos >= len(self.text) or self.text[self.pos] == ")"

    def parse_or(self) -> Predicate:
        parts = [self.parse_and()]
        while (word := self.peek_word("OR", "||")) is not None:
            self.take(word)
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else (lambda doc: any(p(doc) for p in parts))

    def parse_and(self) -> Predicate:
        parts = [self.parse_unary()]
        while not self.at_end() and self.peek_word("OR", "||") is None:
            if (word := self.peek_word("AND", "&&")) is not None:
                self.take(word)
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else (lambda doc: all(p(doc) for p in parts))

    def parse_unary(self) -> Predicate:
        if (word := self.peek_word("NOT", "-", "!")) is not None:
            self.take(word)
            inner = self.parse_unary()
            return lambda doc: not inner(doc)
        if self.peek_word("+"):
            self.take("+")
        return self.parse_primary()

    def parse_primary(self) -> Predicate:
        self.skip_space()
        if self.text.startswith("(", self.pos):
            self.pos += 1
            inner = self.parse_or()
            self.expect(")")
            return inner
        if self.text.startswith("*:*", self.pos):
            self.pos += 3
            return lambda doc: True
        match = re.compile(r"[A-Za-z_][\w.]*").match(self.text, self.pos)
        if not match or not self.text.startswith(":", match.end()):
            raise SolrError(f"Cannot parse '{self.text}': expected field:value at position {self.pos}")
        name = match.group()
        if name not in self.getters:
            raise SolrError(f"undefined field {name}")
        self.pos = match.end() + 1
        return _field(self.getters[name], self.parse_value())

    def expect(self, char: str) -> None:
        self.skip_space()
        if not self.text.startswith(char, self.pos):
            raise SolrError(f"Cannot parse '{self.text}': expected '{char}' at position {self.pos}")
        self.pos += 1

    def parse_value(self) -> Callable[[Any], bool]:
        char = self.text[self.pos : self.pos + 1]
        if char in ("[", "{"):
            self.pos += 1
            low = self.bound()
            if self.peek_word("TO") is None:
                raise SolrError(f"Cannot parse '{self.text}': expected TO in range")
            self.take("TO")
            high = self.bound()
            self.skip_space()
            closing = self.text[self.pos : self.pos + 1]
            if closing not in ("]", "}"):
                raise SolrError(f"Cannot parse '{self.text}': unterminated range")
            self.pos += 1
            return _range(low, high, char == "[", closing == "]")
        if char == "(":
            self.pos += 1
            options = []
            while not self.at_end():
                if (word := self.peek_word("OR", "||")) is not None:
                    self.take(word)
                    continue
                options.append(_term(self.atom()))
            self.expect(")")
            return lambda value: any(option(value) for option in options)
        return _term(self.atom())

    def atom(self) -> str:
        self.skip_space()
        if self.text.startswith('"', self.pos):
            end = self.text.find('"', self.pos + 1)
            if end < 0:
                raise SolrError(f"Cannot parse '{self.text}': unterminated quote")
            value, self.pos = self.text[self.pos + 1 : end], end + 1
            return "\x00" + value  # marks a quoted (exact, no wildcard) value
        match = re.compile(r'(?:\\.|[^\s()\[\]{}"])+').match(self.text, self.pos)
        if not match:
            raise SolrError(f"Cannot parse '{self.text}': expected a value at position {self.pos}")
        self.pos = match.end()
        return match.group().replace("\\", "")

    def bound(self) -> str | None:
        self.skip_space()
        match = re.compile(r'"[^"]*"|[^\s\]}]+').match(self.text, self.pos)
        if not match:
            raise SolrError(f"Cannot parse '{self.text}': expected a range bound")
        self.pos = match.end()
        value = match.group().strip('"').replace("\\", "")
        return None if value == "*" else value


def _field(getter: Callable, test: Callable[[Any], bool]) -> Predicate:
    def predicate(doc) -> bool:
        value = getter(doc)
        if isinstance(value, list | tuple):
            return any(test(v) for v in value)
        return test(value)

    return predicate


def _term(raw: str) -> Callable[[Any], bool]:
    if raw == "*":
        return lambda value: value not in (None, "")
    quoted = raw.startswith("\x00")
    text = raw.lstrip("\x00").lower()
    if not quoted and text.endswith("*"):
        prefix = text[:-1]
        return lambda value: value is not None and _text(value).startswith(prefix)
    return lambda value: value is not None and _text(value) == text


def _text(value: Any) -> str:
    return clock.iso_z(value).lower() if isinstance(value, datetime) else str(value).lower()


def _range(low: str | None, high: str | None, low_inclusive: bool, high_inclusive: bool) -> Callable:
    def bounds_for(value):
        if isinstance(value, datetime):
            return _date(low), _date(high)
        return low, high

    def test(value) -> bool:
        if value is None:
            return False
        lo, hi = bounds_for(value)
        if not isinstance(value, datetime):
            value = str(value)
        if lo is not None and (value < lo if low_inclusive else value <= lo):
            return False
        return not (hi is not None and (value > hi if high_inclusive else value >= hi))

    return test


def _date(text: str | None) -> datetime | None:
    if text is None:
        return None
    match = _DATE_MATH.match(text.upper())
    if match:
        moment = clock.now()
        if match.group(1):
            moment = moment.replace(hour=0, minute=0, second=0)
        if match.group(2):
            days = int(match.group(3)) * _UNIT_DAYS[match.group(4).rstrip("S")]
            moment += timedelta(days=days) * (1 if match.group(2) == "+" else -1)
        return moment
    try:
        return clock.parse(text)
    except ValueError:
        raise SolrError(f"Invalid Date String:'{text}'") from None
