"""Development keys: generated once into var/ and reused, so `make run` needs no configuration.

Only used when DEBUG is true and a key is missing from the environment; production must set the keys
(settings raise ImproperlyConfigured otherwise).
"""

import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


def development_keys(var_dir: Path) -> dict[str, str]:
    """Return SECRET_KEY and FIELD_ENCRYPTION_KEY from var/dev-keys.json, creating it on first use."""
    path = var_dir / "dev-keys.json"
    keys = json.loads(path.read_text()) if path.exists() else {}
    missing = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": lambda: Fernet.generate_key().decode(),
    }
    if any(name not in keys for name in missing):
        for name, make in missing.items():
            keys.setdefault(name, make())
        var_dir.mkdir(parents=True, exist_ok=True)
        # Written atomically and private to the owner: it holds key material.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(keys, indent=2))
        tmp.chmod(0o600)
        tmp.replace(path)
    return keys


def validate_fernet_keys(value: str) -> None:
    """Refuse to start with a FIELD_ENCRYPTION_KEY that is not a comma-separated list of Fernet keys."""
    keys = [key.strip() for key in value.split(",") if key.strip()]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is empty.")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as error:
            # The key itself is never echoed back.
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEY: key #{position} is not a valid Fernet key (32 url-safe base64 bytes)."
            ) from error
