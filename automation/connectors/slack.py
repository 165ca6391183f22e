"""Slack Web API: chat.postMessage, chat.update, chat.delete, auth.test. Slack answers errors as HTTP
200 with {"ok": false, "error": ...}; rate limits as 429 with Retry-After."""

from __future__ import annotations

from automation.connectors.base import BaseConnector
from automation.connectors.errors import ConnectorError
from automation.connectors.http import default_classify

# Errors worth retrying; everything else (channel_not_found, invalid_auth, ...) is permanent.
TRANSIENT = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


class SlackConnector(BaseConnector):
    vendor = "slack"

    def authenticate(self, request):
        request.headers["Authorization"] = f"Bearer {self.secret}"

    def classify(self, response):
        error = default_classify(response)
        if error is not None:
            return error
        try:
            body = response.json()
        except ValueError:
            return ConnectorError("Slack answered with something that is not JSON.", status=response.status_code)
        if not body.get("ok", False):
            code = body.get("error", "unknown_error")
            return ConnectorError(f"Slack error: {code}", permanent=code not in TRANSIENT, status=response.status_code)
        return None

    def call(self, method: str, **payload) -> dict:
        return self.post(f"/{method}", json=payload).json()

    def check(self) -> str:
        body = self.call("auth.test")
        return f"Authenticated as {body.get('user', '?')} in {body.get('team', '?')}."

    def post_message(self, channel: str, text: str, blocks: list | None = None, thread_ts: str | None = None) -> dict:
        payload = {"channel": channel, "text": text}
        if blocks:
            payload["blocks"] = blocks
        if thread_ts:
            payload["thread_ts"] = thread_ts
        body = self.call("chat.postMessage", **payload)
        return {"channel": body["channel"], "ts": body["ts"]}

    def update_message(self, channel: str, ts: str, text: str, blocks: list | None = None) -> dict:
        payload = {"channel": channel, "ts": ts, "text": text, **({"blocks": blocks} if blocks else {})}
        body = self.call("chat.update", **payload)
        return {"channel": body["channel"], "ts": body["ts"]}

    def delete_message(self, channel: str, ts: str) -> None:
        self.call("chat.delete", channel=channel, ts=ts)

    def history(self, channel: str, limit: int = 100) -> list:
        return self.get("/conversations.history", params={"channel": channel, "limit": limit}).json()["messages"]
