"""Settings for Sáng tạo. Every value comes from the environment; see docs/configuration.md.

SQLite is the embedded default; PostgreSQL through DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-change-me" if DEBUG or os.environ.get("SANGTAO_TESTING") else None
)
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "treebeard",
    "simple_history",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "sangtao.common",
    "sangtao.orgs",
    "sangtao.accounts",
    "sangtao.campaigns",
    "sangtao.registrations",
    "sangtao.reports",
    "sangtao.appraisals",
    "sangtao.coverage",
    "sangtao.notifications",
    "sangtao.dashboard",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "sangtao.api",
    "sangtao.exchange",
    "sangtao.signatures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sangtao.common.middleware.RequestIdMiddleware",
    "sangtao.common.middleware.RejectNulMiddleware",
    "sangtao.common.ops.MetricsMiddleware",
    "sangtao.common.ops.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sangtao.common.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # our 405 page, and our 404 page under DEBUG — inside CSP and X-Frame-Options, so that the page it draws gets
    # their headers too
    "sangtao.dashboard.errors.ErrorPageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sangtao.accounts.middleware.IdleTimeoutMiddleware",
    "sangtao.accounts.middleware.RequireMfaMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sangtao.urls"
WSGI_APPLICATION = "sangtao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sangtao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sangtao.accounts.context_processors.roles",
                "sangtao.notifications.context_processors.notifications",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# A read replica (PostgreSQL streaming replica) for read-only pages: dashboards, coverage, lists.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["sangtao.common.ops.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background import write while pages read; IMMEDIATE avoids "database is locked"
    # upgrades in the middle of a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, numbers: Vietnamese first -------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["sangtao.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# --- Static and media ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "sangtao" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded files (evidence, attachments, generated letters) go through Django's storage API: the local
# folder MEDIA_ROOT (outside the web root, never served directly) or, with SANGTAO_S3_BUCKET set, an
# S3-compatible object store (MinIO, Ceph, a cloud) shared by every web node. Either way files are only
# handed out by views that check permission.
S3_BUCKET = os.environ.get("SANGTAO_S3_BUCKET", "")
DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("SANGTAO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SANGTAO_S3_REGION") or None,
            "access_key": os.environ.get("SANGTAO_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("SANGTAO_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not os.environ.get("SANGTAO_TESTING")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or bool(os.environ.get("SANGTAO_TESTING"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Evidence of results reports [product rule R-E1]: per file and per report (MB).
SANGTAO_EVIDENCE_MAX_FILE_MB = int(os.environ.get("SANGTAO_EVIDENCE_MAX_FILE_MB", "20"))
SANGTAO_EVIDENCE_MAX_REPORT_MB = int(os.environ.get("SANGTAO_EVIDENCE_MAX_REPORT_MB", "100"))
SANGTAO_IMPORT_MAX_BYTES = int(os.environ.get("SANGTAO_IMPORT_MAX_BYTES", str(30 * 1024 * 1024)))
# Every date a person types lies in [1/1 of this year, 31/12 of the current year + this many years] (issue 15 item 15).
SANGTAO_DATE_MIN_YEAR = int(os.environ.get("SANGTAO_DATE_MIN_YEAR", "2000"))
SANGTAO_DATE_MAX_YEARS_AHEAD = int(os.environ.get("SANGTAO_DATE_MAX_YEARS_AHEAD", "10"))
# Party documents' page margins in mm, top,bottom,left,right (sources differ: 20,20,30,15 or 25,25,35,15; SPEC §8a).
SANGTAO_DOCUMENT_MARGINS_MM = tuple(
    int(x) for x in os.environ.get("SANGTAO_DOCUMENT_MARGINS_MM", "20,20,30,15").split(",")
)
# Party documents are numbered per issuing body, type and term (nhiệm kỳ); by default a term starts on 1 January of
# one of these years (a committee's own congress dates: `manage.py committee_term`).
SANGTAO_TERM_START_YEARS = [
    int(x) for x in os.environ.get("SANGTAO_TERM_START_YEARS", "2010,2015,2020,2025,2030,2035").split(",")
]

# --- Cache and background work ---------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
# Without a broker, long jobs (imports) run in a thread of the web process so the page can show
# their progress; tests turn this off and run them inline.
SANGTAO_THREAD_JOBS = env_bool("SANGTAO_THREAD_JOBS", not CELERY_BROKER_URL)

# --- Accounts: allauth, MFA, lockout, sessions ---------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "sangtao.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {"login_failed": False}  # lockout is django-axes' job
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "sangtao.accounts.forms.LockingAuthenticateForm",  # wrong codes count as failed logins
    "reauthenticate": "sangtao.accounts.forms.LockingReauthenticateForm",
}
MFA_TOTP_ISSUER = "Sáng tạo"
# One 30-second step either side: phones and office PCs drift, and a code typed at the end of its window still
# counts. Each code is accepted once (allauth keeps used codes in the shared cache).
MFA_TOTP_TOLERANCE = int(os.environ.get("SANGTAO_TOTP_TOLERANCE", "1"))
# Roles whose users must have TOTP before they may do anything (configurable, comma-separated).
SANGTAO_MFA_REQUIRED_ROLES = env_list("SANGTAO_MFA_REQUIRED_ROLES", "admin,appraiser")
SANGTAO_IDLE_TIMEOUT_SECONDS = int(os.environ.get("SANGTAO_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "sangtao.dashboard.errors.csrf_failure"  # our page, in Vietnamese, with a way back
SESSION_COOKIE_SAMESITE = "Lax"

# How many reverse proxies (nginx, HAProxy) stand in front of the app and append to X-Forwarded-For; the client
# address for throttling and the audit log is taken that many places from the right. 0 = REMOTE_ADDR.
SANGTAO_TRUSTED_PROXY_COUNT = int(os.environ.get("SANGTAO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "sangtao.common.middleware.client_ip"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "sangtao.accounts.adapters.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_ENABLE_ADMIN = False

# --- Security headers --------------------------------------------------------------------------------
from csp.constants import NONE, SELF  # noqa: E402

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
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sangtao@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Reminders [product rule V1]: days before a deadline when units still missing are reminded (each once).
# A coverage page recomputes stale figures over at most this many organizations itself; more (a campaign's first
# read, a change at a national level) is left to the background task and the page says the figures are updating.
SANGTAO_COVERAGE_INLINE_LIMIT = int(os.environ.get("SANGTAO_COVERAGE_INLINE_LIMIT", "20000"))
SANGTAO_REMINDER_DAYS = [int(x) for x in os.environ.get("SANGTAO_REMINDER_DAYS", "7,1").split(",") if x.strip()]
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {"task": "sangtao.coverage.tasks.send_due_reminders", "schedule": 6 * 3600},
    "requeue-stale-jobs": {"task": "sangtao.common.tasks.requeue_stale_jobs", "schedule": 120},
    "refresh-coverage-tallies": {"task": "sangtao.coverage.tasks.refresh_tallies", "schedule": 60},
    # one e-mail a day to those who chose the digest of their notifications (notifications.tasks)
    "send-notification-digests": {
        "task": "sangtao.notifications.tasks.send_digests",
        "schedule": crontab(hour=int(os.environ.get("SANGTAO_DIGEST_HOUR", "17")), minute=0),
    },
}
# A task is acknowledged after it ran; a worker killed mid-task leaves it to be redelivered. The visibility
# timeout must exceed the longest task (a national export); the outbox sweep above covers lost messages.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("SANGTAO_TASK_VISIBILITY_SECONDS", "3600"))}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sangtao.api.authentication.MfaTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "sangtao.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("SANGTAO_API_RATE", "2000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sáng tạo API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sangtao.api.schema.add_error_responses",
    ],
    "DESCRIPTION": "Đọc dữ liệu tổ chức, cán bộ, đợt, đăng ký, báo cáo kết quả, thẩm định và tổng hợp, theo đúng quyền "
    "của tài khoản (khóa API tạo ở trang Tài khoản của tôi).",
}

SANGTAO_METRICS_TOKEN = os.environ.get("SANGTAO_METRICS_TOKEN", "")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")  # "json" for one JSON object per line

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sangtao.common.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "sangtao.common.ops.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "celery": {"level": "WARNING"},
    },
}

# Site name shown on every page and in the TOTP issuer.
SANGTAO_SITE_NAME = os.environ.get("SANGTAO_SITE_NAME", "Sáng tạo — Mô hình mới, cách làm sáng tạo")
# The address people open the app at, for the links in e-mailed notifications (https://sangtao.example.vn).
SANGTAO_SITE_URL = os.environ.get("SANGTAO_SITE_URL", "http://127.0.0.1:8000")
