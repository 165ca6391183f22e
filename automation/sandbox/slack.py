"""Slack Web API: `auth.test`, `conversations.list|info|history|replies`, `chat.postMessage|update|delete`,
`chat.getPermalink`, all under `/api/{method}`.

As on Slack, logical errors come back as HTTP 200 with `{"ok": false, "error": "..."}` (`not_authed`,
`channel_not_found`, `message_not_found`, `cant_update_message`, `no_text`...), rate limits as 429 with
Retry-After. Arguments are read from the query string, a form body or a JSON body, and the token from
`Authorization: Bearer` or a `token` argument. `chat.postMessage` accepts a channel id or name,
`chat.update` only an id. Posted and updated messages show up in `conversations.history`.
"""

import base64
import threading
import time

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from automation.sandbox import seeding
from automation.sandbox.vendor import Call, Problem, Vendor, json_reply

TEAM = {"id": "T0SBX0001", "name": "rfeplatform sandbox", "domain": "rfe-sandbox"}
BOT = {"user_id": "U0SBXBOT01", "bot_id": "B0SBXBOT01", "name": "rfe-bot"}
PEOPLE = ("U0SBXALICE", "U0SBXBOB01", "U0SBXCAROL")
CHANNELS = (
    ("C0SBXRFE01", "rfe-reports", "Weekly RFE and bug status per customer"),
    ("C0SBXINC01", "incidents", "Failed pipelines and jobs, with RCA"),
    ("C0SBXOPS01", "ops-alerts", "Monitoring noise lives here"),
    ("C0SBXGEN01", "general", "Company-wide announcements"),
)


