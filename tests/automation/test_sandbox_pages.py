"""The portal's customer-page store: versions, optimistic concurrency and restore."""

import requests


def test_page_put_needs_the_current_version_and_keeps_history(portal):
    url = f"{portal.base}/pages/1000001"
    current = portal.get(url)
    assert current.status_code == 200 and current.json()["version"] == 1
    assert current.headers["ETag"] == '"v1"'
    original = current.json()["body"]

    published = portal.put(url, json={"body": "<p>managed v2</p>", "version": 1, "comment": "publish"})
    assert published.status_code == 200 and published.json()["version"] == 2
    assert portal.get(url).json()["body"] == "<p>managed v2</p>"

    stale = portal.put(url, json={"body": "<p>lost update</p>", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert portal.get(url).json()["body"] == "<p>managed v2</p>"

    assert portal.put(url, json={"body": "x"}).status_code == 428
    by_header = portal.put(url, json={"body": "<p>v3</p>"}, headers={"If-Match": '"v2"'})
    assert by_header.json()["version"] == 3

    history = portal.get(f"{url}/versions").json()["versions"]
    assert [v["version"] for v in history] == [3, 2, 1]
    assert portal.get(f"{url}/versions/1").json()["body"] == original

    stale_restore = portal.post(f"{url}/versions/1/restore", json={"version": 2})
    assert stale_restore.status_code == 409
    restored = portal.post(f"{url}/versions/1/restore", json={"version": 3}).json()
    assert restored["version"] == 4 and restored["body"] == original


def test_a_new_page_is_created_from_version_zero(portal):
    url = f"{portal.base}/pages/1000002"
    assert portal.get(url).status_code == 404
    created = portal.put(url, json={"body": "<h1>Globex</h1>", "version": 0})
    assert created.status_code == 201 and created.json()["version"] == 1
    listed = {p["account"]: p["version"] for p in portal.get(f"{portal.base}/pages").json()["pages"]}
    assert listed["1000002"] == 1 and listed["1000001"] == 1


def test_pages_require_a_portal_token(sandbox):
    assert requests.get(sandbox.vendor_url("portal") + "/pages/1000001").status_code == 401
