"""Settings for kolregistry, read from the environment.

Every value a deployment changes comes from an environment variable; the
defaults are safe for a developer laptop (SQLite, DEBUG off).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default, minimum=None):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


DEBUG = env_bool("DEBUG")


def local_secret_key():
    """A per-checkout key in var/ (git-ignored), created on first use.

    Deployments set DJANGO_SECRET_KEY; this only spares a newcomer a step.
    """
    key_file = BASE_DIR / "var" / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with the registry's site (dashboard/sites.py): its index is the staff dashboard or partner home.
    "dashboard.apps.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    # Swagger UI and ReDoc as static files of the registry, so the API docs need no CDN.
    "drf_spectacular_sidecar",
    "simple_history",
    # Spreadsheet import and export in the admin (kolregistry/sheets.py).
    "import_export",
    "axes",
    "django_guid",
    "csp",
    "partners",
    "campaigns",
    "accounts",
    "dashboard",
    "demo",
    # manage.py benchmark (a tool, not part of the registry): the top layer.
    "benchmark",
]

MIDDLEWARE = [
    # The request id first, so that every later log line and every response carry it.
    "django_guid.middleware.guid_middleware",
    # Outside everything else: it times the whole request and logs the status the client gets.
    "kolregistry.requestlog.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # A lost database connection is a 503 with Retry-After, not a 500.
    "kolregistry.health.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, with English for API clients that ask for no language (kolregistry/language.py).
    "kolregistry.language.RegistryLocaleMiddleware",
    # Refuses NUL characters in the query string (PostgreSQL cannot hold them) with a 400.
    "kolregistry.input_checks.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kolregistry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "kolregistry.wsgi.application"

DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out login is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese is the default: the registry's everyday users are ministry staff.
# English stays one Accept-Language header (or the admin's switcher) away, and is what API clients get when
# they ask for no language (kolregistry/language.py).
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Words for the lookups the filtersets use, in the labels django-filter makes ("Signed on is less than or
# equal to"; the API schema's descriptions): from the registry's catalogue, as django-filter has no Vietnamese.
FILTERS_VERBOSE_LOOKUPS = {
    "exact": "",
    "gte": _("is greater than or equal to"),
    "lte": _("is less than or equal to"),
}
# Short dates per language (dd/mm/yyyy in Vietnamese); partial dates show as "05/2024" or "2024".
FORMAT_MODULE_PATH = ["kolregistry.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The registry's own stylesheets, beside those of the apps.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))


def default_storage_from_env():
    """Where uploads (signed MOU documents) live; every app server must see the same files.

    ``filesystem`` (the default) keeps them under MEDIA_ROOT: one server, or a volume all servers mount.
    ``s3`` keeps them in an S3-compatible bucket (AWS, MinIO, Ceph) through django-storages. Credentials
    are not settings: boto3 reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role) itself.
    """
    backend = os.environ.get("STORAGE_BACKEND", "filesystem").strip().lower()
    if backend == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend != "s3":
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'filesystem' or 's3', not {backend!r}.")
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            # Signed MOUs are private: no public ACL, links are signed and expire.
            "default_acl": None,
            "querystring_auth": True,
            "signature_version": "s3v4",
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300")),
            # Two MOUs uploaded as "mou.pdf" must not overwrite each other (django-storages' default does).
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": default_storage_from_env(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# `make backup` writes here (kolregistry/backup.py); keep it off the database's disk in production.
KOLREG_BACKUP_DIR = Path(os.environ.get("KOLREG_BACKUP_DIR", BASE_DIR / "var" / "backups"))

# Signed MOU documents: PDF only, at most this many bytes.
# Throttle counters live in the cache: with several gunicorn workers, share one through REDIS_URL.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # Lets deployments (or test runs) share one Redis without sharing counters.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

KOLREG_MOU_DOCUMENT_MAX_BYTES = int(os.environ.get("KOLREG_MOU_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))

# MOU lifecycle (manage.py mou_alerts): a new MOU's notice period in days, who is told when an MOU has no
# responsible user with an e-mail address, and the registry's address for links in the e-mails.
MOU_NOTICE_PERIOD_DAYS = env_int("MOU_NOTICE_PERIOD_DAYS", 90, minimum=1)
MOU_ALERT_RECIPIENTS = env_list("MOU_ALERT_RECIPIENTS")
REGISTRY_BASE_URL = os.environ.get("REGISTRY_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail: printed on the console unless EMAIL_BACKEND says otherwise (SMTP with the EMAIL_* variables).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kolregistry@localhost")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS. Each switch is off unless the environment turns it on, so `make run` (plain http on
# 127.0.0.1) keeps working; the README's production section lists the values for a deployment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# Load balancers probe the health checks over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# Behind a proxy that terminates TLS: trust its X-Forwarded-Proto. Only when the proxy always sets
# (overwrites) that header, or a client could claim https over http.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts only from this server. Inline styles stay allowed:
# the Django admin and django-simple-history write some, and a style cannot run code.
# The API docs are served from here too; ReDoc's page adds blob: workers (kolregistry/api/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Who is asking: a function request -> kolregistry.access.Access (see kolregistry/access.py).
REGISTRY_ACCESS_RESOLVER = "accounts.access.resolve_access"
# Who may be responsible for an MOU: a function () -> the users with ministry-wide access.
REGISTRY_MINISTRY_USERS = "accounts.access.ministry_users"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.RegistryPermission"],
    # Counters live in the default cache (per process with locmem): point CACHES at Redis with several workers.
    "DEFAULT_THROTTLE_CLASSES": [
        "accounts.throttling.TokenRateThrottle",
        "accounts.throttling.TokenBurstRateThrottle",
        "accounts.throttling.AnonymousRateThrottle",
    ],
    # A full sync at scale 1 is ~2,500 pages of 500 rows: within both budgets (README, "Abuse limits").
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("KOLREG_THROTTLE_USER", "10000/hour"),
        "user_burst": os.environ.get("KOLREG_THROTTLE_USER_BURST", "3000/minute"),
        "anon": os.environ.get("KOLREG_THROTTLE_ANON", "30/minute"),
    },
    "DEFAULT_FILTER_BACKENDS": ["kolregistry.api.filters.RegistryFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kolregistry.api.pagination.RegistryPagination",
    "EXCEPTION_HANDLER": "kolregistry.api.errors.exception_handler",
    # JSON is the only write format (an MOU's document alone is uploaded as multipart, at its own endpoint);
    # JSON nested too deep and NUL characters are a 400 (kolregistry/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["kolregistry.api.parsers.RegistryJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "kolregistry.api.renderers.RegistryJSONRenderer",
        "kolregistry.api.renderers.RegistryBrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "kolregistry.api.autoschema.RegistryAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# The apps' API URL modules, mounted under /api/v1/ in this order; each defines the ``router`` whose
# resources the API root lists. Named here so that the core (kolregistry.api.urls) imports no app.
API_URLCONFS = ["partners.api.urls", "campaigns.api.urls"]

SPECTACULAR_SETTINGS = {
    "TITLE": "KOL partnership registry API",
    "DESCRIPTION": "Agencies, partner companies, KOL rosters, MOUs and campaigns.",
    "VERSION": "1.0.0",
    # OpenAPI 3.1: a nullable reference is oneOf [ref, null], which strict validators and generators accept.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The same schema whoever asks: it documents the fields partner users never receive too.
    "GET_MOCK_REQUEST": "kolregistry.api.schema.build_schema_request",
    # Foreign keys are brief objects in responses and plain ids in requests.
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs are served only to logged-in users, like the rest of the API.
    "SERVE_PERMISSIONS": ["accounts.permissions.RegistryPermission"],
    # Swagger UI and ReDoc come from drf-spectacular-sidecar (pinned in requirements.txt), served by the
    # registry itself: it runs where there is no internet, and the CSP allows scripts only from itself.
    # ReDoc's page takes the bundle from kolregistry/api/docs.py, which leaves out its one external image.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PlatformEnum": "partners.choices.Platform",
        "AgencyKindEnum": "partners.choices.AgencyKind",
        "PartnerKindEnum": "partners.choices.PartnerKind",
        "KolKindEnum": "partners.choices.KolKind",
        "MouStatusEnum": "partners.choices.MouStatus",
        "MouPersonRoleEnum": "partners.choices.MouPersonRole",
        "MouSideEnum": "partners.choices.MouSide",
        "AssignmentRoleEnum": "campaigns.choices.AssignmentRole",
        "AssignmentStatusEnum": "campaigns.choices.AssignmentStatus",
    },
}

# Login lockout (django-axes): admin login and the token endpoint.
AXES_FAILURE_LIMIT = int(os.environ.get("KOLREG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("KOLREG_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A locked-out login gets 429 with Retry-After (JSON under /api/).
AXES_LOCKOUT_CALLABLE = "accounts.authentication.lockout_response"

# Lifetime of tokens from POST /api/v1/auth/token/; 0 = they never expire.
KOLREG_API_TOKEN_DAYS = int(os.environ.get("KOLREG_API_TOKEN_DAYS", "30"))

# X-Request-ID (django-guid): a valid incoming id (a UUID, e.g. from nginx's $request_id) is kept,
# anything else is replaced by a new UUID; the response always carries it.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "UUID_FORMAT": "string",
    "EXPOSE_HEADER": False,
}

# Logs go to stderr: plain text, or one JSON object per line with LOG_FORMAT=json. Every line
# carries the request id; kolregistry.requests logs one line per request (kolregistry/requestlog.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "kolregistry.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "kolregistry.requests": {"level": "INFO"},
        # The request line already has every 4xx; keep Django's own lines for server errors (tracebacks).
        "django.request": {"level": "ERROR"},
        # It warns about each client-sent id that is not a UUID; the id is replaced, which is enough.
        "django_guid": {"level": "ERROR"},
    },
}

# Spreadsheet import and export (kolregistry/sheets.py): a file is written in one transaction or not at all.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
# Rows one admin import may hold: the request must finish within gunicorn's 30 s timeout, and 1,000 rows
# take about 8 s (scripts/benchmark_sheets.py); manage.py import_sheet has no limit.
SHEET_ADMIN_MAX_ROWS = env_int("KOLREG_SHEET_ADMIN_MAX_ROWS", 1000, minimum=1)
