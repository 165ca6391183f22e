"""JIRA search in both flavours.

- Data Center: `GET|POST /rest/api/2/search` pages with startAt/maxResults (max 1000) and reports `total`.
- Cloud: `/rest/api/{2,3}/search` is gone (410); `GET|POST /rest/api/{2,3}/search/jql` pages with an
  opaque `nextPageToken` (bound to the JQL), reports no total, returns only ids unless `fields` is given
  (then at most 100 per page), and with `jira_index_lag_s` > 0 does not see issues changed in the last
  seconds unless their ids are in `reconcileIssues`.
Broken pagination: `repeat` serves the previous page again (DC) or hands back the same token (Cloud);
`lying_total` overstates `total` (DC) or promises one more, empty, page (Cloud).
"""

import base64
import hashlib
import json
import time

from automation.sandbox.jira.dialect import actor, is_cloud, list_param, renderer
from automation.sandbox.jira.jql import JqlError, compile_jql
from automation.sandbox.vendor import Call, Problem, json_reply

GONE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)


def run_query(call: Call, jql: str):
    try:
        return compile_jql(jql, call.world.jira, actor(call))
    except JqlError as error:
        raise Problem(400, str(error)) from None


def search(call: Call, v: str):
    if is_cloud(call):
        raise Problem(410, GONE)
    body = call.data if call.request.method == "POST" and isinstance(call.data, dict) else None
    source = body if body is not None else call.args
    try:
        start = max(int(source.get("startAt", 0) or 0), 0)
        limit = min(max(int(source.get("maxResults", 50) or 0), 0), 1000)
    except (TypeError, ValueError):
        raise Problem(400, "startAt and maxResults must be integers") from None
    found = run_query(call, source.get("jql", "")).run(call.world.jira.issues)
    total = len(found)
    if call.broken_pagination == "repeat":
        start = max(0, start - limit)
    elif call.broken_pagination == "lying_total":
        total += max(limit, 1)
    render = renderer(call, v)
    wanted = list_param(call, "fields", body)
    expand = source.get("expand") or ""
    if isinstance(expand, list):
        expand = ",".join(expand)
    issues = [render.issue(issue, wanted, expand) for issue in found[start : start + limit]]
    return json_reply(
        {"expand": "schema,names", "startAt": start, "maxResults": limit, "total": total, "issues": issues}
    )


def search_jql(call: Call, v: str):
    if not is_cloud(call):
        raise Problem(404, "null for uri: " + call.request.url)
    body = call.data if call.request.method == "POST" and isinstance(call.data, dict) else None
    source = body if body is not None else call.args
    jql = source.get("jql", "")
    wanted = list_param(call, "fields", body)
    only_ids = not wanted or set(wanted) <= {"id", "key"}
    try:
        limit = min(max(int(source.get("maxResults", 50) or 50), 1), 5000 if only_ids else 100)
    except (TypeError, ValueError):
        raise Problem(400, "maxResults must be an integer") from None
    token = source.get("nextPageToken")
    offset = _decode_token(token, jql) if token else 0
    reconcile = {int(i) for i in (list_param(call, "reconcileIssues", body) or []) if str(i).isdigit()}
    lag = call.world.settings.jira_index_lag_s
    horizon = time.time() - lag
    visible = [i for i in call.world.jira.issues if not lag or i.indexed_at <= horizon or i.id in reconcile]
    found = run_query(call, jql).run(visible)
    page = found[offset : offset + limit]
    more = offset + limit < len(found)
    next_token = _encode_token(offset + limit, jql) if more else None
    if call.broken_pagination == "repeat" and token:
        next_token, more = token, True
    elif call.broken_pagination == "lying_total" and not more:
        next_token, more = _encode_token(len(found) + limit, jql), True
    render = renderer(call, v)
    expand = source.get("expand") or ""
    issues = [{"id": str(i.id)} if not wanted else render.issue(i, wanted, expand) for i in page]
    data = {"issues": issues, "isLast": not more}
    if next_token:
        data["nextPageToken"] = next_token
    return json_reply(data)


def _encode_token(offset: int, jql: str) -> str:
    digest = hashlib.sha1(jql.encode()).hexdigest()[:8]  # noqa: S324 - a cursor check, not security
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "q": digest}).encode()).decode().rstrip("=")


def _decode_token(token: str, jql: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["q"] != hashlib.sha1(jql.encode()).hexdigest()[:8]:  # noqa: S324
            raise ValueError
        return int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise Problem(400, "The provided next page token is invalid or expired.") from None
