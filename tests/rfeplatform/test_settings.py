"""Production settings: missing keys are a clear start-up error; `check --deploy` reports only the
warnings the README explains."""

import os
import re
import subprocess
import sys

from cryptography.fernet import Fernet

from tests.subprocesses import ROOT

EXPLAINED_DEPLOY_WARNINGS = {"security.W004", "security.W008"}  # HSTS and SSL redirect: at the proxy


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path):
    return {
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret-key-value",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "rfe.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "VAR_DIR": str(tmp_path),
    }


def test_missing_keys_fail_at_start_up(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"], env["FIELD_ENCRYPTION_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY and FIELD_ENCRYPTION_KEY must be set when DEBUG is false" in result.stderr
    assert not (tmp_path / "dev-keys.json").exists()


def test_invalid_encryption_key_fails_without_echoing_it(tmp_path):
    result = manage("check", **{**production_env(tmp_path), "FIELD_ENCRYPTION_KEY": "not-a-fernet-key-value"})
    assert result.returncode != 0 and "not a valid Fernet key" in result.stderr
    assert "not-a-fernet-key-value" not in result.stderr


def test_check_deploy_reports_only_explained_warnings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "ERROR", **production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"security\.[EW]\d+", result.stdout + result.stderr))
    assert reported == EXPLAINED_DEPLOY_WARNINGS, result.stdout + result.stderr
    # With Django serving HTTPS itself, even those go away.
    strict = manage(
        "check",
        "--deploy",
        **production_env(tmp_path),
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )
    assert "security.W" not in strict.stdout + strict.stderr


def test_development_keys_are_generated_once(tmp_path):
    from rfeplatform.devkeys import development_keys

    first = development_keys(tmp_path)
    assert development_keys(tmp_path) == first
    assert (tmp_path / "dev-keys.json").stat().st_mode & 0o777 == 0o600
    Fernet(first["FIELD_ENCRYPTION_KEY"])
