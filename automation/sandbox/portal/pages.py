"""The customer-page store: one versioned page per customer account (Customer Portal Groups stand-in).

No public API exists for these pages (reference: "Customer Portal Groups"), so the shape here is ours:

- `GET  /pages/{account}` -> `{account, version, body, content_type, updated_at, updated_by, comment}`,
  with `ETag: "v{version}"`; 404 while the account has no page (version 0).
- `PUT  /pages/{account}` with `{"body", "version": <the version the edit is based on>, "comment"?}` (or
  the version in `If-Match: "v3"`). A missing version answers 428; a stale one 409 with the current
  version, so a publisher never overwrites an edit it has not seen. Creates with `version: 0`.
- `GET  /pages/{account}/versions` -> every version's metadata, newest first;
  `GET /pages/{account}/versions/{n}` -> that version with its body.
- `POST /pages/{account}/versions/{n}/restore` with `{"version": <current>}` writes version n's body as a
  new version (history is never rewritten).
"""

from dataclasses import asdict, dataclass

from automation.sandbox import catalog, clock
from automation.sandbox.vendor import Call, Problem, json_reply


@dataclass(frozen=True)
class PageVersion:
    version: int
    body: str
    content_type: str
    updated_at: str
    updated_by: str
    comment: str


class PageStore:
    def __init__(self):
        self.pages: dict[str, list[PageVersion]] = {}

    @classmethod
    def seeded(cls, spec) -> "PageStore":
        """The first customer of each demo team already has a hand-maintained page."""
        store = cls()
        for account in (catalog.ACCOUNTS[0], catalog.ACCOUNTS[3]):
            body = (
                f"<h1>{account.name}: open requests</h1>\n"
                "<p>Maintained by the account team. Ask your TAM before editing.</p>\n"
            )
            store.pages[account.number] = [
                PageVersion(1, body, "text/html", clock.iso_z(spec.anchor), "account-team", "initial page")
            ]
        return store

    def current(self, account: str) -> PageVersion | None:
        versions = self.pages.get(account)
        return versions[-1] if versions else None

    def write(self, account: str, *, body: str, based_on: int, author: str, comment: str, content_type: str):
        current = self.current(account)
        current_version = current.version if current else 0
        if based_on != current_version:
            raise Problem(
                409,
                f"Page for account {account} is at version {current_version}, the edit was based on {based_on}",
                current_version=current_version,
                your_version=based_on,
            )
        page = PageVersion(current_version + 1, body, content_type, clock.iso_z(clock.now()), author, comment)
        self.pages.setdefault(account, []).append(page)
        return page


def _render(account: str, page: PageVersion, with_body: bool = True) -> dict:
    data = {"account": account, **asdict(page)}
    if not with_body:
        data.pop("body")
    return data


def _author(call: Call) -> str:
    return call.request.headers.get("X-Portal-User", "rfeplatform")


def list_pages(call: Call):
    store = call.world.pages
    return json_reply(
        {
            "pages": [
                _render(account, versions[-1], with_body=False) for account, versions in sorted(store.pages.items())
            ]
        }
    )


def get_page(call: Call, account: str):
    page = call.world.pages.current(account)
    if page is None:
        raise Problem(404, f"No page for account {account}", version=0)
    return json_reply(_render(account, page), headers={"ETag": f'"v{page.version}"'})


def put_page(call: Call, account: str):
    data = call.data if isinstance(call.data, dict) else {}
    based_on = data.get("version")
    if based_on is None and call.request.headers.get("If-Match"):
        based_on = call.request.headers["If-Match"].strip().strip('W/"').lstrip("v")
    if based_on is None:
        raise Problem(428, "Send the version this edit is based on ('version' or If-Match)")
    try:
        based_on = int(based_on)
    except (TypeError, ValueError):
        raise Problem(400, "version must be an integer") from None
    if not isinstance(data.get("body"), str):
        raise Problem(400, "body must be a string")
    page = call.world.pages.write(
        account,
        body=data["body"],
        based_on=based_on,
        author=_author(call),
        comment=str(data.get("comment", "")),
        content_type=str(data.get("content_type", "text/html")),
    )
    return json_reply(_render(account, page), 201 if page.version == 1 else 200, {"ETag": f'"v{page.version}"'})


def list_versions(call: Call, account: str):
    versions = call.world.pages.pages.get(account)
    if not versions:
        raise Problem(404, f"No page for account {account}", version=0)
    return json_reply({"account": account, "versions": [_render(account, v, False) for v in reversed(versions)]})


def get_version(call: Call, account: str, version: int):
    versions = call.world.pages.pages.get(account) or []
    if not 1 <= version <= len(versions):
        raise Problem(404, f"Page for account {account} has no version {version}")
    return json_reply(_render(account, versions[version - 1]))


def restore_version(call: Call, account: str, version: int):
    versions = call.world.pages.pages.get(account) or []
    if not 1 <= version <= len(versions):
        raise Problem(404, f"Page for account {account} has no version {version}")
    data = call.data if isinstance(call.data, dict) else {}
    if data.get("version") is None:
        raise Problem(428, "Send the current version the restore is based on ('version')")
    old = versions[version - 1]
    page = call.world.pages.write(
        account,
        body=old.body,
        based_on=int(data["version"]),
        author=_author(call),
        comment=f"restored version {version}",
        content_type=old.content_type,
    )
    return json_reply(_render(account, page), headers={"ETag": f'"v{page.version}"'})
