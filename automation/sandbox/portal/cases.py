"""Seeded support cases and the trackers they link to, plus the shapes the portal serves them in.

Cases are generated in created-date order for the demo accounts. RFE and Bug cases link JIRA issues in
their product's projects (and Bugzilla bugs for products that still use it); several customers often
ask for the same RFE, so links are shared. Open RFE/Bug cases may already have a T5G card. The
per-case detail (comments, watchers, escalation) is generated on first read from a per-case seed, which
keeps start-up fast at 10,000 cases.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from automation.sandbox import catalog, clock, seeding
from automation.sandbox.catalog import Account, Product

RFE_TYPE = "Feature / Enhancement Request"
BUG_TYPE = "Defect / Bug"
OTHER_TYPES = ("Usage / Documentation Help", "Configuration", "Other")
SEVERITIES = ("1 (Urgent)", "2 (High)", "3 (Normal)", "4 (Low)")
OPEN_STATUSES = ("Waiting on Red Hat", "Waiting on Red Hat", "Waiting on Customer")
CLOSED = "Closed"
SPAN = timedelta(days=3 * 365)


@dataclass(slots=True)
class Tracker:
    """A JIRA issue or Bugzilla bug that seeded cases point at; the JIRA and Bugzilla seeds create them."""

    system: str  # "jira" | "bugzilla"
    key: str
    kind: str  # "rfe" | "bug" | "card"
    product: Product
    summary: str
    created: datetime
    case_numbers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Case:
    number: str
    account: Account
    summary: str
    kind: str  # "rfe" | "bug" | "other"
    case_type: str
    status: str
    severity: str
    owner: str
    created: datetime
    modified: datetime
    closed: datetime | None
    product: Product
    version: str
    tags: list[str] | str
    jira_keys: list[str] = field(default_factory=list)
    bugzilla: str | None = None
    detail: dict | None = None  # generated on first read, then mutated by writes


class CaseStore:
    def __init__(self, cases: list[Case], trackers: list[Tracker], seed: int):
        self.cases = cases  # created-date order
        self.by_number = {case.number: case for case in cases}
        self.trackers = trackers
        self.seed = seed

    def get(self, number: str) -> Case | None:
        return self.by_number.get(number.lstrip("0").rjust(8, "0") if number.isdigit() else number)

    def detail(self, case: Case) -> dict:
        if case.detail is None:
            case.detail = _detail(case, seeding.rng(self.seed, "case", case.number))
        return case.detail


def seed_cases(spec) -> CaseStore:
    rng = seeding.rng(spec.seed, "portal")
    fractions = sorted(rng.random() for _ in range(spec.cases))
    pools: dict[tuple, list[Tracker]] = {}
    counters: dict[str, int] = {}
    trackers: list[Tracker] = []
    cases = []
    for index, fraction in enumerate(fractions):
        created = (spec.anchor - SPAN * (1 - fraction)).replace(microsecond=0)
        case = _case(rng, index, created, spec.anchor)
        _link(rng, case, pools, counters, trackers)
        cases.append(case)
    return CaseStore(cases, trackers, spec.seed)


def _case(rng: random.Random, index: int, created: datetime, anchor: datetime) -> Case:
    account = catalog.ACCOUNTS[rng.randrange(len(catalog.ACCOUNTS))]
    product = _product(rng, account)
    roll = rng.random()
    kind = "rfe" if roll < 0.3 else "bug" if roll < 0.6 else "other"
    version = rng.choice(product.versions)
    if kind == "rfe":
        summary, case_type = f"RFE: {_sentence(rng.choice(product.features))}", RFE_TYPE
    elif kind == "bug":
        summary, case_type = f"{_sentence(rng.choice(product.symptoms))} on {version}", BUG_TYPE
    else:
        template = rng.choice(catalog.OTHER_SUMMARIES)
        summary = template.format(component=product.component, product=product.name, version=version)
        case_type = rng.choice(OTHER_TYPES)
    age = anchor - created
    closed = rng.random() < (0.85 if age > timedelta(days=180) else 0.35)
    modified = created + timedelta(seconds=int(rng.random() * min(age, timedelta(days=120)).total_seconds()))
    tags = [product.sbr.lower()] + (["rfe"] if kind == "rfe" else []) + (["t5g"] if rng.random() < 0.3 else [])
    return Case(
        number=f"{3_700_000 + index:08d}",
        account=account,
        summary=summary,
        kind=kind,
        case_type=case_type,
        status=CLOSED if closed else rng.choice(OPEN_STATUSES),
        severity=rng.choices(SEVERITIES, weights=(5, 20, 55, 20))[0],
        owner=rng.choice(catalog.ENGINEERS),
        created=created,
        modified=modified,
        closed=modified if closed else None,
        product=product,
        version=version,
        tags=";".join(tags) if rng.random() < 0.3 else tags,
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _product(rng: random.Random, account: Account) -> Product:
    if rng.random() < 0.8:
        return catalog.PRODUCTS[account.products[0]]
    related = [p for p in catalog.PRODUCTS.values() if p.sbr in account.sbr_groups and p.name not in account.products]
    return rng.choice(related or list(catalog.PRODUCTS.values()))


def _link(rng, case: Case, pools: dict, counters: dict, trackers: list[Tracker]) -> None:
    """Give the case its JIRA keys / Bugzilla bug, reusing an existing tracker for the same request half of
    the time, and maybe a T5G card."""
    product = case.product

    def tracker(system: str, project: str, kind: str, summary: str) -> Tracker:
        pool = pools.setdefault((system, project, kind, summary), [])
        if pool and rng.random() < 0.5:
            chosen = rng.choice(pool)
        else:
            counters[project] = counters.get(project, 0) + 1
            key = f"{project}-{20_000 + counters[project]}" if system == "jira" else str(2_100_000 + counters[project])
            chosen = Tracker(system, key, kind, product, summary, case.created)
            pool.append(chosen)
            trackers.append(chosen)
        chosen.case_numbers.append(case.number)
        return chosen

    title = case.summary.removeprefix("RFE: ")
    if case.kind == "rfe" and rng.random() < 0.8:
        case.jira_keys.append(tracker("jira", product.rfe_project, "rfe", title).key)
    elif case.kind == "bug":
        if rng.random() < 0.65:
            case.jira_keys.append(tracker("jira", product.bug_project, "bug", title).key)
        if product.bugzilla and rng.random() < 0.5:
            case.bugzilla = tracker("bugzilla", "bugzilla", "bug", title).key
    elif case.kind == "other" and rng.random() < 0.05:
        case.jira_keys.append(tracker("jira", product.bug_project, "bug", title).key)
    if case.kind != "other" and case.status != CLOSED and rng.random() < 0.35:
        counters["T5G"] = counters.get("T5G", 0) + 1
        card = Tracker(
            "jira", f"T5G-{counters['T5G']}", "card", product, f"{case.number}: {case.summary}", case.modified
        )
        card.case_numbers.append(case.number)
        trackers.append(card)


def _detail(case: Case, rng: random.Random) -> dict:
    people = list(case.account.contacts)
    comments = []
    moment = case.created
    for index in range(rng.randrange(0, 6)):
        moment = min(moment + timedelta(hours=rng.randrange(1, 96)), case.modified)
        by_customer = index % 2 == 0
        comments.append(
            {
                "createdBy": rng.choice(people) if by_customer else case.owner,
                "commentBody": (
                    f"Attached sosreport for {case.product.name} {case.version}."
                    if by_customer
                    else f"Thanks, engineering is reviewing this against {case.product.component}."
                ),
                "createdDate": clock.iso_z(moment),
                "isPublic": True,
            }
        )
    resolved = None
    if case.closed:
        resolved = clock.iso_z(case.closed) if int(case.number) % 2 else clock.epoch_ms(case.closed)
    relief = None
    if case.kind == "bug" and rng.random() < 0.4:
        moment = case.created + timedelta(hours=rng.randrange(2, 72))
        relief = clock.epoch_ms(moment) if rng.random() < 0.5 else clock.iso_z(moment)
    return {
        "critSit": case.severity.startswith("1") and case.status != CLOSED and rng.random() < 0.5,
        "groupName": f"{case.account.name} {case.product.sbr}" if rng.random() < 0.3 else None,
        "notifiedUsers": [{"ssoUsername": name, "title": "Customer contact"} for name in people[:2]],
        "reliefAt": relief,
        "resolvedAt": resolved,
        "comments": comments,
    }
