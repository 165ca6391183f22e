"""`manage.py sandbox` serves without a database and stops cleanly on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.subprocesses import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.subprocess
def test_command_serves_every_vendor_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {**os.environ, "DEBUG": "true", "VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/absent.db"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "sandbox", "--port", str(port), "--cases", "50", "--issues", "20"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(url + "/_sandbox/health", timeout=2).ok:
                    break
            except requests.RequestException:  # not listening yet, or busy starting
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the sandbox did not come up:\n{process.communicate()[0]}")
            time.sleep(0.1)
        index = requests.get(url + "/").json()
        assert set(index["vendors"]) == {"sso", "portal", "jira", "bugzilla", "github", "slack", "llm", "databricks"}
        assert index["seed"]["cases"] == 50
        assert requests.get(url + "/github/repos/rfeplatform/demo").json()["full_name"] == "rfeplatform/demo"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0  # generous: CI machines are small and busy
        assert "Sandbox stopped." in process.stdout.read()
        assert not (tmp_path / "absent.db").exists(), "the command never touched the database"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
