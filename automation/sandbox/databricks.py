"""Databricks Jobs API 2.1, read side: what an incident needs to enrich a job-failure notification.

- `GET /api/2.1/jobs/runs/get?run_id=` -> the run with `state{life_cycle_state, result_state,
  state_message}`, `run_page_url` and its task runs.
- `GET /api/2.1/jobs/runs/get-output?run_id=` -> `error`, `error_trace` (failed runs) or
  `notebook_output`, plus `metadata`. The reference calls it with the job run id, so both the job run id
  and the task run id are accepted (real multi-task jobs want the task run id).
- `GET /api/2.1/jobs/runs/list` (`job_id`, `active_only`, `limit`, `offset`), `GET /api/2.1/jobs/get`,
  `GET /api/2.1/jobs/list`.
Seeded runs have ids 900001.. (task runs +500000), one job run every three hours before the anchor.
"""

from datetime import timedelta

from werkzeug.routing import Rule

from automation.sandbox import seeding
from automation.sandbox.vendor import Call, Problem, Vendor, json_reply

WORKSPACE_ID = 1_234_567_890
JOBS = (
    (501, "nightly-sales-etl"),
    (502, "customer-360-refresh"),
    (503, "ml-feature-store"),
    (504, "finance-reconciliation"),
    (505, "clickstream-ingest"),
)
FAILURES = (
    (
        "java.lang.OutOfMemoryError: Java heap space",
        "java.lang.OutOfMemoryError: Java heap space\n\tat org.apache.spark.sql.execution.joins.BroadcastExchangeExec",
    ),
    (
        "AnalysisException: [UNRESOLVED_COLUMN] A column `customer_tier` cannot be resolved.",
        "pyspark.errors.exceptions.captured.AnalysisException: [UNRESOLVED_COLUMN] A column `customer_tier` cannot be "
        'resolved.\n  File "/Workspace/etl/transform.py", line 42, in build',
    ),
    (
        "FileNotFoundException: abfss://raw@lake.dfs.core.windows.net/sales/2026-10-31 does not exist",
        'java.io.FileNotFoundException: Operation failed: "The specified path does not exist.", 404',
    ),
    (
        "Py4JJavaError: An error occurred while calling o123.save. : java.net.ConnectException: Connection refused",
        "py4j.protocol.Py4JJavaError: An error occurred while calling o123.save.\n: java.net.ConnectException: "
        "Connection refused (Connection refused)",
    ),
    (
        "PERMISSION_DENIED: User does not have USE CATALOG on Catalog 'finance'.",
        "com.databricks.sql.managedcatalog.UnityCatalogServiceException: PERMISSION_DENIED",
    ),
)
TASK_OFFSET = 500_000


class RunStore:
    def __init__(self, runs: dict[int, dict], outputs: dict[int, dict]):
        self.runs = runs  # job run id -> run
        self.outputs = outputs  # job run id -> output

    def find(self, run_id: int) -> tuple[dict, dict] | None:
        job_run = run_id - TASK_OFFSET if run_id - TASK_OFFSET in self.runs else run_id
        if job_run not in self.runs:
            return None
        return self.runs[job_run], self.outputs[job_run]


def build(spec) -> RunStore:
    rng = seeding.rng(spec.seed, "databricks")
    runs, outputs = {}, {}
    count = 40
    for index in range(count):
        run_id = 900_001 + index
        job_id, name = rng.choice(JOBS)
        start = spec.anchor - timedelta(hours=3 * (count - index))
        roll = rng.random()
        result = "SUCCESS" if roll < 0.6 else "FAILED" if roll < 0.9 else "TIMEDOUT" if roll < 0.95 else "CANCELED"
        running = index == count - 1
        duration = rng.randrange(120, 3600) * 1000
        state = {
            "life_cycle_state": "RUNNING" if running else "TERMINATED",
            "state_message": "",
            "user_cancelled_or_timedout": result in ("TIMEDOUT", "CANCELED"),
        }
        output = {
            "notebook_output": {"result": f"{name}: {rng.randrange(1000, 90000)} rows written", "truncated": False}
        }
        if not running:
            state["result_state"] = result
        if result == "FAILED" and not running:
            error, trace = rng.choice(FAILURES)
            state["state_message"] = f"Task main failed with message: {error}"
            output = {"error": error, "error_trace": trace}
        elif result == "TIMEDOUT" and not running:
            state["state_message"] = "Run timed out after 3600 seconds"
            output = {"error": "Run timed out", "error_trace": ""}
        started_ms = int(start.timestamp() * 1000)
        task = {
            "run_id": run_id + TASK_OFFSET,
            "task_key": "main",
            "state": dict(state),
            "start_time": started_ms,
            "end_time": 0 if running else started_ms + duration,
            "attempt_number": 0,
            "notebook_task": {"notebook_path": f"/Workspace/jobs/{name}/main"},
        }
        runs[run_id] = {
            "job_id": job_id,
            "run_id": run_id,
            "number_in_job": run_id,
            "original_attempt_run_id": run_id,
            "creator_user_name": "etl-service@example.com",
            "run_name": name,
            "run_type": "JOB_RUN",
            "trigger": "PERIODIC",
            "state": state,
            "start_time": started_ms,
            "setup_duration": 0,
            "execution_duration": 0 if running else duration,
            "cleanup_duration": 0,
            "end_time": 0 if running else started_ms + duration,
            "run_duration": 0 if running else duration,
            "tasks": [task],
            "format": "MULTI_TASK",
        }
        outputs[run_id] = output
    return RunStore(runs, outputs)


