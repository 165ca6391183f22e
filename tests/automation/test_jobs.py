"""The job runner: records, progress, all-or-nothing writes, cancellation, locks across processes,
the qcluster path, per-team schedules in the team's time zone, and the API and portal triggers."""

import subprocess
import sys
import time
import zoneinfo

import pytest
from django_q.models import Schedule

from automation.jobs.registry import JOBS, job
from automation.jobs.runner import enqueue, execute, request_cancel, run_now, scheduled
from automation.jobs.schedules import sync_schedule, sync_schedules
from automation.locks import make_lock
from automation.models import JobRun, JobSchedule
from customers.models import Customer
from rfeplatform.audit.models import AuditEvent
from tests.factories import CustomerFactory
from tests.subprocesses import ROOT
from tests.subprocesses import subprocess_env as _subprocess_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def test_jobs():
    """Jobs registered for these tests only."""
    names = []

    def register(name, func, **kwargs):
        job(name, **kwargs)(func)
        names.append(name)

    yield register
    for name in names:
        JOBS.pop(name, None)


def test_successful_run_records_everything(team_a, test_jobs):
    def work(ctx):
        ctx.progress(20, "fetching")
        ctx.log("fetched 1 customer")
        with ctx.apply():
            Customer.objects.create(team=ctx.team, name="From job", account_number="j1")
        ctx.count(created=1, unchanged=2)

    test_jobs("test.ok", work)
    run = run_now("test.ok", team=team_a)
    assert (run.state, run.progress, run.trigger) == ("succeeded", 100, "manual")
    assert run.counts == {"created": 1, "updated": 0, "unchanged": 2, "failed": 0}
    assert [line["message"] for line in run.log] == ["fetched 1 customer"]
    assert run.started_at <= run.finished_at
    event = AuditEvent.objects.get(object_type="customers.customer", action="create")
    assert (event.source, event.actor_name, event.team_id) == ("job", "job:test.ok", team_a.pk)


def test_a_failing_job_leaves_previous_data_intact(team_a, test_jobs):
    existing = CustomerFactory(team=team_a, name="Before")

    def work(ctx):
        with ctx.apply():
            Customer.objects.filter(pk=existing.pk).update(name="Half-written")
            Customer.objects.create(team=ctx.team, name="New", account_number="j2")
            raise RuntimeError("upstream answered garbage (token=abc123secret)")

    test_jobs("test.fail", work)
    run = run_now("test.fail", team=team_a)
    assert run.state == "failed"
    assert "upstream answered garbage" in run.error and "abc123secret" not in run.error
    assert run.log[-1]["level"] == "error"
    existing.refresh_from_db()
    assert existing.name == "Before"
    assert not Customer.objects.filter(name="New").exists()


def test_a_job_sees_only_its_team(team_a, team_b, test_jobs):
    CustomerFactory(team=team_a)
    CustomerFactory(team=team_b)
    seen = []
    test_jobs("test.scope", lambda ctx: seen.extend(Customer.objects.values_list("team_id", flat=True)))
    run_now("test.scope", team=team_a)
    assert seen == [team_a.pk]


def test_cancellation(team_a, test_jobs):
    def work(ctx):
        JobRun._base_manager.filter(pk=ctx.run.pk).update(cancel_requested=True)  # as if from the API
        ctx.progress(50)
        raise AssertionError("not reached")

    test_jobs("test.cancel", work)
    assert run_now("test.cancel", team=team_a).state == "cancelled"
    queued = enqueue("test.cancel", team=team_a, trigger="api")
    assert request_cancel(queued).state == "cancelled"
    assert execute(queued.pk) == "cancelled"


def test_unknown_job_is_refused(team_a):
    with pytest.raises(ValueError, match="Unknown job"):
        enqueue("nope", team=team_a, trigger="api")


HOLD_LOCK = """
import django, sys, time
django.setup()
from automation.locks import make_lock
lock = make_lock(sys.argv[1], 60)
assert lock.acquire()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
"""


