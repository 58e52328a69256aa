"""Settings shared by every profile; each value that differs between machines comes from the environment."""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.core.cache import failsafe

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"
(VAR_DIR / "staticfiles").mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-only-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
    "axes",
    "csp",
    "portal.core",
    "portal.regions",
    "portal.accounts",
    "alliances",
    "members",
    "services",
    "portal.notifications",
    "reports",
    "devtools",
]

MIDDLEWARE = [
    # The request's id (X-Request-ID) in every log record and in the response (portal/core/logs.py).
    "portal.core.logs.RequestIdMiddleware",
    # Latency and query count per URL name for /metrics (portal/core/metrics.py).
    "portal.core.metrics.MetricsMiddleware",
    # A 503 with Retry-After, not a 500, when the database is away (docs/operations.md). Its answer
    # still passes through every middleware below on the way out (security headers, CSP).
    "portal.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.core.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages and files that API records link to open with the API's token too (docs/api.md).
    "portal.core.middleware.ApiTokenPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the response of every sign-in attempt (DESIGN.md §4, issue 10).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.core.context_processors.navigation",
            ],
        },
    },
]

# Embedded default: SQLite in var/, so that `make run` needs no database server.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (threads of the web server, worker and beat share the file): readers do
    # not block the writer (WAL), a write transaction takes the lock at BEGIN (IMMEDIATE, Django
    # 5.1+) so that two writers queue instead of one failing on an upgrade, and a writer waits up to
    # 20 s for the lock (timeout, the busy timeout) instead of answering "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A Redis cache fails over to per-process memory while Redis does not answer (portal/core/cache.py).
