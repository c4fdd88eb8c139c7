"""MPP Digital settings: every knob is an environment variable (README, "Configuration").

The same code runs a small kabupaten on one machine (SQLite, local files, console e-mail)
and the nation on PostgreSQL with S3 storage and SMTP; only the environment differs.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from pythonjsonlogger.core import RESERVED_ATTRS

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(environ.Env().str("MPP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
MPP_DEMO = env.bool("MPP_DEMO", default=False)
# Behind plain HTTP on a laptop (make run) the secure-cookie and redirect settings must be off.
MPP_HTTPS = env.bool("MPP_HTTPS", default=not DEBUG)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (see README).")
    SECRET_KEY = "insecure-debug-only-key"  # noqa: S105 - only reachable with DEBUG on

# Field encryption (NIK, phone): Fernet keys, newest first, and the HMAC key for look-ups.
MPP_FIELD_KEYS = env.list("MPP_FIELD_KEYS", default=[])
MPP_LOOKUP_KEY = env.str("MPP_LOOKUP_KEY", default="")
if not (MPP_FIELD_KEYS and MPP_LOOKUP_KEY):
    if not DEBUG:
        raise ImproperlyConfigured("MPP_FIELD_KEYS and MPP_LOOKUP_KEY are required (see README).")
    MPP_FIELD_KEYS = ["ZGVidWctb25seS1maWVsZC1rZXktMDEyMzQ1Njc4OTA="]  # debug only
    MPP_LOOKUP_KEY = "debug-only-lookup-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prometheus",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "mpp.core",
    "mpp.regions",
    "mpp.catalog",
    "mpp.accounts",
    "mpp.cases",
    "mpp.workflow",
    "mpp.notifications",
    "mpp.integrations",
    "mpp.web",
    "oauth2_provider",  # after our apps: our templates (consent page) override its own
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mpp.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "mpp.config.urls"
WSGI_APPLICATION = "mpp.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mpp.accounts.backends.IdentifierBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Brute force: 5 failures per identifier and address lock it for 30 minutes (django-axes).
AXES_FAILURE_LIMIT = env.int("MPP_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Staff sign in with a second factor (TOTP) and get shorter sessions than citizens.
OTP_TOTP_ISSUER = "MPP Digital"
SESSION_COOKIE_AGE = env.int("MPP_SESSION_SECONDS", default=14 * 24 * 3600)
MPP_STAFF_SESSION_SECONDS = env.int("MPP_STAFF_SESSION_SECONDS", default=8 * 3600)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mpp.web.context_processors.site",
                "mpp.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Single sign-on for agency apps: an OpenID Connect provider (django-oauth-toolkit, /o/).
_oidc_key_file = env.str("MPP_OIDC_PRIVATE_KEY_FILE", default="")
MPP_OIDC_PRIVATE_KEY = (
    Path(_oidc_key_file).read_text()
    if _oidc_key_file
    else env.str("MPP_OIDC_PRIVATE_KEY", default="", multiline=True)
)
if not MPP_OIDC_PRIVATE_KEY and not DEBUG:  # in debug, only the OIDC endpoints fail without it
    raise ImproperlyConfigured("MPP_OIDC_PRIVATE_KEY(_FILE) is required (see README).")
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": MPP_OIDC_PRIVATE_KEY,
    "OIDC_ISS_ENDPOINT": env.str("MPP_OIDC_ISSUER", default=""),  # default: <origin>/o
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    "OAUTH2_VALIDATOR_CLASS": "mpp.accounts.oidc.MppOAuth2Validator",
    "SCOPES": {
        "openid": _("Masuk dengan akun MPP Digital Anda"),
        "profile": _("Nama, tanggal lahir, dan jenis kelamin"),
        "email": _("Alamat e-mail"),
        "phone": _("Nomor ponsel"),
        "nik": _("NIK dan tingkat kepastian identitas"),
        "applications": _("Mengajukan dan melihat permohonan layanan atas nama Anda"),
        # Client credentials of an agency's own system (integrations/inbound.py), never a person.
        "agency": _("Sistem instansi: memproses permohonan yang ditangani instansi ini"),
    },
    "DEFAULT_SCOPES": ["openid"],
    # Plain-http callbacks only where the platform itself runs on plain HTTP (laptop, tests).
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if MPP_HTTPS and not DEBUG else ["https", "http"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "force",  # the citizen sees the consent screen every time
    # RP-initiated logout (end_session_endpoint): an app signs the person out of MPP Digital too;
    # without a valid id_token_hint of the signed-in person we ask first. Only registered
    # post-logout addresses are followed.
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    # RFC 9700 (OAuth 2.0 security BCP): no implicit or password grant, S256 PKCE only, tokens
    # only in headers, `iss` in authorization responses, tokens hashed at rest; an insecure
    # setting above is an error, not a warning, in `check --deploy`.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": MPP_HTTPS and not DEBUG,
    # Clients and tokens in the admin: national admins only (the toolkit registers these).
    "APPLICATION_ADMIN_CLASS": "mpp.accounts.oidc_admin.ApplicationAdmin",
    "ACCESS_TOKEN_ADMIN_CLASS": "mpp.accounts.oidc_admin.AccessTokenAdmin",
    "GRANT_ADMIN_CLASS": "mpp.accounts.oidc_admin.GrantAdmin",
    "ID_TOKEN_ADMIN_CLASS": "mpp.accounts.oidc_admin.IDTokenAdmin",
    "REFRESH_TOKEN_ADMIN_CLASS": "mpp.accounts.oidc_admin.RefreshTokenAdmin",
}

# --- Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL=postgres://...
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mpp.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
# Persistent connections, one per worker thread: a request skips the connect (and, on SQLite, the
# PRAGMAs above and the schema read), 2-3 ms of a cached catalogue answer.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# --- Language: Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Files: local folders by default, any S3-compatible store in production.
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"
MPP_STORAGE = env.str("MPP_STORAGE", default="file")
_default_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MPP_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MPP_S3_BUCKET"),
            "endpoint_url": env.str("MPP_S3_ENDPOINT_URL", default=None),
            "access_key": env.str("MPP_S3_ACCESS_KEY"),
            "secret_key": env.str("MPP_S3_SECRET_KEY"),
            "region_name": env.str("MPP_S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
elif MPP_STORAGE != "file":
    raise ImproperlyConfigured("MPP_STORAGE must be 'file' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- E-mail: console unless EMAIL_URL names an SMTP server (smtp+tls://user:pass@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
# SMS and WhatsApp leave through the gateway adapter registered under this name
# (mpp.notifications.channels); the console ones only log, in demo mode and development.
MPP_SMS_GATEWAY = env.str("MPP_SMS_GATEWAY", default="console_sms")
MPP_WHATSAPP_GATEWAY = env.str("MPP_WHATSAPP_GATEWAY", default="console_whatsapp")
# The generic HTTP gateways ("http_sms", "http_whatsapp"): POST {"to", "text"} with a bearer token.
MPP_SMS_HTTP_URL = env.str("MPP_SMS_HTTP_URL", default="")
MPP_SMS_HTTP_TOKEN = env.str("MPP_SMS_HTTP_TOKEN", default="")
MPP_WHATSAPP_HTTP_URL = env.str("MPP_WHATSAPP_HTTP_URL", default="")
MPP_WHATSAPP_HTTP_TOKEN = env.str("MPP_WHATSAPP_HTTP_TOKEN", default="")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MPP Digital <noreply@mpp.localhost>")

# --- Security.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = MPP_HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = MPP_HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if MPP_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = MPP_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("MPP_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# --- Operations.
PROMETHEUS_EXPORT_MIGRATIONS = False
MPP_METRICS_TOKEN = env.str("MPP_METRICS_TOKEN", default="")
LOG_FORMAT = env.str("MPP_LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Django passes the request along with 4xx/5xx records; its repr carries the query
            # string (a tracking number and NIK digits, a token), so it stays out of the logs.
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Background work: task rows in the same database, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env.str("MPP_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}
MPP_POPULATION_REGISTRY = env.str("MPP_POPULATION_REGISTRY", default="demo")  # or "registry_http"
MPP_REGISTRY_HTTP_URL = env.str("MPP_REGISTRY_HTTP_URL", default="")
MPP_REGISTRY_HTTP_TOKEN = env.str("MPP_REGISTRY_HTTP_TOKEN", default="")
# Complaints forwarded to SP4N-LAPOR! (integrations/complaints.py): "demo" or "lapor_http".
MPP_COMPLAINT_FORWARDER = env.str("MPP_COMPLAINT_FORWARDER", default="demo")
MPP_LAPOR_URL = env.str("MPP_LAPOR_URL", default="")
MPP_LAPOR_TOKEN = env.str("MPP_LAPOR_TOKEN", default="")
# Seconds to wait for any adapter's HTTP answer (connect: 3 s).
MPP_ADAPTER_TIMEOUT = env.float("MPP_ADAPTER_TIMEOUT", default=10.0)
MPP_UPLOAD_MAX_BYTES = env.int("MPP_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
MPP_MALWARE_SCANNER = env.str("MPP_MALWARE_SCANNER", default="noop")  # or "clamd"
MPP_CLAMD_ADDRESS = env.str("MPP_CLAMD_ADDRESS", default="tcp://127.0.0.1:3310")  # or unix:///…
MPP_DOWNLOAD_LINK_SECONDS = env.int("MPP_DOWNLOAD_LINK_SECONDS", default=300)
# How long a server process keeps what filing needs of an offering (cases/filing.py).
MPP_FILING_CACHE_SECONDS = env.int("MPP_FILING_CACHE_SECONDS", default=60)
# How long a submission's Idempotency-Key is remembered (a retry within it gets the first answer);
# `workflow_timers` removes older ones hourly (cases/housekeeping.py).
MPP_IDEMPOTENCY_KEY_HOURS = env.int("MPP_IDEMPOTENCY_KEY_HOURS", default=72)
# Drafts untouched this long are removed by the same hourly run.
MPP_DRAFT_DAYS = env.int("MPP_DRAFT_DAYS", default=30)
# The public address: printed on issued documents and receipts (their QR codes point here) and
# put in front of links in e-mail and SMS.
MPP_PUBLIC_URL = env.str("MPP_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
MPP_WORKING_HOURS = env.str("MPP_WORKING_HOURS", default="08:00-16:00")  # region local time
# Outbox delivery to agency systems (integrations/delivery.py): retries back off exponentially
# from BACKOFF seconds, with jitter, capped at BACKOFF_MAX, for RETRY_HOURS, then dead-letter.
MPP_OUTBOX_TIMEOUT = env.float("MPP_OUTBOX_TIMEOUT", default=10.0)
MPP_OUTBOX_BACKOFF = env.float("MPP_OUTBOX_BACKOFF", default=2.0)
MPP_OUTBOX_BACKOFF_MAX = env.float("MPP_OUTBOX_BACKOFF_MAX", default=3600.0)
MPP_OUTBOX_RETRY_HOURS = env.float("MPP_OUTBOX_RETRY_HOURS", default=24.0)
MPP_OUTBOX_CIRCUIT_FAILURES = env.int("MPP_OUTBOX_CIRCUIT_FAILURES", default=5)
# Endpoints on loopback/private addresses (the agency simulator): demo and development only.
MPP_OUTBOX_PRIVATE_HOSTS = env.bool("MPP_OUTBOX_PRIVATE_HOSTS", default=DEBUG or MPP_DEMO)

# --- Caches, per process. "reads" keeps public answers (catalog/read_cache.py; each checks a
# fingerprint of its rows on use): anonymous visitors fill it, so it is kept apart from "default",
# where the rate-limit counters live and a flood of new searches must not evict them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mpp"},
    "reads": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "mpp-reads",
        "OPTIONS": {"MAX_ENTRIES": env.int("MPP_CACHE_ENTRIES", default=2000)},
    },
}

# --- API.
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200
