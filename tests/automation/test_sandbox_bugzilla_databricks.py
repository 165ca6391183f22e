"""Bugzilla and Databricks over plain HTTP."""

import requests

KEY = {"Authorization": "Bearer bz-api-key"}


def test_bugzilla_single_batch_include_fields_and_update(sandbox):
    base = sandbox.vendor_url("bugzilla") + "/rest/bug"
    ids = sorted(sandbox.world.bugzilla.bugs)[:3]
    fields = (
        "id,summary,status,resolution,severity,priority,assigned_to,qa_contact,target_release,last_change_time,"
        "whiteboard,cf_internal_whiteboard,keywords,component,product,version"
    )
    one = requests.get(f"{base}/{ids[0]}", params={"include_fields": fields}, headers=KEY).json()["bugs"][0]
    assert set(one) == set(fields.split(","))
    assert isinstance(one["target_release"], list) and isinstance(one["component"], list)
    batch = requests.get(base, params={"id": ",".join(map(str, ids)), "include_fields": "id,status"}, headers=KEY)
    assert [b["id"] for b in batch.json()["bugs"]] == ids and set(batch.json()["bugs"][0]) == {"id", "status"}

    changed = requests.put(
        f"{base}/{ids[0]}",
        json={"status": "CLOSED", "resolution": "ERRATA", "keywords": {"add": ["Triaged"]}, "minor_update": True},
        headers=KEY,
    ).json()["bugs"][0]
    assert changed["changes"]["status"]["added"] == "CLOSED"
    after = requests.get(f"{base}/{ids[0]}", headers=KEY).json()["bugs"][0]
    assert (after["status"], after["resolution"]) == ("CLOSED", "ERRATA") and "Triaged" in after["keywords"]
    since = requests.get(base, params={"last_change_time": after["last_change_time"]}, headers=KEY).json()["bugs"]
    assert ids[0] in {b["id"] for b in since}


def test_bugzilla_errors_and_anonymous_access(sandbox):
    base = sandbox.vendor_url("bugzilla") + "/rest/bug"
    missing = requests.get(f"{base}/1", headers=KEY)
    assert missing.status_code == 404 and missing.json()["code"] == 101 and missing.json()["error"] is True
    bug_id = min(sandbox.world.bugzilla.bugs)
    assert requests.put(f"{base}/{bug_id}", json={"status": "POST"}).status_code == 401
    private = next((b for b in sandbox.world.bugzilla.bugs.values() if b["groups"]), None)
    if private:
        refused = requests.get(f"{base}/{private['id']}")
        assert refused.status_code == 401 and refused.json()["code"] == 102
    no_resolution = requests.put(f"{base}/{bug_id}", json={"status": "CLOSED", "resolution": ""}, headers=KEY)
    assert no_resolution.status_code == 400


def test_databricks_run_and_output_for_a_failed_run(sandbox):
    base = sandbox.vendor_url("databricks") + "/api/2.1/jobs"
    headers = {"Authorization": "Bearer dapi-token"}
    runs = requests.get(f"{base}/runs/list", params={"limit": 25}, headers=headers).json()["runs"]
    failed = next(r for r in runs if r["state"].get("result_state") == "FAILED")
    run = requests.get(f"{base}/runs/get", params={"run_id": failed["run_id"]}, headers=headers).json()
    assert run["state"]["life_cycle_state"] == "TERMINATED" and run["state"]["state_message"]
    assert run["run_page_url"].startswith(sandbox.vendor_url("databricks"))
    output = requests.get(f"{base}/runs/get-output", params={"run_id": failed["run_id"]}, headers=headers).json()
    assert output["error"] and "error_trace" in output and output["metadata"]["run_id"] == failed["run_id"]
    task_output = requests.get(f"{base}/runs/get-output", params={"run_id": run["tasks"][0]["run_id"]}, headers=headers)
    assert task_output.json()["error"] == output["error"]
    missing = requests.get(f"{base}/runs/get", params={"run_id": 1}, headers=headers)
    assert missing.status_code == 400 and missing.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert requests.get(f"{base}/runs/get", params={"run_id": failed["run_id"]}).status_code == 401
