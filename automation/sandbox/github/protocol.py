"""How the simulated GitHub speaks HTTP: its error shape, who may call without a token, primary rate
limits and conditional requests around every handler, and Link-header pagination.

Every 200 GET carries an `ETag`; a matching `If-None-Match` answers 304, which does not spend rate
limit. Reads work anonymously (public repos, 60 an hour); writes and `/user` need a token. Broken
pagination: `repeat` makes `next` point at the page just served; `lying_total` makes `last` claim one
page too many and the final page link `next` to an empty one.
"""

import hashlib
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from automation.sandbox.github import ratelimit
from automation.sandbox.github.render import DOCS
from automation.sandbox.vendor import Call, empty_reply, json_reply


def error(call: Call, status: int, message: str, extra: dict):
    body = {"message": message, "documentation_url": DOCS, "status": str(status), **extra}
    return json_reply(body, status)


def rate_limited(call: Call, status: int, retry_after: int):
    response = error(
        call, status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", {}
    )
    response.headers["retry-after"] = str(retry_after)
    return response


def authenticate(call: Call, endpoint):
    header = call.request.headers.get("Authorization")
    if header is not None and call.credential is None:
        return error(call, 401, "Bad credentials", {})
    if call.credential is None and (call.request.method != "GET" or getattr(endpoint, "needs_token", False)):
        return error(call, 401, "Requires authentication", {})
    return None


def needs_token(handler):
    handler.needs_token = True
    return handler


def around(call: Call, run) -> Response:
    """Quota and conditional requests, for every handled request."""
    secret = call.credential[1] if call.credential else None
    resource = ratelimit.resource_for(call.path)
    limit = ratelimit.limit_for(resource, call.world.settings, anonymous=secret is None)
    limits = call.world.github.limits
    bucket = limits.bucket(limits.identity(secret), resource, limit)
    if call.path == "/rate_limit":
        response = run()
    elif bucket.remaining <= 0:
        response = error(
            call,
            403,
            "API rate limit exceeded for user ID 1. If you reach out to GitHub Support "
            "for help, please include the request ID.",
            {},
        )
    else:
        response = _conditional(call, run())
        if response.status_code != 304:
            limits.spend(bucket)
    response.headers.update(bucket.headers())
    response.headers["X-GitHub-Media-Type"] = "github.v3; format=json"
    response.headers["X-GitHub-Api-Version-Selected"] = "2022-11-28"
    return response


def _conditional(call: Call, response: Response) -> Response:
    if call.request.method != "GET" or response.status_code != 200:
        return response
    etag = 'W/"' + hashlib.sha256(response.get_data()).hexdigest()[:40] + '"'
    candidates = {tag.strip() for tag in call.request.headers.get("If-None-Match", "").split(",")}
    if etag in candidates or etag.removeprefix("W/") in candidates or "*" in candidates:
        not_modified = empty_reply(304, {"ETag": etag})
        if "Link" in response.headers:
            not_modified.headers["Link"] = response.headers["Link"]
        return not_modified
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
    return response


def paginate(call: Call, items: list, default: int = 30, cap: int | None = None) -> tuple[list, dict]:
    per_page = call.int_arg("per_page", default, minimum=1, maximum=100)
    page = call.int_arg("page", 1, minimum=1)
    total = min(len(items), cap) if cap else len(items)
    last = max((total + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page : min(page * per_page, total)]
    mode = call.broken_pagination
    if mode == "lying_total":
        last += 1
    params = call.args.to_dict()

    def url(number: int) -> str:
        return f"{call.request.base_url}?{urlencode({**params, 'page': number, 'per_page': per_page})}"

    links = []
    if page > 1:
        links += [f'<{url(page - 1)}>; rel="prev"']
    if page < last:
        links += [f'<{url(page if mode == "repeat" else page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
    elif mode == "repeat" and chunk:
        links += [f'<{url(page)}>; rel="next"']
    if page > 1:
        links += [f'<{url(1)}>; rel="first"']
    return chunk, ({"Link": ", ".join(links)} if links else {})
