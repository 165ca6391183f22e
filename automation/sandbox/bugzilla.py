"""Bugzilla REST, in Red Hat Bugzilla's dialect (component, version and target_release are lists;
`"---"` means an unset release).

- `GET /rest/bug/{id}` and `GET /rest/bug?id=1,2,3` (batches), both with `include_fields`; a search
  (`product`, `component`, `status`, `last_change_time` for incremental sync, `limit`/`offset`) is
  silently capped at 10,000 results unless `limit` is given.
- `PUT /rest/bug/{id}` updates (status/resolution, whiteboards, keywords add/remove/set, target_release,
  priority, severity, assignee, a comment; `minor_update` is accepted).
- `GET /rest/bug/{id}/comment`, `GET /rest/version`, `GET /rest/whoami`.
Auth is an API key (`Authorization: Bearer`, `X-BUGZILLA-API-KEY` or `api_key=`). Reads work
anonymously for public bugs, as on the real site; private bugs answer 401 (code 102) and writes without
a key 401 (code 410).
"""

from datetime import timedelta

from werkzeug.routing import Rule

from automation.sandbox import catalog, clock, seeding
from automation.sandbox.vendor import Call, Problem, Vendor, anonymous, json_reply

SEARCH_CAP = 10_000
OPEN = ("NEW", "ASSIGNED", "POST", "MODIFIED", "ON_QA", "VERIFIED")
STATUSES = (*OPEN, "CLOSED")
RESOLUTIONS = ("CURRENTRELEASE", "ERRATA", "NOTABUG", "WONTFIX", "DUPLICATE", "INSUFFICIENT_DATA")
LEVELS = ("urgent", "high", "medium", "low", "unspecified")
DOCS = "https://bugzilla.readthedocs.io/en/latest/api/"
_CODES = {400: 32000, 401: 410, 404: 101, 409: 32000}


class BugStore:
    def __init__(self, bugs: dict[int, dict]):
        self.bugs = bugs

    def get(self, bug_id: int) -> dict | None:
        return self.bugs.get(bug_id)


def build(spec, trackers) -> BugStore:
    rng = seeding.rng(spec.seed, "bugzilla")
    bugs = {}
    for tracker in trackers:
        if tracker.system != "bugzilla":
            continue
        bug_id = int(tracker.key)
        created = tracker.created - timedelta(days=rng.randrange(0, 30))
        changed = min(created + timedelta(hours=rng.randrange(1, 24 * 200)), spec.anchor)
        status = rng.choice(STATUSES)
        major = tracker.product.versions[-1].split(".")[0]
        engineer = rng.choice(catalog.JIRA_PEOPLE)
        bugs[bug_id] = {
            "id": bug_id,
            "alias": [],
            "summary": tracker.summary,
            "status": status,
            "resolution": rng.choice(RESOLUTIONS[:4]) if status == "CLOSED" else "",
            "severity": rng.choice(LEVELS[:4]),
            "priority": rng.choice(LEVELS),
            "assigned_to": f"{engineer}@redhat.com",
            "qa_contact": f"{rng.choice(catalog.JIRA_PEOPLE)}@redhat.com",
            "creator": f"{rng.choice(catalog.ENGINEERS)}@redhat.com",
            "target_release": [rng.choice(tracker.product.versions)] if rng.random() < 0.6 else ["---"],
            "creation_time": clock.iso_z(created),
            "last_change_time": clock.iso_z(changed),
            "whiteboard": rng.choice(("", "", "customer-escalation", "telco")),
            "cf_internal_whiteboard": rng.choice(("", "", "triaged", "needs-info")),
            "keywords": rng.sample(
                ("Triaged", "Regression", "TestBlocker", "ZStream", "Reopened"), rng.randrange(0, 3)
            ),
            "component": [tracker.product.component],
            "product": f"{tracker.product.name} {major}"
            if tracker.product.name.endswith("Linux")
            else tracker.product.name,
            "version": [rng.choice(tracker.product.versions)],
            "is_open": status != "CLOSED",
            "groups": ["redhat"] if rng.random() < 0.1 else [],
            "url": "",
            "comments": [
                {
                    "id": bug_id * 10,
                    "text": f"Description of problem: {tracker.summary}",
                    "creator": engineer,
                    "creation_time": clock.iso_z(created),
                    "is_private": False,
                    "count": 0,
                }
            ],
        }
    return BugStore(bugs)