CACHES = {
    "default": failsafe(
        env.cache("CACHE_URL", default="locmemcache://"),
        timeout=env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
    )
}
CACHE_RETRY_SECONDS = env.int("CACHE_RETRY_SECONDS", default=30)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A filter's "any" choice on the pages reads "—", like the yes/no and region selects.
FILTERS_EMPTY_CHOICE_LABEL = "—"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out user name and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.backends.RoleBackend",
]
# Five failed sign-ins of one user name from one address lock that pair out for 15 minutes; a
# shared office address is not locked as a whole, nor can anyone lock a user out everywhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.security.lockout_response"
# Reverse proxies in front of the portal (1 behind one nginx): the client's address is then read
# from the right of X-Forwarded-For, by one function for django-axes, the rate limits and the DRF
# throttles alike (portal.core.ratelimit.client_ip); 0 ignores the header. AXES_PROXY_COUNT is the
# variable's former name (it never reached django-axes, which reads it only through django-ipware).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
AXES_CLIENT_IP_CALLABLE = "portal.core.ratelimit.client_ip"
AXES_VERBOSE = False
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", default="5/h")
TOKEN_RATE_LIMIT = env("TOKEN_RATE_LIMIT", default="20/m")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=8)},
    },
    # Three of: capital letters, small letters, digits, other characters (等保 2.0, docs/security.md).
    {
        "NAME": "portal.accounts.validators.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env.int("PASSWORD_MIN_CLASSES", default=3)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads (photos, attachments, report files) on the file system under MEDIA_ROOT, or with
# STORAGE_BACKEND=s3 in a private S3-compatible bucket (MinIO on the intranet; docs/operations.md).
# Either way the portal's views check who asks; with the bucket they then redirect to a presigned
# GET that lives AWS_QUERYSTRING_EXPIRE seconds (portal/core/files.py).
STORAGE_BACKEND = env("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "portal.core.s3.PortalS3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default="us-east-1"),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            # private: no ACL is sent, objects get the bucket's (owner only); every read is signed
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
            "custom_domain": None,
            # a name already taken gets a suffix, as on the file system (a rebuilt report's
            # files are saved before the old ones are deleted)
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND != "filesystem":
    raise ImproperlyConfigured(
        f"STORAGE_BACKEND must be filesystem or s3, not {STORAGE_BACKEND!r}."
    )
# With the file system behind nginx: the `internal` location that serves MEDIA_ROOT (`/protected/`),
# so that the portal answers a permitted download with X-Accel-Redirect and nginx sends the file.
MEDIA_ACCEL_REDIRECT = env("MEDIA_ACCEL_REDIRECT", default="")

# Activity photos: the largest file accepted (bytes), and how long photos that were uploaded with a
# refused form wait in the storage for the corrected form before they are cleaned away.
ACTIVITY_PHOTO_MAX_BYTES = env.int("ACTIVITY_PHOTO_MAX_BYTES", default=8 * 1024 * 1024)
ACTIVITY_PENDING_PHOTO_HOURS = env.int("ACTIVITY_PENDING_PHOTO_HOURS", default=24)
DEMAND_ATTACHMENT_MAX_BYTES = env.int("DEMAND_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# The dashboard's quarter-so-far figures are cached this many seconds (docs/reports.md);
# quarterly reports name the district in their title.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
REPORT_DISTRICT_NAME = env("REPORT_DISTRICT_NAME", default="")

# Mail: EMAIL_URL such as smtp://user:pass@host:587 or smtp+tls://…; the console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="联盟门户 <noreply@alliance-portal.local>")
# A mail server that stops answering must not hold a request or a worker: give up after this many
# seconds. Mail not sent waits in the outbox (OutgoingMail) and is tried again with pauses of 1, 2, 4 …
# minutes (at most an hour) until this many attempts have failed (docs/operations.md).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=12)

# Notices on other channels (docs/notifications.md, docs/configuration.md "Notice channels"): each
# channel is off until its variables are set; an unconfigured channel's notices are recorded skipped.
# A send that fails is tried again after 1, 2, 4 … minutes (at most an hour) until NOTICE_MAX_ATTEMPTS.
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=12)
NOTICE_HTTP_TIMEOUT = env.int("NOTICE_HTTP_TIMEOUT", default=10)
# Sends per channel and minute; what is over waits for the next minute.
NOTICE_RATE_LIMITS = env.dict(
    "NOTICE_RATE_LIMITS",
    cast={"value": int},
    default={"email": 600, "sms": 30, "wecom": 600, "wecom_robot": 20},
)
# No SMS between these hours (Shanghai time, "from-to", empty for none): they go in the morning.
SMS_QUIET_HOURS = env("SMS_QUIET_HOURS", default="22-8")
SMS_PROVIDER = env("SMS_PROVIDER", default="aliyun")  # aliyun or tencent
# The approved template per kind of notice ("meeting_reminder=SMS_1,default=SMS_0"); its one
# parameter `content` carries the notice's short text.
SMS_TEMPLATE_CODES = env.dict("SMS_TEMPLATE_CODES", default={})
ALIYUN_SMS_BASE_URL = env("ALIYUN_SMS_BASE_URL", default="https://dysmsapi.aliyuncs.com")
ALIYUN_SMS_ACCESS_KEY_ID = env("ALIYUN_SMS_ACCESS_KEY_ID", default="")
ALIYUN_SMS_ACCESS_KEY_SECRET = env("ALIYUN_SMS_ACCESS_KEY_SECRET", default="")
ALIYUN_SMS_SIGN_NAME = env("ALIYUN_SMS_SIGN_NAME", default="")
ALIYUN_SMS_REGION = env("ALIYUN_SMS_REGION", default="cn-hangzhou")
TENCENT_SMS_BASE_URL = env("TENCENT_SMS_BASE_URL", default="https://sms.tencentcloudapi.com")
TENCENT_SMS_SECRET_ID = env("TENCENT_SMS_SECRET_ID", default="")
TENCENT_SMS_SECRET_KEY = env("TENCENT_SMS_SECRET_KEY", default="")
TENCENT_SMS_SDK_APP_ID = env("TENCENT_SMS_SDK_APP_ID", default="")
TENCENT_SMS_SIGN_NAME = env("TENCENT_SMS_SIGN_NAME", default="")
TENCENT_SMS_REGION = env("TENCENT_SMS_REGION", default="ap-guangzhou")
WECOM_BASE_URL = env("WECOM_BASE_URL", default="https://qyapi.weixin.qq.com")
WECOM_CORP_ID = env("WECOM_CORP_ID", default="")
WECOM_AGENT_ID = env("WECOM_AGENT_ID", default="")
WECOM_SECRET = env("WECOM_SECRET", default="")

# Links in e-mails sent outside a request (jobs) start with this address.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Self-registration of units: submissions per client address ("5/h", "20/d") on the form and the API
# together, and how long the confirmation link of the e-mail stays valid.
REGISTRATION_RATE_LIMIT = env("REGISTRATION_RATE_LIMIT", default="5/h")
REGISTRATION_CONFIRM_HOURS = env.int("REGISTRATION_CONFIRM_HOURS", default=48)

# Guests without an account check in to a meeting with their e-mail (docs/meetings.md): refused
# attempts per client address, so that the form cannot be used to try out addresses.
GUEST_CHECKIN_RATE_LIMIT = env("GUEST_CHECKIN_RATE_LIMIT", default="10/h")

# Meeting reminders (docs/meetings.md): a claim older than this is taken to be a dead worker's and
# sent again; the sweep looks this far ahead (longer offsets fire when the meeting comes this close);
# after-meeting reminders missed by more than the grace are dropped; a reminder that failed this many
# times is given up.
REMINDER_STALE_CLAIM_MINUTES = env.int("REMINDER_STALE_CLAIM_MINUTES", default=10)
REMINDER_MAX_OFFSET_MINUTES = env.int("REMINDER_MAX_OFFSET_MINUTES", default=30 * 24 * 60)
REMINDER_AFTER_GRACE_HOURS = env.int("REMINDER_AFTER_GRACE_HOURS", default=24)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# Accounts that may speak for one unit (its first contact and the colleagues it invites).
UNIT_CONTACTS_MAX = env.int("UNIT_CONTACTS_MAX", default=5)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The station map's background tiles ({z}/{x}/{y}, optionally {s}); on an intranet point it at a
# local tile server. Markers and the list beside the map work even when no tile loads.
# Empty: no tiles at all, the markers on a blank map. Tianditu (天地图) needs its key in the URL and
# the subdomains 0-7; its labels are a second layer, MAP_LABEL_URL (docs/configuration.md).
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_LABEL_URL = env("MAP_LABEL_URL", default="")
MAP_TILE_SUBDOMAINS = env("MAP_TILE_SUBDOMAINS", default="abc")


def tile_origin(url: str) -> str | None:
    """The map tiles' origin for the CSP: the host label holding `{s}` becomes `*`, so that
    `https://{s}.tile.example/…` and `https://t{s}.tianditu.gov.cn/…` are `https://*.tile.example`
    and `https://*.tianditu.gov.cn`. None for no URL."""
    if not url:
        return None
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0]
    labels = ["*" if "{s}" in label else label for label in host.split(".")]
    return f"{scheme}://{'.'.join(labels)}"


