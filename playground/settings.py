"""Every deploy-time value comes from the environment; README.md has the table."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.utils.csp import CSP

from playground.catalog.prices import PriceTableError, price_table_load
from playground.environment import (
    ImproperSetting,
    database_from_url,
    envbool,
    envfloat,
    envint,
    envlist,
    envsecret,
    envstr,
    kept_secret,
    private_folder,
    private_sqlite_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = Path(envstr("PLAYGROUND_DATA_DIR", str(BASE_DIR / ".playground-data"))).resolve()
private_folder(DATA_DIR)


# Generated once and kept, so sessions survive restarts without anyone choosing a key.
SECRET_KEY = kept_secret("SECRET_KEY", path=DATA_DIR / "secret_key")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "playground.accounts",
    "playground.emulator",
    "playground.catalog",
    "playground.runs",
    "playground.chat",
    "playground.compare",
    "playground.sharing",
    "playground.decks",
    "playground.media",
    "playground.images",
    "playground.video",
    "playground.embeddings",
    "playground.batches",
    "playground.benchmark",
    "playground.workers",
    "playground.limits",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "playground.urls"
ASGI_APPLICATION = "playground.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "playground.context_processors.layout",
            ],
            "libraries": {"layout": "playground.templatetags.layout"},
        },
    },
]

DATABASES = {
    "default": database_from_url(envstr("DATABASE_URL", "sqlite://"), data_dir=DATA_DIR),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    private_sqlite_file(Path(DATABASES["default"]["NAME"]))  # type: ignore[arg-type]
    # Opening and closing a connection around every database call cost the reply path more
    # CPU than the queries did (issue 15): each thread keeps its own, checked before reuse.
    DATABASES["default"].update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envsecret("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    # Streams go straight to their own socket; nothing needs a layer on one process.
    CHANNEL_LAYERS = {}

if REDIS_URL:
    # Shared by every worker: rate limits, sign-in attempts and model lists agree.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "playground",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_LINK_MINUTES = envint("LOGIN_LINK_MINUTES", 15, minimum=1)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "playground.static_bundles.BundleFinder",  # a page's CSS or JS joined into one file
]
# Apart from the private data folder when a proxy serves it (`manage.py collectstatic`).
# An empty value (as `.env.example` leaves them) means the default, not the current folder.
STATIC_ROOT = Path(envstr("PLAYGROUND_STATIC_ROOT") or DATA_DIR / "static").resolve()
MEDIA_ROOT = Path(envstr("PLAYGROUND_MEDIA_ROOT") or DATA_DIR / "media").resolve()
MEDIA_URL = "media/"
# People's uploads and generated files: readable by the server's user only, like the database.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Security baseline; the secure-cookie flags follow DEBUG so plain-HTTP local use keeps working.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool(
    "SECURE_COOKIES",
    not DEBUG and (envbool("HTTPS", False) or envbool("BEHIND_HTTPS_PROXY", False)),
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A refused form gets the site's own page (or an htmx notice) in plain words, not Django's.
CSRF_FAILURE_VIEW = "playground.error_pages.csrf_failure"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0, minimum=0)
# Each a promise about more than this site (every sub-domain serves HTTPS; the domain may go on
# browsers' preload list), so each is asked for on its own, never implied by the max-age.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# The deploy check nudges towards both as if they were this site's settings; they are choices
# about the rest of the domain, taken in the environment (README, "Deploying").
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_HTTPS_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "media-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Upstream. With a key the playground talks to Gemini; without one, to its own emulator.
GEMINI_API_KEY = envsecret("GEMINI_API_KEY")
GEMINI_BASE_URL = envstr(
    "GEMINI_BASE_URL", "https://generativelanguage.googleapis.com/v1beta/openai/"
)
UPSTREAM_TIMEOUT_SECONDS = envfloat("UPSTREAM_TIMEOUT_SECONDS", 120.0, minimum=1.0)
UPSTREAM_CONNECT_TIMEOUT_SECONDS = envfloat("UPSTREAM_CONNECT_TIMEOUT_SECONDS", 10.0, minimum=0.1)
UPSTREAM_MAX_RETRIES = envint("UPSTREAM_MAX_RETRIES", 2, minimum=0)
# How long an idle upstream connection is kept for the next request (httpx keeps 5 s: a
# person's next message, a minute later, paid DNS, TCP and TLS again). Below the idle limits of
# common NATs and load balancers (Azure 4 min, AWS 350 s), which drop a connection silently.
UPSTREAM_KEEPALIVE_SECONDS = envfloat("UPSTREAM_KEEPALIVE_SECONDS", 120.0, minimum=0.0)
# A retry the endpoint asks to delay longer than this is not waited for: the error is shown.
UPSTREAM_RETRY_MAX_WAIT_SECONDS = envfloat("UPSTREAM_RETRY_MAX_WAIT_SECONDS", 5.0, minimum=0.0)
MODEL_LIST_CACHE_SECONDS = envint("MODEL_LIST_CACHE_SECONDS", 300, minimum=0)

EMULATOR_ENABLED = envbool("EMULATOR_ENABLED", not GEMINI_API_KEY)
# The key the playground's own calls to the emulator send. The emulator keeps each object for
# the key that made it, so nobody without this key reaches the playground's files, batches and
# videos there. Made once into the data folder; give the same one to every worker.
EMULATOR_API_KEY = kept_secret("EMULATOR_API_KEY", path=DATA_DIR / "emulator_key")
# Where the playground reaches its emulator; `manage.py serve` fills it from --host/--port.
EMULATOR_BASE_URL = envstr("EMULATOR_BASE_URL", "http://127.0.0.1:8000/emulator/v1beta/openai/")
EMULATOR_TTFT_MS = envint("EMULATOR_TTFT_MS", 450, minimum=0)
EMULATOR_TOKENS_PER_SECOND = envfloat("EMULATOR_TOKENS_PER_SECOND", 90.0, minimum=0.0)
# How long an emulated video takes from `POST /videos` to completed (0: at the first look).
EMULATOR_VIDEO_SECONDS = envfloat("EMULATOR_VIDEO_SECONDS", 20.0, minimum=0.0)
# How long an emulated batch takes from creation to completion.
EMULATOR_BATCH_SECONDS = envfloat("EMULATOR_BATCH_SECONDS", 15.0, minimum=0.0)
# Test-only: keep the last request bodies, readable at `_received`, to compare with the sender.
EMULATOR_RECORD_REQUESTS = envbool("EMULATOR_RECORD_REQUESTS", False)
# Test-only: honour `[emulator-fault:...]` markers in chat prompts (playground/emulator/faults.py).
EMULATOR_FAULTS_ENABLED = envbool("EMULATOR_FAULTS_ENABLED", False)
# `openai`: the emulator answers as an OpenAI-compatible server (OpenAI's models, its error
# shape, no Gemini extras), to stand in for a second provider beside the Gemini one.
EMULATOR_FLAVOUR = envstr("EMULATOR_FLAVOUR", "gemini").strip().lower()
if EMULATOR_FLAVOUR not in ("gemini", "openai"):
    raise ImproperSetting(f"EMULATOR_FLAVOUR must be gemini or openai, not {EMULATOR_FLAVOUR!r}.")


KEY_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


def _extra_providers() -> list[dict[str, str]]:
    raw = envstr("PLAYGROUND_EXTRA_PROVIDERS", "")
    if not raw.strip():
        return []
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperSetting(f"PLAYGROUND_EXTRA_PROVIDERS is not valid JSON: {exc}.") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ImproperSetting("PLAYGROUND_EXTRA_PROVIDERS must be a JSON list of objects.")
    for entry in entries:
        missing = {"name", "base_url"} - entry.keys()
        if missing:
            raise ImproperSetting(f"PLAYGROUND_EXTRA_PROVIDERS entry lacks {sorted(missing)}.")
        key_env = entry.get("api_key_env", "")
        if not isinstance(key_env, str) or (key_env and not KEY_VARIABLE.match(key_env)):
            raise ImproperSetting(
                f"PLAYGROUND_EXTRA_PROVIDERS entry {entry['name']!r}: api_key_env must name an "
                "environment variable (letters, digits, underscores)."
            )
        if entry.get("flavour", "openai") not in ("gemini", "openai"):
            raise ImproperSetting(
                f"PLAYGROUND_EXTRA_PROVIDERS entry {entry['name']!r}: flavour must be gemini or "
                f"openai, not {entry['flavour']!r}."
            )
    return entries


# Further OpenAI-compatible endpoints: [{"name", "label", "base_url", "api_key_env", "flavour"}];
# without a flavour, Gemini's address is `gemini` and any other `openai`.
EXTRA_PROVIDERS = _extra_providers()

# The price table (playground/catalog/gemini_prices.json unless a file is named) and per-model
# overrides as JSON; both checked here, so a bad price stops start-up.
PLAYGROUND_PRICES_FILE = envstr("PLAYGROUND_PRICES_FILE", "").strip()
PLAYGROUND_PRICES = envstr("PLAYGROUND_PRICES", "")
try:
    price_table_load(file=PLAYGROUND_PRICES_FILE, overrides=PLAYGROUND_PRICES)
except PriceTableError as exc:
    raise ImproperSetting(str(exc)) from None

UPLOAD_MAX_IMAGE_BYTES = envint("UPLOAD_MAX_IMAGE_BYTES", 10 * 1024 * 1024, minimum=1024)
UPLOAD_MAX_AUDIO_BYTES = envint("UPLOAD_MAX_AUDIO_BYTES", 20 * 1024 * 1024, minimum=1024)
UPLOAD_MAX_AUDIO_SECONDS = envint("UPLOAD_MAX_AUDIO_SECONDS", 600, minimum=1)
# The largest deck file (playground/decks/portable.py) an import reads.
DECKS_IMPORT_MAX_BYTES = envint("DECKS_IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)
# The largest body the server reads; a bigger one is refused with 413 before it is read
# (playground/limits/request_body.py). By default the largest upload that can come in one
# request: a video request's five pictures (first and last frame, three references), an audio
# file, or what the emulator takes inline; plus room for the form's other fields.
REQUEST_MAX_BODY_BYTES = envint(
    "REQUEST_MAX_BODY_BYTES",
    max(5 * UPLOAD_MAX_IMAGE_BYTES, UPLOAD_MAX_AUDIO_BYTES, DATA_UPLOAD_MAX_MEMORY_SIZE, 20 * 2**20)
    + 2**20,
    minimum=1024,
)

# Per-person limits (0 switches one off); playground/limits says how each is counted.
LIMIT_CONCURRENT_STREAMS = envint("LIMIT_CONCURRENT_STREAMS", 16, minimum=0)
LIMIT_REQUESTS_PER_MINUTE = envint("LIMIT_REQUESTS_PER_MINUTE", 120, minimum=0)
MAX_OUTPUT_TOKENS_CEILING = envint("MAX_OUTPUT_TOKENS_CEILING", 65_536, minimum=0)
# Pictures decoded at once by this process (uploads and the emulator); the rest wait their turn.
LIMIT_CONCURRENT_IMAGE_DECODES = envint("LIMIT_CONCURRENT_IMAGE_DECODES", 2, minimum=0)
LIMIT_LOGIN_FAILURES = envint("LIMIT_LOGIN_FAILURES", 5, minimum=0)
LIMIT_LOGIN_ACCOUNT_FAILURES = envint("LIMIT_LOGIN_ACCOUNT_FAILURES", 20, minimum=0)
LIMIT_LOGIN_WINDOW_SECONDS = envint("LIMIT_LOGIN_WINDOW_SECONDS", 900, minimum=1)
# Per socket (playground/limits/socket_frames.py): the largest message, a token bucket of
# messages (a burst, refilled at a rate; 0 switches the rate limit off) and the deepest JSON
# nesting a message may have. A socket past a limit is closed, and the page reconnects.
SOCKET_MAX_FRAME_BYTES = envint("SOCKET_MAX_FRAME_BYTES", 2**20, minimum=1024)
SOCKET_FRAMES_PER_SECOND = envfloat("SOCKET_FRAMES_PER_SECOND", 10.0, minimum=0.0)
SOCKET_FRAME_BURST = envint("SOCKET_FRAME_BURST", 30, minimum=1)
SOCKET_MAX_JSON_DEPTH = envint("SOCKET_MAX_JSON_DEPTH", 32, minimum=2)
# How often each serving process writes its heartbeat (0: never; management commands and
# tests do not serve). A worker silent for six beats (at least 30 s) is taken for stopped.
WORKER_HEARTBEAT_SECONDS = envfloat("WORKER_HEARTBEAT_SECONDS", 5.0, minimum=0.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"httpx2": {"level": "WARNING"}, "openai": {"level": "WARNING"}},
}
