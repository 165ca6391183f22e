"""What a JIRA request is in: the flavour the sandbox plays (Data Center or Cloud), the REST version the
client asked for (v2 strings or v3 document bodies), and who the caller is."""

from automation.sandbox import clock
from automation.sandbox.jira.render import Renderer
from automation.sandbox.vendor import Call


def is_cloud(call: Call) -> bool:
    return call.world.settings.jira_flavour == "cloud"


def actor(call: Call) -> str:
    scheme, secret = call.credential
    if scheme == "Basic":
        return secret.partition(":")[0].split("@")[0] or "rfe-bot"
    return "rfe-bot"


def renderer(call: Call, v: str = "2") -> Renderer:
    return Renderer(call.base, call.world.jira, cloud=is_cloud(call), v3=v == "3")


def list_param(call: Call, name: str, body: dict | None = None) -> list[str] | None:
    values = body.get(name) if body is not None else call.args.getlist(name)
    if values is None or values == []:
        return None
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def now():
    return clock.now()
