"""Settings for rfeplatform, read from the environment (django-environ).

Every variable is documented in the README and in `.env.example`. The embedded default (no variables
set, `DEBUG=true`) runs on a SQLite file under `var/` with no Redis; production sets `DATABASE_URL`,
`REDIS_URL` and the keys explicitly.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from rfeplatform.accounts.sso import build_socialaccount_providers
from rfeplatform.devkeys import development_keys, validate_fernet_keys

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A `.env` file at the project root is read if present; real environment variables win.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

# --- Keys -----------------------------------------------------------------------------------------
# Production must set both. In development (DEBUG=true) they are generated once into var/ and reused,
# so sessions and encrypted secrets survive restarts.
_missing = [name for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY") if not env.str(name, default="")]
if _missing and not DEBUG:
    raise ImproperlyConfigured(
        f"{' and '.join(_missing)} must be set when DEBUG is false (see README, 'Configuration'). "
        "SECRET_KEY: python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
        "FIELD_ENCRYPTION_KEY: "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )
_dev_keys = development_keys(VAR_DIR) if _missing else {}
SECRET_KEY = env.str("SECRET_KEY", default="") or _dev_keys["SECRET_KEY"]
# Comma-separated Fernet keys: the first encrypts, all decrypt (MultiFernet), so keys can rotate.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="") or _dev_keys["FIELD_ENCRYPTION_KEY"]
validate_fernet_keys(FIELD_ENCRYPTION_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ---------------------------------------------------------------------------------
INSTALLED_APPS = [
    "daphne",
    "rfeplatform.apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "rfeplatform.apps.RfeplatformConfig",
    "customers",
    "cases",
    "incidents",
    "automation",
    "templates",
]

MIDDLEWARE = [
    "rfeplatform.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rfeplatform.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "rfeplatform.urls"
ASGI_APPLICATION = "rfeplatform.asgi.application"
WSGI_APPLICATION = "rfeplatform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "rfeplatform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rfeplatform.portal.context.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'rfeplatform.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the qcluster worker read while the other writes; IMMEDIATE
        # transactions take the write lock up front instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file (not :memory:) so that subprocesses started by tests (qcluster, emitters) share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, locks, django-q2 broker, channel layer -----------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="rfe")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    CHANNEL_LAYERS = {
        # Pub/sub: measured faster than the list-based layer with many browser tabs per process
        # (bench/events_fanout.py); a message it drops is read back from the events table.
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{CACHE_KEY_PREFIX}:asgi"},
        }
    }
else:
    # The database cache is shared by every process (web, worker), unlike the local-memory cache,
    # so rate limits and the django-q2 cluster heartbeat work without Redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rfe_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

Q_CLUSTER = {
    "name": env.str("Q_CLUSTER_NAME", default="rfeplatform"),
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=1800),
    "retry": env.int("Q_TIMEOUT", default=1800) + 60,
    "max_attempts": 1,
    "catch_up": False,
    "save_limit": 1000,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
# How old the newest qcluster heartbeat may be before /readyz reports the worker as missing.
QCLUSTER_HEARTBEAT_MAX_AGE = env.int("QCLUSTER_HEARTBEAT_MAX_AGE", default=60)
READYZ_REQUIRE_WORKER = env.bool("READYZ_REQUIRE_WORKER", default=True)

# --- Outbound connectors ---------------------------------------------------------------------------
CONNECTOR_BREAKER_THRESHOLD = env.int("CONNECTOR_BREAKER_THRESHOLD", default=5)
CONNECTOR_BREAKER_RESET_SECONDS = env.float("CONNECTOR_BREAKER_RESET_SECONDS", default=30.0)
JOB_RUN_RETENTION_DAYS = env.int("JOB_RUN_RETENTION_DAYS", default=30)

# --- Live events (rfeplatform/events) ---------------------------------------------------------------
EVENT_RETENTION_HOURS = env.int("EVENT_RETENTION_HOURS", default=72)
EVENT_RELAY_INTERVAL = env.float("EVENT_RELAY_INTERVAL", default=0.2)  # embedded default only
EVENT_CATCHUP_LIMIT = env.int("EVENT_CATCHUP_LIMIT", default=1000)
EVENT_RECHECK_SECONDS = env.int("EVENT_RECHECK_SECONDS", default=60)
EVENT_PAYLOAD_MAX_BYTES = env.int("EVENT_PAYLOAD_MAX_BYTES", default=32 * 1024)

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "rfeplatform.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "rfeplatform.accounts.adapters.SocialAccountAdapter"
# Accounts are created by managers/superusers (or on first SSO login when enabled); no public sign-up.
ACCOUNT_ALLOW_SIGNUP = env.bool("ACCOUNT_ALLOW_SIGNUP", default=False)
SOCIALACCOUNT_AUTO_SIGNUP = env.bool("SSO_AUTO_SIGNUP", default=True)
SOCIALACCOUNT_ONLY = False
ACCOUNT_RATE_LIMITS = {
    # allauth's own limiter guards the HTML login form (per IP and per account); the API uses DRF
    # throttles below. Both count failures in the shared cache.
    "login": env.str("LOGIN_RATE_LIMIT", default="30/m/ip"),
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SOCIALACCOUNT_PROVIDERS = build_socialaccount_providers(os.environ)

# --- E-mail (password resets; notifications later) ------------------------------------------------
# e.g. smtp+tls://user:password@smtp.example.com:587 ; the default prints e-mails to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="rfeplatform <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------------------
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a request with no credentials gets 401 + WWW-Authenticate, not 403.
        "rfeplatform.accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rfeplatform.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rfeplatform.api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rfeplatform.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="1200/min"),
        "tokens": env.str("THROTTLE_TOKENS", default="20/min"),
        "auth_failure": env.str("THROTTLE_AUTH_FAILURE", default="20/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Client addresses for throttles: with 0, REMOTE_ADDR; behind N trusted proxies, the N-th address
    # from the right of X-Forwarded-For. Never the whole header, which a client can forge.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "rfeplatform API",
    "DESCRIPTION": (
        "REST API of rfeplatform. Authenticate with `Authorization: Token <key>` (personal API token) "
        "or a browser session. Every response carries `X-Request-ID`. Errors have the shape "
        '`{"detail": "...", "errors": {"field": ["..."]}}`.'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "customers.models.Role",
        "AuditSourceEnum": "rfeplatform.audit.models.Source",
    },
}

# --- Internationalisation, static files -----------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# After `collectstatic` (production), hashed and compressed files with far-future caching; before it
# (development, tests), files are served straight from the app folders.
_collected = (STATIC_ROOT / "staticfiles.json").exists()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _collected
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not _collected

# --- Security -------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Behind a TLS-terminating proxy, the proxy redirects to HTTPS and sets HSTS; see README.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Logging --------------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "rfeplatform.logging.ContextFilter"},
        "redact": {"()": "rfeplatform.logging.RedactingFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s job=%(job_run)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["context", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default "django" handlers, which would print every line twice.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "daphne": {"level": "WARNING"},
    },
}
