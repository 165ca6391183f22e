"""JIRA Agile: boards by name or project, their sprints by state, and moving issues into a sprint."""

from automation.sandbox import clock
from automation.sandbox.jira.dialect import actor, now, renderer
from automation.sandbox.vendor import Call, Problem, empty_reply, json_reply

AGILE = "/rest/agile/1.0"


def _page(call: Call, values: list) -> dict:
    start = call.int_arg("startAt", 0)
    limit = call.int_arg("maxResults", 50, minimum=1)
    chunk = values[start : start + limit]
    return {
        "maxResults": limit,
        "startAt": start,
        "total": len(values),
        "isLast": start + limit >= len(values),
        "values": chunk,
    }


def boards(call: Call):
    name = call.args.get("name", "").lower()
    project_key = call.args.get("projectKeyOrId", "").upper()
    found = [
        {
            "id": b["id"],
            "self": f"{call.base}{AGILE}/board/{b['id']}",
            "name": b["name"],
            "type": b["type"],
            "location": {"projectKey": b["project"], "displayName": b["project"]},
        }
        for b in call.world.jira.boards
        if name in b["name"].lower() and project_key in ("", b["project"])
    ]
    return json_reply(_page(call, found))


def _sprint_json(call: Call, sprint) -> dict:
    return {
        "id": sprint.id,
        "self": f"{call.base}{AGILE}/sprint/{sprint.id}",
        "state": sprint.state,
        "name": sprint.name,
        "startDate": clock.jira_time(sprint.start),
        "endDate": clock.jira_time(sprint.end),
        "originBoardId": sprint.board_id,
    }


def board_sprints(call: Call, board_id: int):
    if not any(b["id"] == board_id for b in call.world.jira.boards):
        raise Problem(404, f"Board {board_id} does not exist or you do not have permission to see it.")
    states = {s.strip() for s in call.args.get("state", "").split(",") if s.strip()}
    found = [
        _sprint_json(call, s)
        for s in sorted(call.world.jira.sprints.values(), key=lambda s: s.id)
        if s.board_id == board_id and (not states or s.state in states)
    ]
    return json_reply(_page(call, found))


def _sprint(call: Call, sprint_id: int):
    sprint = call.world.jira.sprints.get(sprint_id)
    if sprint is None:
        raise Problem(404, f"Sprint with id {sprint_id} does not exist.")
    return sprint


def get_sprint(call: Call, sprint_id: int):
    return json_reply(_sprint_json(call, _sprint(call, sprint_id)))


def sprint_issues(call: Call, sprint_id: int):
    sprint = _sprint(call, sprint_id)
    render = renderer(call)
    found = [i for i in call.world.jira.issues if i.sprint == sprint.id]
    start = call.int_arg("startAt", 0)
    limit = call.int_arg("maxResults", 50, minimum=1)
    return json_reply(
        {
            "expand": "schema,names",
            "startAt": start,
            "maxResults": limit,
            "total": len(found),
            "issues": [render.issue(i) for i in found[start : start + limit]],
        }
    )


def move_to_sprint(call: Call, sprint_id: int):
    sprint = _sprint(call, sprint_id)
    keys = (call.data or {}).get("issues") if isinstance(call.data, dict) else None
    if not isinstance(keys, list) or not keys:
        raise Problem(400, "'issues' must be a non-empty list of issue keys")
    call.world.jira.move_to_sprint(sprint, [str(k) for k in keys], actor(call), now())
    return empty_reply(204)
