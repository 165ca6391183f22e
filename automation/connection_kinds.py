"""What each kind of connection needs: its auth types and the JSON schema of its settings.

The one place that knows vendors' configuration shapes; the model, admin form and API serializer
all validate through `validate_connection()`.
"""

import jsonschema
from django.core.exceptions import ValidationError
from django.db import models


class Kind(models.TextChoices):
    PORTAL = "portal", "Customer Portal"
    JIRA = "jira", "JIRA"
    BUGZILLA = "bugzilla", "Bugzilla"
    GITHUB = "github", "GitHub"
    SLACK = "slack", "Slack"
    LLM = "llm", "LLM (OpenAI-compatible)"
    DATABRICKS = "databricks", "Databricks"
    STORAGE = "storage", "Storage"
    SMTP = "smtp", "SMTP"


class AuthType(models.TextChoices):
    TOKEN = "token", "Token (Bearer)"
    BASIC = "basic", "Username and password / API token"
    OAUTH_OFFLINE_TOKEN = "oauth_offline_token", "OAuth offline token"
    BOT_TOKEN = "bot_token", "Bot token"
    API_KEY = "api_key", "API key"
    WEBHOOK_URL = "webhook_url", "Incoming webhook URL (the secret is the URL)"
    NONE = "none", "No authentication"


_STRING = {"type": "string", "minLength": 1, "maxLength": 500}
_URL = {"type": "string", "pattern": r"^https?://\S+$", "maxLength": 500}

SPECS = {
    Kind.PORTAL: {
        "auth": [AuthType.OAUTH_OFFLINE_TOKEN],
        "settings": {
            "sso_token_url": _URL,
            "client_id": _STRING,
            "page_store_url": _URL,
        },
    },
    Kind.JIRA: {
        "auth": [AuthType.TOKEN, AuthType.BASIC],
        "settings": {
            "flavour": {"enum": ["server", "cloud"]},
            "project": {"type": "string", "pattern": r"^[A-Z][A-Z0-9_]{1,30}$"},
        },
    },
    Kind.BUGZILLA: {
        "auth": [AuthType.API_KEY, AuthType.TOKEN],
        "settings": {"batch_size": {"type": "integer", "minimum": 1, "maximum": 1000}},
    },
    Kind.GITHUB: {
        "auth": [AuthType.TOKEN],
        "settings": {"repository": {"type": "string", "pattern": r"^[\w.-]+/[\w.-]+$"}},
    },
    Kind.SLACK: {"auth": [AuthType.BOT_TOKEN, AuthType.WEBHOOK_URL], "settings": {"default_channel": _STRING}},
    Kind.LLM: {
        "auth": [AuthType.API_KEY, AuthType.NONE],
        "settings": {
            "model": _STRING,
            "max_tokens": {"type": "integer", "minimum": 1, "maximum": 200000},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2},
        },
    },
    Kind.DATABRICKS: {"auth": [AuthType.TOKEN], "settings": {}},
    Kind.STORAGE: {
        "auth": [AuthType.NONE, AuthType.BASIC, AuthType.API_KEY],
        "settings": {
            "backend": {"enum": ["local", "s3", "azure"]},
            "location": _STRING,
            "bucket": _STRING,
        },
    },
    Kind.SMTP: {
        "auth": [AuthType.NONE, AuthType.BASIC],
        "settings": {"use_tls": {"type": "boolean"}, "from_email": _STRING},
    },
}

# Kinds whose base URL may be empty (a local storage folder).
BASE_URL_OPTIONAL = {Kind.STORAGE}


def settings_schema(kind: str) -> dict:
    return {"type": "object", "properties": SPECS[kind]["settings"], "additionalProperties": False}


def validate_connection(*, kind: str, auth_type: str, base_url: str, settings: dict, has_secret: bool) -> None:
    """Raise ValidationError (by field) if the combination is not usable."""
    errors = {}
    if kind not in SPECS:
        raise ValidationError({"kind": "Unknown kind."})
    allowed = SPECS[kind]["auth"]
    if auth_type not in allowed:
        errors["auth_type"] = f"{Kind(kind).label} connections use: {', '.join(a.value for a in allowed)}."
    if not base_url and kind not in BASE_URL_OPTIONAL and auth_type != AuthType.WEBHOOK_URL:
        errors["base_url"] = "A base URL is required for this kind."
    elif base_url and not base_url.lower().startswith(("http://", "https://")):
        errors["base_url"] = "The base URL must start with http:// or https://."
    try:
        jsonschema.validate(settings if settings is not None else {}, settings_schema(kind))
    except jsonschema.ValidationError as error:
        where = ".".join(str(p) for p in error.absolute_path)
        errors["settings"] = f"{where + ': ' if where else ''}{error.message}"
    if auth_type != AuthType.NONE and not has_secret:
        errors["secret"] = "This authentication type needs a secret."
    if errors:
        raise ValidationError(errors)
