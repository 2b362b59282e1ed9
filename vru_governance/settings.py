"""Settings for VRU Governance, read from environment variables (see README)."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from vru_governance.env import env_bool, env_int, env_json_object, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")
DEBUG = env_bool("DEBUG", False)

# The management command being run, if any (None under gunicorn/WSGI).
COMMAND = sys.argv[1] if Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 else None

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        # Only for a developer's machine and the test suite; never served publicly.
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    elif COMMAND not in (None, "runserver"):
        # A command that serves nothing (migrate, makemigrations --check, cron jobs) signs
        # nothing that outlives it: a throwaway key will do.
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    # Django's admin, behind the second factor (vru_governance/admin_site.py).
    "vru_governance.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # sitemap.xml of the public pages (vru_governance/public/site_files.py).
    "django.contrib.sitemaps",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Single-use backup codes for a lost phone (vru_governance/accounts/backup_codes.py).
    "django_otp.plugins.otp_static",
    # Jobs: partner e-mails (meetings/outbox.py), run after the request's transaction commits.
    "django_tasks",
    "members",
    "meetings",
    "actions",
    "reports",
    # The site itself: connects the public page cache to every change of the records.
    "vru_governance.apps.SiteConfig",
    # The screens and tools over the four data apps (docs/architecture.md): apps only so that
    # their template tags, admin registrations and management commands are found.
    "vru_governance.accounts",
    "vru_governance.workspace",
    "vru_governance.records",
    "vru_governance.benchmarks",
]

MIDDLEWARE = [
    # First: every log line of the request, and its response, carry the request's id.
    "vru_governance.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session verified once the user gave a code from their authenticator.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view that loses the database answers 503 with a plain page, never a stack trace.
    "vru_governance.errors.DatabaseUnavailableMiddleware",
    # Any successful write through the site empties the public page cache.
    "vru_governance.page_cache.InvalidateOnWriteMiddleware",
    # Pages made for a signed-in reader are private: no shared cache may keep them.
    "vru_governance.page_cache.PrivateForSignedInMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed sign-ins and refuses further attempts once the limit is reached.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
# Lock a username from one address: a mistyped password elsewhere does not lock a partner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy's address: count the proxies
# (AXES_PROXY_COUNT=1 behind one nginx) and take the client from X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# The optional second factor: a code from an authenticator app
# (vru_governance/accounts/second_factor.py).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "VRU Governance")
# Secretaries without an authenticator must set one up before the workspace or the admin.
OTP_REQUIRED_FOR_SECRETARIAT = env_bool("OTP_REQUIRED_FOR_SECRETARIAT", False)
# The authenticator secrets are not shown in the admin (a superuser can still delete a device).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

ROOT_URLCONF = "vru_governance.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "vru_governance.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A kept connection is checked before a request reuses it, so the app servers recover
        # by themselves when the database comes back after a restart.
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded setup (and the tests on SQLite): requests and the job thread share one
    # file. Readers go on while a job writes (WAL), a write waits up to 20 s for another to
    # finish instead of failing at once with "database is locked", and a transaction takes
    # the write lock when it begins (IMMEDIATE): in WAL mode a transaction that read first
    # fails at once when it comes to write beside another writer, whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )

if TESTING and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # One test database per test process, so that parallel runs on one server never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing is not what the tests check; the fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Tests keep their files apart from a developer's uploads, and each parallel test process
# (pytest-xdist's gw0, gw1 …) from the others'.
MEDIA_DIR = (
    VAR_DIR / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
    if TESTING
    else VAR_DIR / "media"
)
STORAGES = {
    # Uploaded papers and rendered documents are private: served only through views
    # that check access, never from a public folder.
    # Several app servers share object storage instead: STORAGE_BACKEND names any Django
    # storage (e.g. django-storages' "storages.backends.s3.S3Storage", private bucket) and
    # STORAGE_OPTIONS (JSON) its options. Only the storage API is used, never local paths.
    "default": {
        "BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json_object(
            "STORAGE_OPTIONS",
            {"location": str(MEDIA_DIR)},
        ),
    },
    # Hashed names and pre-compressed copies for WhiteNoise. A proxy that compresses by
    # itself may take "django.contrib.staticfiles.storage.ManifestStaticFilesStorage":
    # collectstatic is then seconds instead of a minute of Brotli.
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Widgets built in Python, the same HTML as Django's templates (the workspace's long selects).
FORM_RENDERER = "vru_governance.form_renderer.FastWidgetRenderer"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# Signing out lands on the site's home page, with a message (accounts/views.py SignOutView).
LOGOUT_REDIRECT_URL = "public:home"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "governance@localhost")
# Seconds before a silent mail server counts as a failed attempt (the job retries later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# The site's contact address, shown to readers (the accessibility statement) and the default
# for security.txt below.
CONTACT_EMAIL = env_str("CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
# Where to report a vulnerability, in /.well-known/security.txt: a mailto: or https: URI, or
# an address.
SECURITY_CONTACT = env_str("SECURITY_CONTACT", f"mailto:{CONTACT_EMAIL}")
# Password reset requests allowed per client address and per e-mail address in an hour
# (vru_governance/accounts/password_reset.py): enough for a forgetful partner, not for a flood.
PASSWORD_RESET_PER_HOUR = env_int("PASSWORD_RESET_PER_HOUR", 5)
# E-mail alert requests allowed per client address and per e-mail address in an hour
# (vru_governance/public/alerts.py): each sends a confirmation e-mail to the address typed.
ALERT_REQUESTS_PER_HOUR = env_int("ALERT_REQUESTS_PER_HOUR", 5)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Logs: one JSON line per record on stderr, with the request's id and any traceback
# (vru_governance/logs.py; docs/deploy.md, Logs). With DEBUG off Django's default sends errors
# nowhere but to ADMINS by e-mail; here every error reaches stderr, whatever DEBUG says.
LOG_LEVEL = env_str("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL={LOG_LEVEL!r} is not a level (use DEBUG, INFO, WARNING, ERROR or CRITICAL)."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "vru_governance.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "vru_governance.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "vru_governance.logs.StderrHandler",
            "filters": ["request_id"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (console only with DEBUG, e-mail to ADMINS) are replaced, so
        # that a failing request is one line, not one line here and a second elsewhere.
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        # Font subsetting reports every font at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Security. Production (DEBUG off) is HTTPS-only behind a proxy that sets X-Forwarded-Proto;
# `manage.py check --deploy` reports nothing with these settings (a test runs it).
PRODUCTION = not DEBUG and not TESTING
# Sessions are read from the shared cache and written through to the database: a signed-in
# page is spared a query, and a session ended (accounts/second_factor.end_other_sessions goes
# through the store) leaves both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
# A load balancer's health check may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)

# The minutes say where to find more about the board (the seed's page; empty: not printed).
DOCUMENTS_FURTHER_INFORMATION_URL = env_str(
    "DOCUMENTS_FURTHER_INFORMATION_URL",
    "https://www.london.gov.uk/what-we-do/mayors-office-policing-and-crime-mopac/"
    "violence-reduction-unit-vru/who-violence-reduction-unit",
)
# Agenda packs: parts rendered in this many processes (0: one per core; 1: no pool), and kept
# in this cache, keyed by their content, for this long (reports/documents/parts.py).
DOCUMENTS_RENDER_WORKERS = env_int("DOCUMENTS_RENDER_WORKERS", 0)
# A part still rendering after this many seconds is stopped (its worker killed) and the
# document fails with a message; each worker may grow by this many MiB at most
# (reports/documents/worker_processes.py). The workers die with the process that started them.
DOCUMENTS_RENDER_TIME_LIMIT = env_int("DOCUMENTS_RENDER_TIME_LIMIT", 60)
DOCUMENTS_RENDER_MEMORY_MB = env_int("DOCUMENTS_RENDER_MEMORY_MB", 2048)
DOCUMENTS_PART_CACHE = "default"
DOCUMENTS_PART_CACHE_SECONDS = env_int("DOCUMENTS_PART_CACHE_SECONDS", 60 * 24 * 3600)
# A paper's parts of the packs are rendered by a job when it is saved, so that publishing finds
# them cached (reports/publishing.py). Off in the tests, where every save would render.
DOCUMENTS_RENDER_AHEAD = env_bool("DOCUMENTS_RENDER_AHEAD", not TESTING)

# Content Security Policy: no inline script or style anywhere, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Caches. REDIS_URL (several app servers) or files under var/cache (one machine, several
# worker processes): the public page cache must be shared by every process that serves,
# or a publication seen by one would stay unseen by the others.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
else:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / ("test-cache" if TESTING else "cache")),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if TESTING
    else _shared_cache,
}
# Jobs (django-tasks, the backport of Django 6's tasks): publishing an agenda (rendering and
# freezing its documents, reports/publishing.py), a saved paper's parts rendered ahead, and
# partner e-mails (meetings/outbox.py); each enqueued when its transaction commits, never in it.
# "thread" (default): one thread of the web process runs them (vru_governance/jobs.py), with
# no service to run, and the request that enqueued answers at once; failed e-mails are retried
# by `manage.py send_pending_mail` (cron) or the secretary's "Try again". "immediate" (the
# tests): in the enqueuing process right after the commit, before the request answers. "rq":
# jobs go to Redis (REDIS_URL) and run in `manage.py rqworker default --with-scheduler`, which
# also runs the deferred retries.
JOBS_BACKEND = env_str("JOBS_BACKEND", "immediate" if TESTING else "thread")
if JOBS_BACKEND == "thread":
    TASKS = {"default": {"BACKEND": "vru_governance.jobs.ThreadBackend"}}
elif JOBS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif JOBS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("JOBS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job longer than this is stopped by the worker (renders have their own, shorter limit).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
else:
    raise ImproperlyConfigured(
        f"JOBS_BACKEND={JOBS_BACKEND!r} is not 'thread', 'immediate' or 'rq'."
    )

# Public pages as anonymous readers see them (vru_governance/page_cache.py). The tests turn
# it on where they check it: elsewhere a page cached by one test would leak into the next.
PUBLIC_PAGE_CACHE = "default"
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 0 if TESTING else 600)

# Papers uploaded as PDF: the largest accepted file.
PAPER_UPLOAD_MAX_BYTES = env_int("PAPER_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# …and the most pages it may have (each is drawn into the packs; a 5,000-page file is refused).
PAPER_MAX_PAGES = env_int("PAPER_MAX_PAGES", 300)
# Records files given to import_records: larger ones are refused before they are read.
RECORDS_IMPORT_MAX_BYTES = env_int("RECORDS_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
