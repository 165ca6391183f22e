"""/healthz and /readyz, including a real django-q2 cluster heartbeat from a qcluster process."""

import subprocess
import sys
import time

import pytest
from django.test import override_settings

from tests.subprocesses import ROOT
from tests.subprocesses import subprocess_env as _subprocess_env


@pytest.mark.django_db
def test_healthz_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
@override_settings(READYZ_REQUIRE_WORKER=False)
def test_readyz_ok_without_worker_requirement(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == body["checks"]["migrations"] == "ok"


@pytest.mark.django_db
def test_readyz_names_the_missing_worker(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["worker"] and "qcluster" in body["checks"]["worker"]


@pytest.mark.django_db
@override_settings(READYZ_REQUIRE_WORKER=False, REDIS_URL="redis://:sekret@127.0.0.1:1/0")
def test_readyz_names_unreachable_redis_without_leaking_credentials(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["redis"]
    assert "sekret" not in response.content.decode()


@pytest.mark.subprocess
@pytest.mark.django_db(transaction=True)
def test_readyz_sees_a_running_qcluster(client):
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=_subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline, response = time.monotonic() + 60, None
        while time.monotonic() < deadline:
            response = client.get("/readyz")
            if response.status_code == 200:
                break
            time.sleep(0.5)
        assert response is not None and response.status_code == 200, response.content
        assert response.json()["checks"]["worker"] == "ok"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
