"""Fault injection: rules set at run time that make a vendor fail the way real upstreams do.

A rule names a vendor (or `*`), optionally narrows to a path prefix and a method, and says what to do
to matching requests: answer an error status, rate-limit with Retry-After, answer late, hang until the
client times out, break pagination, expire tokens, or send a body that does not parse. `count` makes a
rule apply to the next N matching requests and then retire, so tests are deterministic; `error_rate`
draws from an RNG seeded with the sandbox seed, so even random faults repeat run to run.
"""

import threading
from dataclasses import asdict, dataclass, field

from automation.sandbox import seeding

PAGINATION_MODES = ("repeat", "lying_total")
_FIELDS = {
    "vendor",
    "path",
    "method",
    "count",
    "error_rate",
    "status",
    "rate_limit",
    "latency_ms",
    "timeout",
    "timeout_s",
    "broken_pagination",
    "expire_tokens",
    "malformed",
}


class FaultError(ValueError):
    """A fault rule that does not validate; the control endpoint answers 400 with the message."""


@dataclass
class Injection:
    """What the router does to one request, drawn from the first rule that fires."""

    rule_id: str
    latency_s: float = 0.0
    timeout_s: float | None = None
    rate_limit: tuple[int, int] | None = None
    status: int | None = None
    expire_tokens: bool = False
    malformed: bool = False
    broken_pagination: str | None = None

    @property
    def label(self) -> str:
        kinds = [
            name
            for name, on in (
                ("timeout", self.timeout_s is not None),
                ("rate_limit", self.rate_limit),
                ("status", self.status),
                ("expire_tokens", self.expire_tokens),
                ("malformed", self.malformed),
                ("broken_pagination", self.broken_pagination),
                ("latency", self.latency_s),
            )
            if on
        ]
        return f"{self.rule_id}:{'+'.join(kinds)}"


@dataclass
class FaultRule:
    id: str
    vendor: str
    path: str | None = None
    method: str | None = None
    count: int | None = None
    error_rate: float = 1.0
    status: int | None = None
    rate_limit: dict | None = None
    latency_ms: int = 0
    timeout: bool = False
    timeout_s: float = 30.0
    broken_pagination: str | None = None
    expire_tokens: bool = False
    malformed: bool = False
    fired: int = field(default=0)

    def matches(self, vendor: str, method: str, path: str) -> bool:
        return (
            self.vendor in ("*", vendor)
            and (self.method is None or self.method == method)
            and (self.path is None or path.startswith(self.path))
        )

    def injection(self) -> Injection:
        rate_limit = None
        if self.rate_limit is not None:
            rate_limit = (int(self.rate_limit.get("status", 429)), int(self.rate_limit.get("retry_after", 1)))
        return Injection(
            rule_id=self.id,
            latency_s=self.latency_ms / 1000,
            timeout_s=self.timeout_s if self.timeout else None,
            rate_limit=rate_limit,
            status=self.status,
            expire_tokens=self.expire_tokens,
            malformed=self.malformed,
            broken_pagination=self.broken_pagination,
        )

    def describe(self) -> dict:
        data = asdict(self)
        data["remaining"] = None if self.count is None else self.count - self.fired
        return data


def parse_rule(data: dict, rule_id: str, vendors: set[str]) -> FaultRule:
    if not isinstance(data, dict):
        raise FaultError("a fault rule is a JSON object")
    unknown = set(data) - _FIELDS
    if unknown:
        raise FaultError(f"unknown fault fields: {', '.join(sorted(unknown))}")
    vendor = data.get("vendor")
    if vendor != "*" and vendor not in vendors:
        raise FaultError(f"vendor must be one of {', '.join(sorted(vendors))} or '*'")
    rule = FaultRule(id=rule_id, vendor=vendor)
    rule.path = data.get("path")
    rule.method = data["method"].upper() if data.get("method") else None
    rule.count = _optional_int(data, "count", minimum=1)
    rule.error_rate = float(data.get("error_rate", 1.0))
    if not 0 < rule.error_rate <= 1:
        raise FaultError("error_rate must be in (0, 1]")
    rule.status = _optional_int(data, "status", minimum=400)
    if "rate_limit" in data:
        limit = data["rate_limit"] if isinstance(data["rate_limit"], dict) else {}
        rule.rate_limit = {"status": int(limit.get("status", 429)), "retry_after": int(limit.get("retry_after", 1))}
    rule.latency_ms = _optional_int(data, "latency_ms", minimum=0) or 0
    rule.timeout = bool(data.get("timeout", False))
    rule.timeout_s = float(data.get("timeout_s", 30.0))
    pagination = data.get("broken_pagination")
    if pagination is True:
        pagination = "repeat"
    if pagination not in (None, False, *PAGINATION_MODES):
        raise FaultError(f"broken_pagination must be true or one of {', '.join(PAGINATION_MODES)}")
    rule.broken_pagination = pagination or None
    rule.expire_tokens = bool(data.get("expire_tokens", False))
    rule.malformed = bool(data.get("malformed", False))
    effects = (
        rule.status,
        rule.rate_limit,
        rule.latency_ms,
        rule.timeout,
        rule.broken_pagination,
        rule.expire_tokens,
        rule.malformed,
    )
    if not any(effects):
        raise FaultError(
            "a fault rule needs an effect: status, rate_limit, latency_ms, timeout, "
            "broken_pagination, expire_tokens or malformed"
        )
    return rule


def _optional_int(data: dict, name: str, *, minimum: int) -> int | None:
    if data.get(name) is None:
        return None
    try:
        value = int(data[name])
    except (TypeError, ValueError):
        raise FaultError(f"{name} must be an integer") from None
    if value < minimum:
        raise FaultError(f"{name} must be at least {minimum}")
    return value


class FaultBoard:
    """The active rules, in the order they were added; the first matching rule that fires wins."""

    def __init__(self, seed: int):
        self._seed = seed
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._rules: list[FaultRule] = []
            self._rng = seeding.rng(self._seed, "faults")
            self._next_id = 1

    def next_id(self) -> str:
        with self._lock:
            rule_id = f"f{self._next_id}"
            self._next_id += 1
            return rule_id

    def add(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules.append(rule)

    def clear(self, vendor: str | None = None) -> int:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if vendor is not None and r.vendor != vendor]
            return before - len(self._rules)

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) < before

    def describe(self) -> list[dict]:
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def draw(self, vendor: str, method: str, path: str) -> Injection | None:
        with self._lock:
            for rule in self._rules:
                if not rule.matches(vendor, method, path):
                    continue
                if rule.error_rate < 1 and self._rng.random() >= rule.error_rate:
                    continue
                rule.fired += 1
                if rule.count is not None and rule.fired >= rule.count:
                    self._rules.remove(rule)
                return rule.injection()
        return None
