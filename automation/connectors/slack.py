"""Slack Web API: chat.postMessage, chat.update, chat.delete, auth.test. Slack answers errors as HTTP
200 with {"ok": false, "error": ...}; rate limits as 429 with Retry-After."""

from __future__ import annotations

from automation.connectors.base import BaseConnector
from automation.connectors.errors import ConnectorError
from automation.connectors.http import default_classify

# Errors worth retrying; everything else (channel_not_found, invalid_auth, ...) is permanent.
TRANSIENT = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


class SlackConnector(BaseConnector):
    """The Web API with a bot token, or (auth type webhook_url) an incoming webhook, which can post
    but not update or delete: it returns no message ts."""

    vendor = "slack"

    @property
    def webhook(self) -> bool:
        return self.connection.auth_type == "webhook_url"

    def authenticate(self, request):
        if not self.webhook:
            request.headers["Authorization"] = f"Bearer {self.secret}"

    def classify(self, response):
        if self.webhook:
            return default_classify(response)  # plain-text "ok", or 4xx with a reason
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
        if self.webhook:
            # An empty payload is refused with "no_text" by a live webhook (and 404 by a dead one),
            # which proves the URL without posting anything to the channel.
            try:
                self.http.request("POST", self.secret, json={})
            except ConnectorError as error:
                if error.status == 400 and "no_text" in error.message:
                    return "The incoming webhook URL is live."
                raise
            return "The incoming webhook URL is live."
        body = self.call("auth.test")
        return f"Authenticated as {body.get('user', '?')} in {body.get('team', '?')}."

    def post_message(self, channel: str, text: str, blocks: list | None = None, thread_ts: str | None = None) -> dict:
        if self.webhook:
            self.http.request("POST", self.secret, json={"text": text, **({"blocks": blocks} if blocks else {})})
            return {"channel": channel, "ts": None}
        payload = {"channel": channel, "text": text}
        if blocks:
            payload["blocks"] = blocks
        if thread_ts:
            payload["thread_ts"] = thread_ts
        body = self.call("chat.postMessage", **payload)
        return {"channel": body["channel"], "ts": body["ts"]}

    def update_message(self, channel: str, ts: str, text: str, blocks: list | None = None) -> dict:
        if self.webhook or not ts:
            raise ConnectorError("Messages posted through an incoming webhook cannot be updated.", permanent=True)
        payload = {"channel": channel, "ts": ts, "text": text, **({"blocks": blocks} if blocks else {})}
        body = self.call("chat.update", **payload)
        return {"channel": body["channel"], "ts": body["ts"]}

    def delete_message(self, channel: str, ts: str) -> None:
        if self.webhook or not ts:
            raise ConnectorError("Messages posted through an incoming webhook cannot be deleted.", permanent=True)
        self.call("chat.delete", channel=channel, ts=ts)

    def history(self, channel: str, limit: int = 100) -> list:
        return self.get("/conversations.history", params={"channel": channel, "limit": limit}).json()["messages"]
