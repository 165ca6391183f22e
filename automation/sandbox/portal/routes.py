"""Red Hat Customer Portal: Hydra case search and detail, the newer support API, and the page store.

Every call needs `Authorization: Bearer <access token>` issued by the sandbox SSO; a missing, unknown or
expired token answers 401 (Spring-style JSON body plus `WWW-Authenticate`), which is what drives a
client to re-authenticate. Search results stop at a window of 9,999 documents: `start` at or beyond it is
refused with 400, and a page that crosses it is cut short, while `numFound` still reports every match.
"""

import time

from werkzeug.routing import Rule

from automation.sandbox import clock
from automation.sandbox.portal import pages, render, solr
from automation.sandbox.vendor import Call, Problem, Vendor, empty_reply, json_reply

RESULT_WINDOW = 9_999
_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    428: "Precondition Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def _error(call: Call, status: int, message: str, extra: dict):
    body = {
        "timestamp": clock.iso_z(clock.now()),
        "status": status,
        "error": _REASONS.get(status, "Error"),
        "message": message,
        "path": call.path,
        **extra,
    }
    response = json_reply(body, status)
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{message}"'
    return response


def _authenticate(call: Call, endpoint):
    credential = call.credential
    if credential is None or credential[0].lower() != "bearer":
        return _error(call, 401, "Full authentication is required to access this resource", {})
    status = call.world.sso.status(credential[1])
    if status == "expired":
        return _error(call, 401, "The access token expired", {})
    if status != "valid":
        return _error(call, 401, "Invalid access token", {})
    return None


def _case(call: Call, number: str):
    case = call.world.cases.get(number)
    if case is None:
        raise Problem(404, f"Case {number} not found")
    return case


def search_cases(call: Call):
    started = time.monotonic()
    query = call.args.get("q", "*:*")
    rows = call.int_arg("rows", 10)
    start = call.int_arg("start", 0)
    fields = [f.strip() for f in call.args.get("fl", "").split(",") if f.strip()] or None
    try:
        predicate = solr.parse(query, render.SEARCH_FIELDS)
        order = _sort(call.args.get("sort", "case_createdDate asc"))
    except solr.SolrError as error:
        return _solr_error(str(error))
    if start >= RESULT_WINDOW:
        return _solr_error(
            f"start={start} is beyond the result window of {RESULT_WINDOW}; narrow the query, "
            "for example by case_createdDate ranges"
        )
    matches = [case for case in call.world.cases.cases if predicate(case)]
    if order:
        name, descending = order
        getter = render.SEARCH_FIELDS[name]
        present = [c for c in matches if getter(c) is not None]
        present.sort(key=lambda c: (getter(c), c.number), reverse=descending)
        matches = present + [c for c in matches if getter(c) is None]
    found = len(matches)
    if call.broken_pagination == "repeat":
        start = max(0, start - rows)
    elif call.broken_pagination == "lying_total":
        found += max(rows, 1)
    end = min(start + rows, RESULT_WINDOW)
    docs = [render.search_doc(case, fields) for case in matches[start:end]]
    return json_reply(
        {
            "responseHeader": {
                "status": 0,
                "QTime": int((time.monotonic() - started) * 1000),
                "params": dict(call.args.items()),
            },
            "response": {"numFound": found, "start": start, "docs": docs},
        }
    )


def _sort(text: str) -> tuple[str, bool] | None:
    name, _, direction = text.strip().partition(" ")
    if not name or name == "score":
        return None
    if name not in render.SEARCH_FIELDS:
        raise solr.SolrError(f"sort param field can't be found: {name}")
    return name, direction.strip().lower() == "desc"


def _solr_error(message: str):
    return json_reply({"responseHeader": {"status": 400, "QTime": 0}, "error": {"msg": message, "code": 400}}, 400)


def case_detail(call: Call, number: str):
    return json_reply(render.hydra_detail(_case(call, number), call.world, call.root))


def case_jiras(call: Call, number: str):
    return json_reply(render.jiras(_case(call, number), call.world, call.root))


def add_notified_users(call: Call, number: str):
    case = _case(call, number)
    users = call.data.get("user") if isinstance(call.data, dict) else None
    if not isinstance(users, list) or not all(isinstance(u, dict) and u.get("ssoUsername") for u in users):
        raise Problem(400, 'Expected {"user": [{"ssoUsername": "..."}]}')
    watchers = call.world.cases.detail(case)["notifiedUsers"]
    known = {w["ssoUsername"] for w in watchers}
    for user in users:
        if user["ssoUsername"] not in known:
            watchers.append({"ssoUsername": user["ssoUsername"], "title": user.get("title", "")})
            known.add(user["ssoUsername"])
    return empty_reply(201)


def support_case(call: Call, number: str):
    return json_reply(render.support_case(_case(call, number), call.world))


def support_filter(call: Call):
    data = call.data if isinstance(call.data, dict) else {}
    try:
        max_results = min(int(data.get("maxResults", 50)), 500)
        offset = int(data.get("offset", 0))
        start = clock.parse(data["startDate"]) if data.get("startDate") else None
        end = clock.parse(data["endDate"]) if data.get("endDate") else None
    except (TypeError, ValueError):
        raise Problem(400, "maxResults and offset must be integers, startDate and endDate ISO dates") from None
    statuses = {s.lower() for s in data.get("statuses") or []}
    product = (data.get("product") or "").lower()
    account = data.get("accountNumber")
    matches = [
        case
        for case in call.world.cases.cases
        if (account is None or case.account.number == str(account))
        and (not statuses or case.status.lower() in statuses)
        and (not product or case.product.name.lower() == product)
        and (start is None or case.created >= start)
        and (end is None or case.created <= end)
    ]
    page = matches[offset : offset + max_results]
    return json_reply({"totalCount": len(matches), "cases": [render.support_case(c, call.world) for c in page]})


VENDOR = Vendor(
    "portal",
    [
        Rule("/hydra/rest/search/cases", endpoint=search_cases, methods=["GET"]),
        Rule("/hydra/rest/v1/cases/<number>", endpoint=case_detail, methods=["GET"]),
        Rule("/hydra/rest/cases/<number>/jiras", endpoint=case_jiras, methods=["GET"]),
        Rule("/hydra/rest/v1/cases/<number>/notifiedusers", endpoint=add_notified_users, methods=["POST"]),
        Rule("/support/v1/cases/filter", endpoint=support_filter, methods=["POST"]),
        Rule("/support/v1/cases/<number>", endpoint=support_case, methods=["GET"]),
        Rule("/pages", endpoint=pages.list_pages, methods=["GET"]),
        Rule("/pages/<account>", endpoint=pages.get_page, methods=["GET"]),
        Rule("/pages/<account>", endpoint=pages.put_page, methods=["PUT"]),
        Rule("/pages/<account>/versions", endpoint=pages.list_versions, methods=["GET"]),
        Rule("/pages/<account>/versions/<int:version>", endpoint=pages.get_version, methods=["GET"]),
        Rule("/pages/<account>/versions/<int:version>/restore", endpoint=pages.restore_version, methods=["POST"]),
    ],
    error=_error,
    authenticate=_authenticate,
)