def _error(call: Call, status: int, message: str, extra: dict):
    code = extra.get("code", _CODES.get(status, 100_500 if status >= 500 else 32000))
    return json_reply({"error": True, "code": code, "message": message, "documentation": DOCS}, status)


def _has_key(call: Call) -> bool:
    headers = call.request.headers
    return bool(
        call.credential
        or headers.get("X-BUGZILLA-API-KEY", "").strip()
        or call.args.get("api_key", "").strip()
        or call.args.get("Bugzilla_api_key", "").strip()
    )


def _authenticate(call: Call, endpoint):
    if call.request.method != "GET" and not _has_key(call):
        return _error(call, 401, "You must log in before using this part of Bugzilla.", {"code": 410})
    return None


def _visible(call: Call, bug: dict) -> bool:
    return not bug["groups"] or _has_key(call)


def _fields(call: Call) -> tuple[set[str] | None, set[str]]:
    include = {f.strip() for f in call.args.get("include_fields", "").split(",") if f.strip()}
    exclude = {f.strip() for f in call.args.get("exclude_fields", "").split(",") if f.strip()}
    if not include or include & {"_default", "_all"}:
        return None, exclude | ({"comments"} if "_all" not in include else set())
    return include, exclude


def _render(bug: dict, include: set[str] | None, exclude: set[str]) -> dict:
    return {k: v for k, v in bug.items() if (include is None or k in include) and k not in exclude}


def _no_access(bug_id: int):
    raise Problem(
        401,
        f"You are not authorized to access bug #{bug_id}. To see this bug, you must first log in to an account "
        "with the appropriate permissions.",
        code=102,
    )


def get_bug(call: Call, bug_id: int):
    bug = call.world.bugzilla.get(bug_id)
    if bug is None:
        raise Problem(404, f"Bug #{bug_id} does not exist.", code=101)
    if not _visible(call, bug):
        _no_access(bug_id)
    include, exclude = _fields(call)
    return json_reply({"bugs": [_render(bug, include, exclude)], "faults": []})


def search_bugs(call: Call):
    store = call.world.bugzilla
    include, exclude = _fields(call)
    permissive = call.args.get("permissive") in ("1", "true")
    ids = [part for value in call.args.getlist("id") for part in value.split(",") if part.strip()]
    faults = []
    if ids:
        found = []
        for raw in ids:
            bug = store.get(int(raw)) if raw.strip().isdigit() else None
            if bug is None or not _visible(call, bug):
                if not permissive:
                    if bug is None:
                        raise Problem(404, f"Bug #{raw} does not exist.", code=101)
                    _no_access(int(raw))
                faults.append({"id": raw, "faultCode": 101 if bug is None else 102})
                continue
            found.append(bug)
    else:
        found = [bug for bug in store.bugs.values() if _visible(call, bug) and _matches(call, bug)]
        found.sort(key=lambda b: b["id"])
        limit = call.args.get("limit")
        offset = call.int_arg("offset", 0)
        if limit is not None and call.int_arg("limit", 0) > 0:
            found = found[offset : offset + call.int_arg("limit", 0)]
        else:
            found = found[offset : offset + SEARCH_CAP] if limit is None else found[offset:]
    return json_reply({"bugs": [_render(bug, include, exclude) for bug in found], "faults": faults})


def _matches(call: Call, bug: dict) -> bool:
    args = call.args
    for name in ("product", "status", "resolution", "severity", "priority"):
        wanted = {v.strip().lower() for value in args.getlist(name) for v in value.split(",") if v.strip()}
        if wanted and str(bug[name]).lower() not in wanted:
            return False
    components = {v.lower() for v in args.getlist("component")}
    if components and not components & {c.lower() for c in bug["component"]}:
        return False
    if args.get("summary") and args["summary"].lower() not in bug["summary"].lower():
        return False
    if args.get("last_change_time"):
        try:
            since = clock.parse(args["last_change_time"])
        except ValueError:
            raise Problem(400, f"'{args['last_change_time']}' is not a valid date/time.") from None
        if clock.parse(bug["last_change_time"]) < since:
            return False
    return True


