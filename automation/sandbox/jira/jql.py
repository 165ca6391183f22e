"""The subset of JQL that connectors send.

Clauses `field OP value` with `=`, `!=`, `~`, `!~`, `>`, `>=`, `<`, `<=`, `in (...)`, `not in (...)`,
`is [not] EMPTY`; `AND`, `OR`, `NOT`, parentheses; `ORDER BY f [ASC|DESC], ...`. Values are words,
quoted strings, dates (`2026-01-31`, `"2026-01-31 10:00"`, relative `-5d`/`-2w`/`-3h`/`-30m`) and the
functions `now()`, `startOfDay()`, `currentUser()`, `openSprints()`, `closedSprints()`. Unknown fields
and unknown project or status values are errors, as in JIRA. Without ORDER BY results come newest key
first.
"""

import re
from collections.abc import Callable
from datetime import datetime

from automation.sandbox import clock
from automation.sandbox.jira.issues import STATUSES, Issue, JiraStore, account_id

_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|!=|>=|<=|!~|[=~<>(),]|[^\s()=,!~<>"\']+)')
_CATEGORY_NAMES = {
    "to do": "new",
    "new": "new",
    "in progress": "indeterminate",
    "indeterminate": "indeterminate",
    "done": "done",
    "complete": "done",
}
_FIELDS = {
    "project": "project",
    "key": "key",
    "issuekey": "key",
    "id": "key",
    "status": "status",
    "statuscategory": "statusCategory",
    "issuetype": "issuetype",
    "type": "issuetype",
    "priority": "priority",
    "labels": "labels",
    "label": "labels",
    "component": "components",
    "components": "components",
    "assignee": "assignee",
    "reporter": "reporter",
    "creator": "reporter",
    "summary": "summary",
    "description": "description",
    "comment": "comment",
    "text": "text",
    "created": "created",
    "createddate": "created",
    "updated": "updated",
    "updateddate": "updated",
    "resolutiondate": "resolutiondate",
    "resolved": "resolutiondate",
    "resolution": "resolution",
    "sprint": "sprint",
    "cf[12310940]": "sprint",
    "fixversion": "fixVersions",
}
_DATES = {"created", "updated", "resolutiondate"}
_ORDERABLE = {"created", "updated", "resolutiondate", "key", "priority", "status", "summary", "assignee"}


class JqlError(ValueError):
    pass


class Query:
    def __init__(self, predicate: Callable[[Issue], bool], order: list[tuple[str, bool]]):
        self.predicate = predicate
        self.order = order or [("key", True)]

    def run(self, issues: list[Issue]) -> list[Issue]:
        found = [issue for issue in issues if self.predicate(issue)]
        for name, descending in reversed(self.order):
            found.sort(key=lambda i, n=name: _sort_key(i, n), reverse=descending)
        return found


def compile_jql(text: str, store: JiraStore, user: str) -> Query:
    tokens = [t for t in _TOKEN.findall(text or "") if t.strip()]
    parser = _Parser(tokens, store, user)
    predicate = (lambda issue: True) if parser.at_order_or_end() else parser.parse_or()
    order = parser.parse_order()
    if parser.pos < len(tokens):
        raise JqlError(f"Error in the JQL Query: Expecting either 'OR' or 'AND' but got '{tokens[parser.pos]}'.")
    return Query(predicate, order)


class _Parser:
    def __init__(self, tokens: list[str], store: JiraStore, user: str):
        self.tokens = tokens
        self.pos = 0
        self.store = store
        self.user = user
        self.now = clock.now()

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def peek_upper(self) -> str:
        token = self.peek()
        return token.upper() if token else ""

    def next(self) -> str:
        token = self.peek()
        if token is None:
            raise JqlError("Error in the JQL Query: The query ended unexpectedly.")
        self.pos += 1
        return token

    def at_order_or_end(self) -> bool:
        return self.peek() is None or self.peek_upper() == "ORDER"

    def parse_or(self):
        parts = [self.parse_and()]
        while self.peek_upper() == "OR":
            self.next()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else (lambda i: any(p(i) for p in parts))

    def parse_and(self):
        parts = [self.parse_not()]
        while self.peek_upper() == "AND":
            self.next()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else (lambda i: all(p(i) for p in parts))

    def parse_not(self):
        if self.peek_upper() == "NOT":
            self.next()
            inner = self.parse_not()
            return lambda i: not inner(i)
        if self.peek() == "(":
            self.next()
            inner = self.parse_or()
            if self.next() != ")":
                raise JqlError("Error in the JQL Query: Expecting ')'.")
            return inner
        return self.parse_clause()

    def parse_clause(self):
        raw = _unquote(self.next())
        name = _FIELDS.get(raw.lower())
        if name is None:
            raise JqlError(f"Field '{raw}' does not exist or you do not have permission to view it.")
        op = self.next().lower()
        if op == "not" and self.peek_upper() == "IN":
            self.next()
            op = "not in"
        elif op == "is" and self.peek_upper() == "NOT":
            self.next()
            op = "is not"
        if op in ("in", "not in"):
            values = self.parse_list()
        elif op in ("is", "is not"):
            if self.next().upper() not in ("EMPTY", "NULL"):
                raise JqlError("Error in the JQL Query: Expecting EMPTY or NULL after IS.")
            values = []
        elif op in ("=", "!=", "~", "!~", ">", ">=", "<", "<="):
            values = [self.parse_value()]
        else:
            raise JqlError(f"Error in the JQL Query: Expecting an operator but got '{op}'.")
        self.validate(name, values)
        return _clause(name, op, values, self)

    def parse_list(self) -> list:
        if self.peek() != "(":
            return [self.parse_value()]  # `sprint in openSprints()`: a function that yields a list
        self.next()
        values = []
        while True:
            values.append(self.parse_value())
            token = self.next()
            if token == ")":
                return values
            if token != ",":
                raise JqlError("Error in the JQL Query: Expecting ',' or ')'.")

    def parse_value(self):
        token = self.next()
        if self.peek() == "(" and not token.startswith(("'", '"')):
            self.next()
            argument = None if self.peek() == ")" else self.next()
            if self.next() != ")":
                raise JqlError("Error in the JQL Query: Expecting ')' after function arguments.")
            return ("fn", token.lower(), argument)
        if token.upper() in ("EMPTY", "NULL"):
            return None
        return _unquote(token)

    def parse_order(self) -> list[tuple[str, bool]]:
        if self.peek_upper() != "ORDER":
            return []
        self.next()
        if self.next().upper() != "BY":
            raise JqlError("Error in the JQL Query: Expecting 'BY' after 'ORDER'.")
        order = []
        while True:
            raw = _unquote(self.next()).lower()
            name = "key" if raw == "rank" else _FIELDS.get(raw, "")  # no ranking here: rank orders like key
            if name not in _ORDERABLE:
                raise JqlError("Error in the JQL Query: Not able to sort using that field.")
            descending = False
            if self.peek_upper() in ("ASC", "DESC"):
                descending = self.next().upper() == "DESC"
            order.append((name, descending))
            if self.peek() != ",":
                return order
            self.next()

    def validate(self, name: str, values: list) -> None:
        for value in values:
            if not isinstance(value, str):
                continue
            if name == "project" and not any(
                value.upper() in (p.key, p.id) or value.lower() == p.name.lower() for p in self.store.projects.values()
            ):
                raise JqlError(f"The value '{value}' does not exist for the field 'project'.")
            if name == "status" and value.lower() not in {s.lower() for s in STATUSES}:
                raise JqlError(f"The value '{value}' does not exist for the field 'status'.")


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def _value_of(issue: Issue, name: str, store: JiraStore):
    if name == "statusCategory":
        return STATUSES[issue.status][1]
    if name == "comment":
        return " ".join(c["body"] for c in issue.comments)
    if name == "text":
        return " ".join([issue.summary, issue.description, *(c["body"] for c in issue.comments)])
    if name == "sprint":
        return issue.sprint
    return getattr(issue, name if name != "fixVersions" else "fix_versions")


def _clause(name: str, op: str, values: list, parser: _Parser) -> Callable[[Issue], bool]:
    store = parser.store
    resolved = [_resolve(name, value, parser) for value in values]
    if op in ("is", "is not"):
        empty = lambda i: _value_of(i, name, store) in (None, "", [])  # noqa: E731
        return empty if op == "is" else (lambda i: not empty(i))
    if op in ("~", "!~"):
        words = [w.lower().strip("*") for w in str(values[0]).split() if w.strip("*")]
        contains = lambda i: all(w in str(_value_of(i, name, store) or "").lower() for w in words)  # noqa: E731
        return contains if op == "~" else (lambda i: not contains(i))
    if op in (">", ">=", "<", "<="):
        bound = resolved[0]
        compare = {
            ">": lambda a: a > bound,
            ">=": lambda a: a >= bound,
            "<": lambda a: a < bound,
            "<=": lambda a: a <= bound,
        }[op]

        def ordered(issue: Issue) -> bool:
            value = _comparable(issue, name, store)
            return value is not None and bound is not None and compare(value)

        return ordered
    accepted = set()
    for value in resolved:
        accepted.update(value if isinstance(value, set) else {value})

    def member(issue: Issue) -> bool:
        value = _comparable(issue, name, store)
        items = value if isinstance(value, list) else [value]
        return any(item in accepted for item in items)

    if op in ("=", "in"):
        return member
    return lambda issue: _value_of(issue, name, store) not in (None, "", []) and not member(issue)


def _comparable(issue: Issue, name: str, store: JiraStore):
    value = _value_of(issue, name, store)
    if name == "key":
        return _key_number(issue.key)
    if name in _DATES or value is None:
        return value
    if isinstance(value, list):
        return [str(v).lower() for v in value]
    return str(value).lower()


def _resolve(name: str, value, parser: _Parser):
    """A clause value in the same form `_comparable` gives the issue's value."""
    if isinstance(value, tuple):
        _, function, _argument = value
        if function == "currentuser":
            return parser.user.lower()
        if function in ("opensprints", "closedsprints"):
            wanted = {"opensprints": ("active", "future"), "closedsprints": ("closed",)}[function]
            return {str(s.id) for s in parser.store.sprints.values() if s.state in wanted}
        if function == "now":
            return parser.now
        if function == "startofday":
            return parser.now.replace(hour=0, minute=0, second=0)
        raise JqlError(f"Error in the JQL Query: Unable to find JQL function '{function}()'.")
    if value is None:
        return None
    if name in _DATES:
        return _date(value, parser.now)
    if name == "key":
        return _key_number(value.upper()) if not value.isdigit() else _key_number(_id_to_key(parser.store, value))
    if name == "project":
        for project in parser.store.projects.values():
            if value.upper() in (project.key, project.id) or value.lower() == project.name.lower():
                return project.key.lower()
    if name == "statusCategory":
        return _CATEGORY_NAMES.get(value.lower(), value.lower())
    if name == "sprint":
        for sprint in parser.store.sprints.values():
            if value == str(sprint.id) or value.lower() == sprint.name.lower():
                return str(sprint.id)
    if name in ("assignee", "reporter"):
        for user in parser.store.users:
            if value == account_id(user):
                return user.lower()
    return value.lower()


def _key_number(key: str):
    project, _, number = key.rpartition("-")
    return (project, int(number)) if number.isdigit() else (key, 0)


def _id_to_key(store: JiraStore, value: str) -> str:
    issue = store.get(value)
    return issue.key if issue else f"?-{value}"


def _date(text: str, now: datetime) -> datetime:
    relative = clock.parse_relative(text, now)
    if relative is not None:
        return relative
    try:
        return clock.parse(text.replace("/", "-"))
    except ValueError:
        raise JqlError(
            f"Date value '{text}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
            "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d'."
        ) from None


_PRIORITY_RANK = {"Blocker": 0, "Critical": 1, "Major": 2, "Normal": 3, "Minor": 4, "Undefined": 5}


def _sort_key(issue: Issue, name: str):
    if name == "key":
        return _key_number(issue.key)
    if name == "priority":
        return -_PRIORITY_RANK.get(issue.priority, 9)
    value = getattr(issue, name)
    if name in _DATES:
        return (value is not None, value.timestamp() if value else 0.0)
    return (value is not None, str(value or "").lower())