def _error(call: Call, status: int, message: str, extra: dict):
    code = extra.get("error_code") or {
        400: "INVALID_PARAMETER_VALUE",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "RESOURCE_DOES_NOT_EXIST",
        429: "REQUEST_LIMIT_EXCEEDED",
    }.get(status, "INTERNAL_ERROR" if status >= 500 else "BAD_REQUEST")
    return json_reply({"error_code": code, "message": message}, status)


def _authenticate(call: Call, endpoint):
    if call.credential is None:
        return _error(call, 401, "Credential was not sent or was of an unsupported type for this API.", {})
    return None


def _with_url(call: Call, run: dict) -> dict:
    url = f"{call.base}/?o={WORKSPACE_ID}#job/{run['job_id']}/run/{run['run_id']}"
    tasks = [
        {**t, "run_page_url": f"{call.base}/?o={WORKSPACE_ID}#job/{run['job_id']}/run/{t['run_id']}"}
        for t in run["tasks"]
    ]
    return {**run, "run_page_url": url, "tasks": tasks}


def _run_id(call: Call) -> int:
    raw = call.args.get("run_id", "")
    if not raw.isdigit():
        raise Problem(400, "Missing required field: run_id" if not raw else f"Invalid run_id: {raw}")
    return int(raw)


def get_run(call: Call):
    run_id = _run_id(call)
    found = call.world.databricks.find(run_id)
    if found is None:
        raise Problem(400, f"Run {run_id} does not exist.")
    run, _ = found
    data = _with_url(call, run)
    if run_id != run["run_id"]:  # a task run: its own id and state, as Databricks answers for task runs
        task = data["tasks"][0]
        data = {**data, "run_id": run_id, "state": task["state"], "run_page_url": task["run_page_url"], "tasks": []}
    return json_reply(data)


def get_output(call: Call):
    run_id = _run_id(call)
    found = call.world.databricks.find(run_id)
    if found is None:
        raise Problem(400, f"Run {run_id} does not exist.")
    run, output = found
    return json_reply({"metadata": _with_url(call, run), **output})


def list_runs(call: Call):
    job_id = call.args.get("job_id")
    active = call.args.get("active_only") in ("true", "1")
    runs = sorted(call.world.databricks.runs.values(), key=lambda r: -r["start_time"])
    runs = [
        r
        for r in runs
        if (not job_id or str(r["job_id"]) == job_id) and (not active or r["state"]["life_cycle_state"] != "TERMINATED")
    ]
    limit = call.int_arg("limit", 25, minimum=1, maximum=25)
    offset = call.int_arg("offset", 0)
    page = [_with_url(call, r) for r in runs[offset : offset + limit]]
    return json_reply({"runs": page, "has_more": offset + limit < len(runs)})


def _job(job_id: int, name: str) -> dict:
    return {
        "job_id": job_id,
        "creator_user_name": "etl-service@example.com",
        "created_time": 1_735_689_600_000,
        "settings": {
            "name": name,
            "format": "MULTI_TASK",
            "max_concurrent_runs": 1,
            "tasks": [{"task_key": "main", "notebook_task": {"notebook_path": f"/Workspace/jobs/{name}/main"}}],
            "webhook_notifications": {"on_failure": [{"id": "sandbox-destination"}]},
        },
    }


def get_job(call: Call):
    raw = call.args.get("job_id", "")
    for job_id, name in JOBS:
        if str(job_id) == raw:
            return json_reply(_job(job_id, name))
    raise Problem(400, f"Job {raw} does not exist.")


def list_jobs(call: Call):
    return json_reply({"jobs": [_job(job_id, name) for job_id, name in JOBS], "has_more": False})


VENDOR = Vendor(
    "databricks",
    [
        Rule("/api/2.1/jobs/runs/get", endpoint=get_run, methods=["GET"]),
        Rule("/api/2.1/jobs/runs/get-output", endpoint=get_output, methods=["GET"]),
        Rule("/api/2.1/jobs/runs/list", endpoint=list_runs, methods=["GET"]),
        Rule("/api/2.1/jobs/get", endpoint=get_job, methods=["GET"]),
        Rule("/api/2.1/jobs/list", endpoint=list_jobs, methods=["GET"]),
    ],
    error=_error,
    authenticate=_authenticate,
)
