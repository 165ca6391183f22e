"""JIRA REST v2 (and v3, which differs only in Atlassian Document Format bodies), plus Agile.

The sandbox plays one flavour at a time (`Settings.jira_flavour`, default `dc`, switchable at run time
through `/_sandbox/config`): `dc` says `deploymentType: Server` in serverInfo, `cloud` says `Cloud`. The
flavours differ in search (see `search.py`) and in user shapes (`name`/`key` versus `accountId`).
"""

import time
from html import escape

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from automation.sandbox.jira import agile, search
from automation.sandbox.jira.dialect import actor, is_cloud, list_param, now, renderer
from automation.sandbox.jira.issues import ISSUE_TYPES, PRIORITIES, RESOLUTIONS, STATUSES, Issue, plain_text
from automation.sandbox.jira.render import server_info
from automation.sandbox.vendor import Call, Problem, Vendor, anonymous, empty_reply, json_reply

API = "/rest/api/<any('2','3','latest'):v>"


def _error(call: Call, status: int, message: str, extra: dict):
    body = {"errorMessages": [message] if message else [], "errors": extra.get("errors", {})}
    return json_reply(body, status)


def _rate_limited(call: Call, status: int, retry_after: int):
    response = _error(call, status, "Rate limit exceeded.", {})
    response.headers.update(
        {
            "Retry-After": str(retry_after),
            "RateLimit-Reason": "jira-burst-based",
            "X-RateLimit-Limit": "100",
            "X-RateLimit-Remaining": "0",
        }
    )
    return response


def _authenticate(call: Call, endpoint):
    if call.credential is None:
        response = _error(
            call, 401, "You are not authenticated. Authentication required to perform this operation.", {}
        )
        response.headers["WWW-Authenticate"] = 'OAuth realm="sandbox"'
        return response
    return None


@anonymous
def get_server_info(call: Call, v: str):
    return json_reply(server_info(call.base, is_cloud(call), call.world.spec.anchor))


def myself(call: Call, v: str):
    return json_reply(renderer(call, v).user(actor(call)))


def projects(call: Call, v: str):
    render = renderer(call, v)
    return json_reply([render.project(p) for p in call.world.jira.projects.values()])


def project(call: Call, v: str, key: str):
    found = call.world.jira._project(key)
    if found is None:
        raise Problem(404, f"No project could be found with key '{key}'.")
    return json_reply(renderer(call, v).project(found, expand=True))


def fields(call: Call, v: str):
    return json_reply(renderer(call, v).field_catalogue())


def issuetypes(call: Call, v: str):
    render = renderer(call, v)
    return json_reply([render.issuetype(name) for name in ISSUE_TYPES])


def priorities(call: Call, v: str):
    render = renderer(call, v)
    return json_reply([render.priority(name) for name in PRIORITIES])


def statuses(call: Call, v: str):
    render = renderer(call, v)
    return json_reply([render.status(name) for name in STATUSES])


def resolutions(call: Call, v: str):
    return json_reply([{"id": rid, "name": name} for name, rid in RESOLUTIONS.items()])


def create_issue(call: Call, v: str):
    data = call.data if isinstance(call.data, dict) else {}
    if not isinstance(data.get("fields"), dict):
        raise Problem(400, "", errors={"fields": "Field 'fields' is required."})
    issue = call.world.jira.create(data["fields"], actor(call), now())
    issue.indexed_at = time.time()
    for op in (data.get("update") or {}).get("comment", []):
        if "add" in op:
            call.world.jira.comment(issue, str(op["add"].get("body", "")), actor(call), now())
    render = renderer(call, v)
    return json_reply({"id": str(issue.id), "key": issue.key, "self": f"{render.api}/issue/{issue.id}"}, 201)


def _issue(call: Call, key: str) -> Issue:
    return call.world.jira.require(key)


def get_issue(call: Call, v: str, key: str):
    issue = _issue(call, key)
    return json_reply(renderer(call, v).issue(issue, list_param(call, "fields"), call.args.get("expand", "")))


def edit_issue(call: Call, v: str, key: str):
    issue = _issue(call, key)
    data = call.data if isinstance(call.data, dict) else {}
    call.world.jira.edit(issue, data.get("fields") or {}, data.get("update") or {}, actor(call), now())
    return empty_reply(204)


def delete_issue(call: Call, v: str, key: str):
    call.world.jira.delete(_issue(call, key))
    return empty_reply(204)


def delete_comment(call: Call, v: str, key: str, comment_id: str):
    call.world.jira.delete_comment(_issue(call, key), comment_id, now())
    return empty_reply(204)


def transitions(call: Call, v: str, key: str):
    issue = _issue(call, key)
    render = renderer(call, v)
    return json_reply(
        {"expand": "transitions", "transitions": [render.transition(t) for t in call.world.jira.transitions_for(issue)]}
    )