class SlackStore:
    def __init__(self, channels: list[dict], messages: dict[str, list[dict]]):
        self.channels = channels
        self.messages = messages  # channel id -> messages in ts order, replies included
        self._lock = threading.Lock()
        self._last_ts = 0.0

    def next_ts(self) -> str:
        with self._lock:
            self._last_ts = max(time.time(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def channel(self, ref: str, *, by_name: bool = True) -> dict | None:
        ref = (ref or "").lstrip("#")
        for channel in self.channels:
            if channel["id"] == ref or (by_name and channel["name"] == ref):
                return channel
        return None

    def find(self, channel_id: str, ts: str) -> dict | None:
        return next((m for m in self.messages.get(channel_id, []) if m["ts"] == ts), None)


def build(spec) -> SlackStore:
    rng = seeding.rng(spec.seed, "slack")
    base = int(spec.anchor.timestamp()) - 7 * 86_400
    channels, messages = [], {}
    for index, (channel_id, name, purpose) in enumerate(CHANNELS):
        channels.append(
            {
                "id": channel_id,
                "name": name,
                "is_channel": True,
                "is_private": False,
                "is_archived": False,
                "is_member": name != "general",
                "created": base - 86_400 * (100 + index),
                "topic": {"value": purpose, "creator": PEOPLE[0], "last_set": base},
                "purpose": {"value": purpose, "creator": PEOPLE[0], "last_set": base},
                "num_members": 3 + index,
            }
        )
        history = []
        for number in range(rng.randrange(3, 7)):
            ts = f"{base + index * 3600 + number * 600}.{rng.randrange(100000, 999999)}"
            history.append(
                {"type": "message", "ts": ts, "user": rng.choice(PEOPLE), "text": f"{name} update {number + 1}"}
            )
        messages[channel_id] = history
    return SlackStore(channels, messages)


def _error(call: Call, status: int, message: str, extra: dict):
    code = (
        message if status == 200 else extra.get("error") or ("internal_error" if status >= 500 else "invalid_request")
    )
    return json_reply({"ok": False, "error": code, **{k: v for k, v in extra.items() if k != "error"}}, status)


def _rate_limited(call: Call, status: int, retry_after: int):
    return json_reply({"ok": False, "error": "ratelimited"}, status, {"Retry-After": str(retry_after)})


def _args(call: Call) -> dict:
    args = call.args.to_dict()
    if isinstance(call.data, dict):
        args.update(call.data)
    return args


def _authenticate(call: Call, endpoint):
    if endpoint is incoming_webhook:
        return None  # the URL itself is the credential
    if call.credential is None and not str(_args(call).get("token", "")).strip():
        return _error(call, 200, "not_authed", {})
    return None


def _ok(**data):
    return json_reply({"ok": True, **data})


def _cursor_page(items: list, args: dict, default_limit: int) -> tuple[list, str]:
    try:
        limit = min(max(int(args.get("limit") or default_limit), 1), 1000)
        offset = int(base64.b64decode(args["cursor"]).decode().split(":")[1]) if args.get("cursor") else 0
    except (ValueError, IndexError):
        raise Problem(200, "invalid_cursor") from None
    page = items[offset : offset + limit]
    more = offset + limit < len(items)
    return page, base64.b64encode(f"offset:{offset + limit}".encode()).decode() if more else ""


def auth_test(call: Call):
    return _ok(
        url=f"{call.base}/",
        team=TEAM["name"],
        user=BOT["name"],
        team_id=TEAM["id"],
        user_id=BOT["user_id"],
        bot_id=BOT["bot_id"],
        is_enterprise_install=False,
    )


def conversations_list(call: Call):
    args = _args(call)
    channels = call.world.slack.channels
    if str(args.get("exclude_archived", "")).lower() in ("1", "true"):
        channels = [c for c in channels if not c["is_archived"]]
    page, cursor = _cursor_page(channels, args, 100)
    return _ok(channels=page, response_metadata={"next_cursor": cursor})


def _channel(call: Call, args: dict, *, by_name: bool = False) -> dict:
    if not args.get("channel"):
        raise Problem(200, "channel_not_found")
    channel = call.world.slack.channel(str(args["channel"]), by_name=by_name)
    if channel is None:
        raise Problem(200, "channel_not_found")
    return channel


def conversations_info(call: Call):
    return _ok(channel=_channel(call, _args(call)))


def conversations_history(call: Call):
    args = _args(call)
    channel = _channel(call, args)
    inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
    oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or 1e12)

    def in_window(ts: float) -> bool:
        return (oldest <= ts <= latest) if inclusive else (oldest < ts < latest)

    top_level = [
        m
        for m in reversed(call.world.slack.messages[channel["id"]])
        if ("thread_ts" not in m or m["thread_ts"] == m["ts"]) and in_window(float(m["ts"]))
    ]
    page, cursor = _cursor_page(top_level, args, 100)
    return _ok(messages=page, has_more=bool(cursor), pin_count=0, response_metadata={"next_cursor": cursor})


def conversations_replies(call: Call):
    args = _args(call)
    channel = _channel(call, args)
    parent = call.world.slack.find(channel["id"], str(args.get("ts", "")))
    if parent is None:
        raise Problem(200, "thread_not_found")
    thread = [parent] + [
        m for m in call.world.slack.messages[channel["id"]] if m.get("thread_ts") == parent["ts"] and m is not parent
    ]
    page, cursor = _cursor_page(thread, args, 1000)
    return _ok(messages=page, has_more=bool(cursor), response_metadata={"next_cursor": cursor})


def post_message(call: Call):
    args = _args(call)
    channel = _channel(call, args, by_name=True)
    if not (args.get("text") or args.get("blocks") or args.get("attachments")):
        raise Problem(200, "no_text")
    store = call.world.slack
    message = {
        "type": "message",
        "ts": store.next_ts(),
        "user": BOT["user_id"],
        "bot_id": BOT["bot_id"],
        "text": str(args.get("text", "")),
        "app_id": "A0SBXAPP01",
    }
    if args.get("blocks"):
        message["blocks"] = args["blocks"]
    thread_ts = args.get("thread_ts")
    if thread_ts:
        parent = store.find(channel["id"], str(thread_ts))
        if parent is None:
            raise Problem(200, "thread_not_found")
        message["thread_ts"] = parent["ts"]
        parent.setdefault("thread_ts", parent["ts"])
        parent["reply_count"] = parent.get("reply_count", 0) + 1
    store.messages[channel["id"]].append(message)
    return _ok(channel=channel["id"], ts=message["ts"], message=message)


def _own_message(call: Call, args: dict, refusal: str) -> tuple[dict, dict]:
    """(channel, message) for chat.update/chat.delete: the bot may only touch what it posted."""
    channel = _channel(call, args)
    message = call.world.slack.find(channel["id"], str(args.get("ts", "")))
    if message is None:
        raise Problem(200, "message_not_found")
    if message.get("bot_id") != BOT["bot_id"]:
        raise Problem(200, refusal)
    return channel, message


def update_message(call: Call):
    args = _args(call)
    channel, message = _own_message(call, args, "cant_update_message")
    if not (args.get("text") or args.get("blocks") or args.get("attachments")):
        raise Problem(200, "no_text")
    if "text" in args:
        message["text"] = str(args["text"])
    if args.get("blocks"):
        message["blocks"] = args["blocks"]
    message["edited"] = {"user": BOT["user_id"], "ts": call.world.slack.next_ts()}
    return _ok(channel=channel["id"], ts=message["ts"], text=message["text"], message=message)


def delete_message(call: Call):
    channel, message = _own_message(call, _args(call), "cant_delete_message")
    call.world.slack.messages[channel["id"]].remove(message)
    return _ok(channel=channel["id"], ts=message["ts"])


def permalink(call: Call):
    args = _args(call)
    channel = _channel(call, args)
    message = call.world.slack.find(channel["id"], str(args.get("message_ts", "")))
    if message is None:
        raise Problem(200, "message_not_found")
    link = f"{call.base}/archives/{channel['id']}/p{message['ts'].replace('.', '')}"
    return _ok(channel=channel["id"], permalink=link)


_METHODS = {
    "auth.test": auth_test,
    "conversations.list": conversations_list,
    "conversations.info": conversations_info,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "chat.postMessage": post_message,
    "chat.update": update_message,
    "chat.delete": delete_message,
    "chat.getPermalink": permalink,
}


def api(call: Call, method: str):
    handler = _METHODS.get(method)
    if handler is None:
        return json_reply({"ok": False, "error": "unknown_method", "req_method": method}, 404)
    return handler(call)


WEBHOOK_CHANNEL = "C0SBXINC01"  # every sandbox incoming webhook posts to #incidents


def incoming_webhook(call: Call, team: str, bot: str, secret: str):
    """`POST /services/T../B../secret` (hooks.slack.com): plain-text answers, as Slack gives them:
    "ok", or 400 "no_text" / "invalid_payload". Nothing to update or delete later: no ts comes back."""
    data = call.data if isinstance(call.data, dict) else None
    if data is None:
        return Response("invalid_payload", status=400, mimetype="text/plain")
    if not (data.get("text") or data.get("blocks")):
        return Response("no_text", status=400, mimetype="text/plain")
    store = call.world.slack
    message = {
        "type": "message",
        "ts": store.next_ts(),
        "bot_id": BOT["bot_id"],
        "text": str(data.get("text", "")),
        "subtype": "bot_message",
    }
    if data.get("blocks"):
        message["blocks"] = data["blocks"]
    store.messages[WEBHOOK_CHANNEL].append(message)
    return Response("ok", status=200, mimetype="text/plain")


VENDOR = Vendor(
    "slack",
    [
        Rule("/api/<method>", endpoint=api, methods=["GET", "POST"]),
        Rule("/services/<team>/<bot>/<secret>", endpoint=incoming_webhook, methods=["POST"]),
    ],
    error=_error,
    authenticate=_authenticate,
    rate_limited=_rate_limited,
)