def update_bug(call: Call, bug_id: int):
    bug = call.world.bugzilla.get(bug_id)
    if bug is None:
        raise Problem(404, f"Bug #{bug_id} does not exist.", code=101)
    data = call.data if isinstance(call.data, dict) else {}
    changes = {}

    def change(name: str, value) -> None:
        before = bug[name]
        if before != value:
            bug[name] = value
            render = lambda v: ", ".join(v) if isinstance(v, list) else str(v)  # noqa: E731
            changes[name] = {"removed": render(before), "added": render(value)}

    status = data.get("status", bug["status"])
    if status not in STATUSES:
        raise Problem(400, f"There is no status named '{status}'.", code=32000)
    resolution = data.get("resolution", bug["resolution"] if status == "CLOSED" else "")
    if status == "CLOSED" and resolution not in RESOLUTIONS:
        raise Problem(400, "You must specify a resolution when changing the status of a bug to CLOSED.", code=32000)
    change("status", status)
    change("resolution", resolution if status == "CLOSED" else "")
    change("is_open", status != "CLOSED")
    for name in ("whiteboard", "cf_internal_whiteboard", "priority", "severity", "assigned_to", "summary"):
        if name in data:
            change(name, str(data[name]))
    if "target_release" in data:
        value = data["target_release"]
        change("target_release", list(value) if isinstance(value, list) else [str(value)])
    if "keywords" in data:
        ops = data["keywords"] if isinstance(data["keywords"], dict) else {"set": data["keywords"]}
        keywords = list(ops.get("set", bug["keywords"]))
        keywords += [k for k in ops.get("add", []) if k not in keywords]
        change("keywords", [k for k in keywords if k not in ops.get("remove", [])])
    comment = data.get("comment")
    if isinstance(comment, dict) and comment.get("body"):
        bug["comments"].append(
            {
                "id": bug_id * 10 + len(bug["comments"]),
                "text": comment["body"],
                "creator": "rfe-bot@example.com",
                "creation_time": clock.iso_z(clock.now()),
                "is_private": bool(comment.get("is_private")),
                "count": len(bug["comments"]),
            }
        )
    if changes or comment:
        bug["last_change_time"] = clock.iso_z(clock.now())
    result = {"id": bug_id, "alias": bug["alias"], "last_change_time": bug["last_change_time"], "changes": changes}
    return json_reply({"bugs": [result]})


def bug_comments(call: Call, bug_id: int):
    bug = call.world.bugzilla.get(bug_id)
    if bug is None:
        raise Problem(404, f"Bug #{bug_id} does not exist.", code=101)
    if not _visible(call, bug):
        _no_access(bug_id)
    return json_reply({"bugs": {str(bug_id): {"comments": bug["comments"]}}, "comments": {}})


@anonymous
def version(call: Call):
    return json_reply({"version": "5.0.4.rh107"})


def whoami(call: Call):
    if not _has_key(call):
        raise Problem(401, "You must log in before using this part of Bugzilla.", code=410)
    return json_reply({"id": 1, "name": "rfe-bot@example.com", "real_name": "RFE platform", "login": "rfe-bot"})


VENDOR = Vendor(
    "bugzilla",
    [
        Rule("/rest/bug", endpoint=search_bugs, methods=["GET"]),
        Rule("/rest/bug/<int:bug_id>", endpoint=get_bug, methods=["GET"]),
        Rule("/rest/bug/<int:bug_id>", endpoint=update_bug, methods=["PUT"]),
        Rule("/rest/bug/<int:bug_id>/comment", endpoint=bug_comments, methods=["GET"]),
        Rule("/rest/version", endpoint=version, methods=["GET"]),
        Rule("/rest/whoami", endpoint=whoami, methods=["GET"]),
    ],
    error=_error,
    authenticate=_authenticate,
)