def tile_origins(*urls: str) -> list[str]:
    return list(dict.fromkeys(o for o in map(tile_origin, urls) if o))


def storage_origins(options: dict) -> list[str]:
    """Where the browser fetches a presigned URL of the bucket: the endpoint's origin (path style),
    the bucket's own host below it (virtual style), or both (auto)."""
    endpoint = options["endpoint_url"] or f"https://s3.{options['region_name']}.amazonaws.com"
    scheme, _sep, rest = endpoint.partition("://")
    host = rest.split("/", 1)[0]
    path_style = f"{scheme}://{host}"
    virtual = f"{scheme}://{options['bucket_name']}.{host}"
    return {"path": [path_style], "virtual": [virtual]}.get(
        options["addressing_style"], [path_style, virtual]
    )


# Scripts, styles, fonts and data only from the portal itself: every asset is vendored and no
# template holds an inline script or event handler. Inline style attributes are allowed (Bootstrap
# utilities and the admin use them); images also from the map's tile server, as blob: previews,
# and from the bucket of uploads when there is one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *tile_origins(MAP_TILE_URL, MAP_LABEL_URL)],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if STORAGE_BACKEND == "s3":  # photos shown in a page follow the portal's redirect to the bucket
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] += storage_origins(
        STORAGES["default"]["OPTIONS"]
    )
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)