def do_transition(call: Call, v: str, key: str):
    issue = _issue(call, key)
    data = call.data if isinstance(call.data, dict) else {}
    transition = data.get("transition") or {}
    if not transition.get("id"):
        raise Problem(400, "", errors={"transition": "Missing 'transition' identifier"})
    call.world.jira.transition(
        issue, str(transition["id"]), data.get("fields") or {}, data.get("update") or {}, actor(call), now()
    )
    return empty_reply(204)


def comments(call: Call, v: str, key: str):
    issue = _issue(call, key)
    page = renderer(call, v).comments_page(issue)
    start = call.int_arg("startAt", 0)
    limit = call.int_arg("maxResults", 5000, minimum=1)
    page["comments"] = page["comments"][start : start + limit]
    page.update(startAt=start, maxResults=limit)
    return json_reply(page)


def add_comment(call: Call, v: str, key: str):
    issue = _issue(call, key)
    data = call.data if isinstance(call.data, dict) else {}
    comment = call.world.jira.comment(issue, plain_text(data.get("body")), actor(call), now())
    return json_reply(renderer(call, v).comment(issue, comment), 201)


def remote_links(call: Call, v: str, key: str):
    issue = _issue(call, key)
    render = renderer(call, v)
    return json_reply([render.remote_link(issue, link) for link in issue.remote_links])


def add_remote_link(call: Call, v: str, key: str):
    issue = _issue(call, key)
    data = call.data if isinstance(call.data, dict) else {}
    link, created = call.world.jira.remote_link(issue, data, now())
    render = renderer(call, v)
    return json_reply({"id": link["id"], "self": render.remote_link(issue, link)["self"]}, 201 if created else 200)


def application_links(call: Call):
    return json_reply([])


@anonymous
def browse(call: Call, key: str):
    issue = call.world.jira.get(key)
    title = f"[{issue.key}] {issue.summary}" if issue else "Issue Does Not Exist"
    return Response(
        f"<html><title>{escape(title)}</title><h1>{escape(title)}</h1></html>",
        status=200 if issue else 404,
        content_type="text/html",
    )


VENDOR = Vendor(
    "jira",
    [
        Rule(f"{API}/serverInfo", endpoint=get_server_info, methods=["GET"]),
        Rule(f"{API}/myself", endpoint=myself, methods=["GET"]),
        Rule(f"{API}/project", endpoint=projects, methods=["GET"]),
        Rule(f"{API}/project/<key>", endpoint=project, methods=["GET"]),
        Rule(f"{API}/field", endpoint=fields, methods=["GET"]),
        Rule(f"{API}/issuetype", endpoint=issuetypes, methods=["GET"]),
        Rule(f"{API}/priority", endpoint=priorities, methods=["GET"]),
        Rule(f"{API}/status", endpoint=statuses, methods=["GET"]),
        Rule(f"{API}/resolution", endpoint=resolutions, methods=["GET"]),
        Rule(f"{API}/search", endpoint=search.search, methods=["GET", "POST"]),
        Rule(f"{API}/search/jql", endpoint=search.search_jql, methods=["GET", "POST"]),
        Rule(f"{API}/issue", endpoint=create_issue, methods=["POST"]),
        Rule(f"{API}/issue/<key>", endpoint=get_issue, methods=["GET"]),
        Rule(f"{API}/issue/<key>", endpoint=edit_issue, methods=["PUT"]),
        Rule(f"{API}/issue/<key>", endpoint=delete_issue, methods=["DELETE"]),
        Rule(f"{API}/issue/<key>/comment/<comment_id>", endpoint=delete_comment, methods=["DELETE"]),
        Rule(f"{API}/issue/<key>/transitions", endpoint=transitions, methods=["GET"]),
        Rule(f"{API}/issue/<key>/transitions", endpoint=do_transition, methods=["POST"]),
        Rule(f"{API}/issue/<key>/comment", endpoint=comments, methods=["GET"]),
        Rule(f"{API}/issue/<key>/comment", endpoint=add_comment, methods=["POST"]),
        Rule(f"{API}/issue/<key>/remotelink", endpoint=remote_links, methods=["GET"]),
        Rule(f"{API}/issue/<key>/remotelink", endpoint=add_remote_link, methods=["POST"]),
        Rule("/rest/applinks/latest/listApplicationlinks", endpoint=application_links, methods=["GET"]),
        Rule("/browse/<key>", endpoint=browse, methods=["GET"]),
        Rule(f"{agile.AGILE}/board", endpoint=agile.boards, methods=["GET"]),
        Rule(f"{agile.AGILE}/board/<int:board_id>/sprint", endpoint=agile.board_sprints, methods=["GET"]),
        Rule(f"{agile.AGILE}/sprint/<int:sprint_id>", endpoint=agile.get_sprint, methods=["GET"]),
        Rule(f"{agile.AGILE}/sprint/<int:sprint_id>/issue", endpoint=agile.sprint_issues, methods=["GET"]),
        Rule(f"{agile.AGILE}/sprint/<int:sprint_id>/issue", endpoint=agile.move_to_sprint, methods=["POST"]),
    ],
    error=_error,
    authenticate=_authenticate,
    rate_limited=_rate_limited,
)
