"""SSO and the Customer Portal over plain HTTP, as the portal connector will call them."""

import requests

from tests.automation.conftest import SSO_TOKEN_PATH, access_token

DEMO_ACCOUNTS = {"1000001", "1000002", "1000003", "2000001", "2000002", "2000003"}


def search(portal, **params):
    response = portal.get(f"{portal.base}/hydra/rest/search/cases", params={"partnerSearch": "false", **params})
    return response


def test_sso_exchanges_an_offline_token_and_refuses_bad_requests(sandbox):
    url = sandbox.url + SSO_TOKEN_PATH
    ok = requests.post(url, data={"grant_type": "refresh_token", "client_id": "rhsm-api", "refresh_token": "x"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["access_token"] and body["expires_in"] == 900 and body["token_type"] == "Bearer"
    missing = requests.post(url, data={"grant_type": "refresh_token", "client_id": "rhsm-api"})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    wrong_grant = requests.post(url, data={"grant_type": "password", "client_id": "rhsm-api"})
    assert wrong_grant.json()["error"] == "unsupported_grant_type"


def test_portal_requires_an_sso_access_token(sandbox):
    base = sandbox.vendor_url("portal") + "/hydra/rest/search/cases"
    assert requests.get(base).status_code == 401
    unknown = requests.get(base, headers={"Authorization": "Bearer not-issued-here"})
    assert unknown.status_code == 401
    assert unknown.headers["WWW-Authenticate"].startswith("Bearer")
    assert unknown.json()["status"] == 401
    good = requests.get(base, headers={"Authorization": f"Bearer {access_token(sandbox.url)}"})
    assert good.status_code == 200


def test_search_filters_by_account_and_created_date_and_honours_fl_rows_start(portal):
    everything = search(portal, q="*:*", rows=1000).json()["response"]
    assert everything["numFound"] == 300
    assert {doc["case_accountNumber"] for doc in everything["docs"]} == DEMO_ACCOUNTS
    types = {doc["case_type"] for doc in everything["docs"]}
    assert {"Feature / Enhancement Request", "Defect / Bug"} <= types and len(types) >= 4
    assert any(isinstance(doc["case_tags"], str) for doc in everything["docs"]), "some tags come ;-joined"
    assert any(doc.get("case_bugzillaNumber") for doc in everything["docs"])

    q = "case_accountNumber:1000001 AND case_createdDate:[2025-01-01T00:00:00Z TO 2025-12-31T23:59:59Z]"
    page = search(portal, q=q, rows=5, fl="case_number,case_createdDate,case_accountNumber").json()["response"]
    assert 5 < page["numFound"] < 300
    assert all(set(doc) == {"case_number", "case_createdDate", "case_accountNumber"} for doc in page["docs"])
    assert all(doc["case_accountNumber"] == "1000001" for doc in page["docs"])
    assert all("2025-01-01" <= doc["case_createdDate"] <= "2025-12-31T23:59:59Z" for doc in page["docs"])
    second = search(portal, q=q, rows=5, start=5, fl="case_number").json()["response"]["docs"]
    assert not {d["case_number"] for d in second} & {d["case_number"] for d in page["docs"]}

    open_rfes = search(portal, q='case_type:"Feature / Enhancement Request" AND -case_status:Closed', rows=1000)
    assert all(d["case_status"] != "Closed" for d in open_rfes.json()["response"]["docs"])


def test_search_rejects_bad_queries_like_solr(portal):
    response = search(portal, q="case_nonsense:1")
    assert response.status_code == 400
    assert "undefined field" in response.json()["error"]["msg"]


def test_case_detail_linked_jiras_and_watchers(portal, sandbox):
    docs = search(portal, q="case_type:Defect*", rows=300).json()["response"]["docs"]
    linked = next(d for d in docs if d.get("case_bugzillaNumber"))
    detail = portal.get(f"{portal.base}/hydra/rest/v1/cases/{linked['case_number']}").json()
    assert {"critSit", "groupName", "notifiedUsers", "reliefAt", "resolvedAt", "bugzillas", "comments"} <= set(detail)
    assert detail["bugzillas"][0]["bugzillaNumber"] == linked["case_bugzillaNumber"]
    assert detail["bugzillas"][0]["status"]

    case_number = next(
        d["case_number"] for d in docs if portal.get(f"{portal.base}/hydra/rest/cases/{d['case_number']}/jiras").json()
    )
    jiras = portal.get(f"{portal.base}/hydra/rest/cases/{case_number}/jiras").json()
    assert set(jiras[0]) == {"resourceKey", "resourceURL", "title", "status", "lastModifiedDate"}
    assert sandbox.world.jira.get(jiras[0]["resourceKey"]) is not None

    added = portal.post(
        f"{portal.base}/hydra/rest/v1/cases/{case_number}/notifiedusers", json={"user": [{"ssoUsername": "tam-1"}]}
    )
    assert added.status_code == 201
    watchers = portal.get(f"{portal.base}/hydra/rest/v1/cases/{case_number}").json()["notifiedUsers"]
    assert "tam-1" in {w["ssoUsername"] for w in watchers}
    assert portal.get(f"{portal.base}/hydra/rest/v1/cases/99999999").status_code == 404


def test_relief_and_resolved_dates_come_as_iso_strings_and_epoch_millis(portal):
    docs = search(portal, q="case_status:Closed", rows=60, fl="case_number").json()["response"]["docs"]
    kinds = {
        type(portal.get(f"{portal.base}/hydra/rest/v1/cases/{d['case_number']}").json()["resolvedAt"]) for d in docs
    }
    assert kinds == {str, int}


def test_newer_support_api_case_and_filter(portal):
    filtered = portal.post(
        f"{portal.base}/support/v1/cases/filter",
        json={"maxResults": 10, "offset": 0, "accountNumber": "2000002", "statuses": ["Waiting on Red Hat"]},
    ).json()
    assert filtered["totalCount"] >= len(filtered["cases"]) > 0
    case = filtered["cases"][0]
    assert case["accountNumberRef"] == "2000002" and case["status"] == "Waiting on Red Hat"
    single = portal.get(f"{portal.base}/support/v1/cases/{case['caseNumber']}").json()
    assert {"caseType", "customerEscalation", "critSit", "createdDate"} <= set(single)