@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
def test_a_job_never_overlaps_itself_across_processes(team_a, test_jobs):
    test_jobs("test.locked", lambda ctx: ctx.log("ran"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, f"job:test.locked:{team_a.pk}", "3"],
        cwd=ROOT,
        env={**_subprocess_env(), "DJANGO_SETTINGS_MODULE": "rfeplatform.settings"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        blocked = run_now("test.locked", team=team_a)
        assert blocked.state == "skipped-locked" and "in progress" in blocked.error
    finally:
        holder.wait(timeout=30)
    assert run_now("test.locked", team=team_a).state == "succeeded"


def test_lock_expires_and_only_the_owner_releases(team_a):
    first = make_lock("test:expiry", 0.2)
    assert first.acquire()
    second = make_lock("test:expiry", 5)
    assert not second.acquire()
    time.sleep(0.35)
    assert second.acquire(), "an expired lock can be taken over"
    first.release()  # no longer the owner: must not free second's lock
    assert not make_lock("test:expiry", 5).acquire()
    second.release()
    assert make_lock("test:expiry", 5).acquire()


@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
def test_queued_run_is_executed_by_a_qcluster_worker(team_a, manager_a):
    run = enqueue("jobs.prune_runs", team=team_a, trigger="manual", actor=manager_a)
    run.refresh_from_db()
    assert run.state == "queued" and run.q_task_id
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=_subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.is_finished:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert run.state == "succeeded", (run.state, run.error)
    assert run.actor == manager_a and run.log[-1]["message"].startswith("Deleted 0 run(s)")


class TestSchedules:
    def test_sync_creates_team_schedules_in_the_team_time_zone(self, team_a, team_b):
        team_a.timezone = "Asia/Tokyo"
        team_a.save()
        assert sync_schedules([team_a, team_b]) == 2
        assert sync_schedules([team_a, team_b]) == 2  # idempotent
        assert JobSchedule.objects.count() == 2 and Schedule.objects.count() == 2
        schedule = JobSchedule.objects.select_related("q_schedule").get(team=team_a, job="jobs.prune_runs")
        q = schedule.q_schedule
        assert (q.func, q.args, q.cron, q.repeats) == (
            "automation.jobs.runner.scheduled",
            repr(("jobs.prune_runs", team_a.pk)),
            "30 2 * * *",
            -1,
        )
        local = q.next_run.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
        assert (local.hour, local.minute) == (2, 30)

    def test_pause_and_scheduled_runs(self, team_a):
        sync_schedules([team_a])
        schedule = JobSchedule.objects.select_related("q_schedule").get(team=team_a)
        schedule.paused = True
        schedule.save()
        sync_schedule(schedule)
        assert Schedule.objects.get(pk=schedule.q_schedule_id).repeats == 0
        assert scheduled("jobs.prune_runs", team_a.pk) is None and not JobRun.objects.exists()
        schedule.paused = False
        schedule.save()
        sync_schedule(schedule)
        Schedule.objects.filter(pk=schedule.q_schedule_id).update(next_run="2000-01-01T00:00:00Z")
        assert scheduled("jobs.prune_runs", team_a.pk) == "succeeded"
        assert JobRun.objects.get().trigger == "schedule"
        local = Schedule.objects.get(pk=schedule.q_schedule_id).next_run.astimezone(zoneinfo.ZoneInfo("Europe/Prague"))
        assert (local.hour, local.minute) == (2, 30), "re-anchored on the team's clock"

    def test_manager_edits_and_pauses_in_admin(self, client_for, manager_a, team_a):
        sync_schedules([team_a])
        schedule = JobSchedule.objects.get(team=team_a)
        client = client_for(manager_a)
        url = f"/admin/automation/jobschedule/{schedule.pk}/change/"
        bad = client.post(url, {"team": team_a.pk, "job": "jobs.prune_runs", "cron": "every tuesday"})
        assert bad.status_code == 200 and "cron" in bad.context["adminform"].form.errors
        ok = client.post(url, {"team": team_a.pk, "job": "jobs.prune_runs", "cron": "0 4 * * 1", "paused": "on"})
        assert ok.status_code == 302
        q = Schedule.objects.get(pk=schedule.q_schedule_id)
        assert (q.cron, q.repeats) == ("0 4 * * 1", 0)


class TestTriggers:
    def test_api_trigger_list_and_cancel(
        self, api_client_for, engineer_a, viewer_a, team_a, team_b, django_capture_on_commit_callbacks
    ):
        client = api_client_for(engineer_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/jobs/", {"job": "jobs.prune_runs", "team": team_a.pk})
        assert response.status_code == 202, response.content
        body = response.json()
        assert (body["state"], body["trigger"], body["actor"]) == ("queued", "api", "engineer-a")
        assert JobRun.objects.get(pk=body["id"]).q_task_id
        assert [r["id"] for r in client.get("/api/v1/jobs/?job=jobs.prune_runs").json()["results"]] == [body["id"]]
        assert client.post(f"/api/v1/jobs/{body['id']}/cancel/").json()["state"] == "cancelled"
        assert client.post("/api/v1/jobs/", {"job": "jobs.prune_runs", "team": team_b.pk}).status_code == 400
        assert client.post("/api/v1/jobs/", {"job": "nope", "team": team_a.pk}).status_code == 400
        viewer = api_client_for(viewer_a)
        assert viewer.post("/api/v1/jobs/", {"job": "jobs.prune_runs", "team": team_a.pk}).status_code == 403
        assert viewer.post(f"/api/v1/jobs/{body['id']}/cancel/").status_code == 403

    def test_portal_jobs_page_and_run_button(self, client_for, engineer_a, viewer_a, team_a):
        client = client_for(engineer_a)
        page = client.get("/t/alpha/jobs/")
        assert page.status_code == 200 and b"jobs.prune_runs" in page.content and b"Run now" in page.content
        assert client.post("/t/alpha/jobs/run/", {"job": "jobs.prune_runs"}).status_code == 302
        run = JobRun.objects.get()
        assert (run.trigger, run.actor, run.state) == ("manual", engineer_a, "queued")
        assert f"run-{run.pk}".encode() in client.get("/t/alpha/jobs/").content
        viewer = client_for(viewer_a)
        assert b"Run now" not in viewer.get("/t/alpha/jobs/").content
        assert viewer.post("/t/alpha/jobs/run/", {"job": "jobs.prune_runs"}).status_code == 403


def test_runs_announce_themselves_to_the_team(team_a, test_jobs, django_capture_on_commit_callbacks):
    from rfeplatform.events.models import Event

    def work(ctx):
        for percent in (25, 50, 75):
            ctx.progress(percent, f"step {percent}")

    test_jobs("test.live", work)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_now("test.live", team=team_a)
    events = list(Event.objects.for_team(team_a).order_by("id").values_list("topic", "payload"))
    topics = [topic for topic, _ in events]
    assert topics[0] == "job.started" and topics[-1] == "job.finished"
    assert [p["progress"] for t, p in events if t == "job.progress"] == [25, 50, 75]
    assert events[-1][1] == {**events[-1][1], "run": run.pk, "state": "succeeded", "progress": 100}


def test_sync_schedules_command_adds_platform_housekeeping(team_a):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sync_schedules", stdout=out)
    call_command("sync_schedules", stdout=out)
    prune = Schedule.objects.get(name="platform: prune live events")
    assert (prune.func, prune.schedule_type, prune.repeats) == ("rfeplatform.events.prune_events", "H", -1)
    assert JobSchedule.objects.filter(team=team_a).count() == 1


def test_log_lines_name_the_job_run(team_a, test_jobs):
    import logging

    from rfeplatform.logging import ContextFilter

    class Collect(logging.Handler):  # filters run when a line is emitted, as the console handler's do
        records = []

        def emit(self, record):
            self.records.append(record)

    handler = Collect()
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("rfeplatform.connectors")
    logger.addHandler(handler)
    try:
        test_jobs("test.logs", lambda ctx: logger.warning("calling upstream"))
        run = run_now("test.logs", team=team_a)
        logger.warning("outside any job")
    finally:
        logger.removeHandler(handler)
    assert [(r.getMessage(), r.job_run) for r in Collect.records] == [
        ("calling upstream", run.pk),
        ("outside any job", "-"),
    ]
