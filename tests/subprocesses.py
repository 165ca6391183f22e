"""Running other processes (qcluster, daphne, emitters, lock holders) against the test database."""

import os
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def subprocess_env(**extra: str) -> dict:
    """The environment for a `manage.py` or `django.setup()` subprocess that must use this test run's
    database (and its Redis, cache prefix and VAR_DIR, which are inherited)."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "rfeplatform.settings",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"
    return env