# Celery. The embedded default is kombu's filesystem transport: a broker that needs no server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(BROKER_DIR),
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Acks late: a task taken by a worker that dies goes back to the queue once this many seconds
    # have passed since it was taken (docs/operations.md). Longer than any task runs: an hour.
    _visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_timeout,
        # How often a waiting worker looks for such tasks: a tenth of the timeout, at least 1 s.
        "unacked_restore_interval": max(1, _visibility_timeout // 10),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "portal.core.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
    "purge-pending-photos": {
        "task": "services.tasks.purge_pending_photos",
        "schedule": 60 * 60,
    },
    # Each run is safe beside another; a run still queued after a minute is dropped, not piled up.
    "send-meeting-reminders": {
        "task": "alliances.tasks.send_meeting_reminders",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # The outboxes (docs/operations.md): mail the mail server refused, and tasks the broker could
    # not take when they were queued. Each row is sent by one run only.
    "send-pending-mail": {
        "task": "portal.notifications.tasks.send_pending_mail",
        "schedule": 60,
        "options": {"expires": 55},
    },
    "send-pending-notices": {
        "task": "portal.notifications.tasks.send_pending_notices",
        "schedule": 60,
        "options": {"expires": 55},
    },
    "drain-pending-tasks": {
        "task": "portal.notifications.tasks.drain_pending_tasks",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # Daily at 08:00 Shanghai time; a second run the same day reminds nobody twice.
    "mark-overdue-demands": {
        "task": "services.tasks.mark_overdue_demands",
        "schedule": crontab(hour=8, minute=0),
    },
    # The quarter just ended, on the first day of the next at 02:00 Shanghai time: one task per
    # report, each mailed to its subscribers once (docs/reports.md).
    # The public datasets (open data), afresh every night at 03:00 Shanghai time.
    "build-open-data": {
        "task": "reports.tasks.build_open_data",
        "schedule": crontab(hour=3, minute=0),
    },
    "build-quarterly-reports": {
        "task": "reports.tasks.build_quarterly_reports",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year="1,4,7,10"),
    },
}

# `manage.py backup` deletes backups older than this many days after writing one (0 keeps all).
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=0)

# The API's JSON bodies: at most this many bytes (Django's DATA_UPLOAD_MAX_MEMORY_SIZE default) and
# arrays/objects nested at most this deep; beyond either the answer is 400 parse_error.
API_JSON_MAX_BYTES = env.int("API_JSON_MAX_BYTES", default=2_621_440)
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=64)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The portal's own tokens (portal.accounts.models.ApiToken): revocable, optionally read-only.
        "portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.ScopedPermission"],
    # JSON bounded by API_JSON_MAX_BYTES and API_JSON_MAX_DEPTH (400 parse_error beyond them).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "portal.api.filters.PortalSearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "portal.api.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # DRF's own reading of the client address (a throttle's get_ident): None would trust any
    # X-Forwarded-For a client sends.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "portal.api.exceptions.PortalExceptionHandler",
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "415",
        "429",
        "500",
    ],
    "ERROR_SCHEMAS": {"409": "portal.api.openapi.ErrorResponse409Serializer"},
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance Portal API",
    "DESCRIPTION": "区域化党建联盟门户 REST API. Authenticate with `Authorization: Token <key>` "
    "from POST /api/v1/auth/token/, or with the browser session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AllianceStatusEnum": "alliances.choices.AllianceStatus",
        "UnitStatusEnum": "members.choices.UnitStatus",
        "MembershipRoleEnum": "alliances.choices.MembershipRole",
        # Two models have a `kind`: the alliances' keeps the name it had before stations came.
        "KindEnum": "alliances.choices.AllianceKind",
        "StationKindEnum": "services.choices.StationKind",
        "MeetingKindEnum": "alliances.choices.MeetingKind",
        # The three lists (issue 6): several of their models have a status, a kind or a role.
        "DemandStatusEnum": "services.choices.DemandStatus",
        "DemandCategoryEnum": "services.choices.DemandCategory",
        "DemandSourceEnum": "services.choices.DemandSource",
        "DemandEventKindEnum": "services.choices.DemandEventKind",
        "ProjectStatusEnum": "services.choices.ProjectStatus",
        "ProjectEventKindEnum": "services.choices.ProjectEventKind",
        "ParticipantRoleEnum": "services.choices.ParticipantRole",
        "ClaimKindEnum": "services.choices.ClaimKind",
        "ClaimStatusEnum": "services.choices.ClaimStatus",
        "ApiTokenStatusEnum": "portal.accounts.models.ApiTokenStatus",
        # The channels a user may choose, one list per kind of notice (portal/notifications).
        "NoticeChannelEnum": "portal.notifications.notices.CHOOSABLE",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode409Enum": "portal.api.openapi.ErrorCode409Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}

# Logs go to the console, as text (today's format) or with LOG_FORMAT=json one JSON object per line
# carrying the request's or the Celery task's id (portal/core/logs.py, docs/operations.md).
LOG_FORMAT = env("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "portal.core.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
# A worker keeps these handlers instead of installing Celery's own, so that its lines are JSON too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# /metrics (Prometheus, docs/operations.md): from these addresses or networks, or with
# `Authorization: Bearer <METRICS_TOKEN>`; anyone else gets a 404.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1"])
for _entry in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_entry, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS: {_entry!r} is neither an address nor a network."
        ) from None
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# Error reports to Sentry only when SENTRY_DSN is set; no personal data is sent (portal/core/sentry.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from portal.core.sentry import init as sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
