"""The whole simulated world: every vendor's state, built deterministically from a seed.

Vendors link to each other the way the real systems do (a portal case names its JIRA keys and Bugzilla
bug, a JIRA card links back to the case), so the world is built in one place, in dependency order. A
reset simply builds a fresh world from the same `SeedSpec`.
"""

import threading
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from automation.sandbox import bugzilla, clock, databricks, slack, sso
from automation.sandbox.github.store import build as build_github
from automation.sandbox.jira.seed import build as build_jira
from automation.sandbox.portal.cases import seed_cases
from automation.sandbox.portal.pages import PageStore


@dataclass(frozen=True)
class SeedSpec:
    """Everything seeded data depends on. Same spec, same data, byte for byte."""

    seed: int = 42
    cases: int = 200
    issues: int = 150
    anchor: datetime = field(default=clock.DEFAULT_ANCHOR)

    def describe(self) -> dict:
        return {"seed": self.seed, "cases": self.cases, "issues": self.issues, "anchor": clock.iso_z(self.anchor)}


@dataclass
class Settings:
    """Behaviour that can change at run time (`PATCH /_sandbox/config`) without reseeding."""

    jira_flavour: str = "dc"  # "dc": /rest/api/2/search; "cloud": /rest/api/{2,3}/search/jql, /search is 410
    jira_index_lag_s: float = 0.0  # cloud search/jql hides issues changed this recently unless reconciled
    sso_token_ttl_s: int = 900
    github_rate_limit: int = 5000
    github_search_rate_limit: int = 30
    github_code_search_rate_limit: int = 10
    github_anonymous_rate_limit: int = 60

    def update(self, changes: dict) -> None:
        known = {f.name: f.type for f in fields(self)}
        unknown = set(changes) - set(known)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        if changes.get("jira_flavour", self.jira_flavour) not in ("dc", "cloud"):
            raise ValueError("jira_flavour must be 'dc' or 'cloud'")
        for name, value in changes.items():
            setattr(self, name, known[name](value))

    def describe(self) -> dict:
        return asdict(self)


class World:
    """All vendor state. Handlers run under `lock`, so a write and the next read never interleave."""

    def __init__(self, spec: SeedSpec, settings: Settings):
        self.spec = spec
        self.settings = settings
        self.lock = threading.RLock()
        self.cases = seed_cases(spec)
        self.pages = PageStore.seeded(spec)
        self.jira = build_jira(spec, self.cases.trackers)
        self.bugzilla = bugzilla.build(spec, self.cases.trackers)
        self.github = build_github(spec)
        self.slack = slack.build(spec)
        self.databricks = databricks.build(spec)
        self.sso = sso.TokenStore()
