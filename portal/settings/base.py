"""Settings shared by every environment; the environment-specific modules import from here."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from portal.env import env_bool, env_int, env_list, env_mapping, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.accounts.apps.AccountsConfig",
    "portal.extensions",
    "portal.apps.PortalConfig",
    "portal.register",
    "portal.content",
    "skjema",
    "sok",
    "plassering",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.accounts.apps.PortalUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # platform: background jobs (django-tasks on django-tasks-db's table) and the CSP
    "django_tasks",
    "django_tasks_db",
    "portal.jobs",
    "csp",
    # login: local accounts with rate limits and MFA, OpenID Connect (docs/drift.md)
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
]

MIDDLEWARE = [
    "portal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # platform: static files (hashed, compressed, cached for a year) and the security headers
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.security.ContentSecurityPolicyMiddleware",
    "portal.security.PermissionsPolicyMiddleware",
    "portal.security.UrlIntegerGuardMiddleware",
    "portal.security.PublicAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.language.UserLanguageMiddleware",
    "portal.errors.MethodNotAllowedPageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.AdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.sessions.SessionExpiryMiddleware",  # platform: idle and absolute limits
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.accounts.context_processors.roles",
                "portal.accounts.sessions.session_timing",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # platform: the web server and the job worker share the file; wait for a lock, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "login"
WAGTAIL_FRONTEND_LOGIN_URL = "/logg-inn/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "nb"
# The portal's pages in both written standards; a signed-in user's choice wins over the
# language cookie and Accept-Language (portal.accounts.language). The Wagtail admin and the
# Django admin stay bokmål: Wagtail ships no nynorsk.
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk")]
WAGTAIL_CONTENT_LANGUAGES = [("nb", "Norsk bokmål")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Decimal comma, thin space between thousands, «6. desember 2026» in prose, «06.12.2026» in
# tables (the SHORT_DATE_FORMAT), the same for nb and nn.
FORMAT_MODULE_PATH = ["portal.formats"]
LANGUAGE_COOKIE_NAME = "sprak"
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# E-mail: SMTP when EMAIL_HOST is set, otherwise the environment module decides.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Bosettingsportalen <ikke-svar@bosetting.example>"
)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)

# Search: the portal's own search (sok) picks Elasticsearch when a URL is given.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "") or ""
SOK_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "database"
SOK_INDEX_PREFIX = env_str("SOK_INDEX_PREFIX", "bosetting")
# Placement: households are deleted this many days after their last allocation is closed.
PLASSERING_HOUSEHOLD_RETENTION_DAYS = env_int("PLASSERING_HOUSEHOLD_RETENTION_DAYS", 90)

WAGTAIL_SITE_NAME = "Bosettingsportalen"
# PORTAL_BASE_URL: the public address, for links in e-mails, the API and the page API, and
# the Wagtail site's host (set by `manage.py set_site_host`, and by load_demo).
PORTAL_BASE_URL = (
    env_str("PORTAL_BASE_URL") or env_str("WAGTAILADMIN_BASE_URL") or "http://127.0.0.1:8000"
).rstrip("/")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL") or PORTAL_BASE_URL
if (_public_host := urlsplit(PORTAL_BASE_URL).hostname) and _public_host not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_public_host)  # API links use it (portal.security.PublicAddress…)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILAPI_BASE_URL = PORTAL_BASE_URL
SKJEMA_REMINDER_DAYS = env_list("SKJEMA_REMINDER_DAYS", ["14", "7", "1"])
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)  # seconds; e-mails go out in a job, never a page
WAGTAIL_I18N_ENABLED = False
# Passwords are reset through the portal's own login (allauth, rate-limited, or the OIDC
# provider), never through a second, unthrottled form in Wagtail's admin.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a bad token is answered 401 with a WWW-Authenticate header.
        "portal.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.accounts.permissions.HasPortalRole"],
    # JSON the stack can store: no NUL, no lone surrogate, no deep nesting (portal/api_parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api_parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.register.filters.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Rate limits (portal/api_throttling.py): per address, per user, and on the token endpoint.
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api_throttling.AnonThrottle",
        "portal.api_throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANON", "60/min"),
        "user": env_str("API_RATE_USER", "600/min"),
        "token": env_str("API_RATE_TOKEN", "10/min"),
    },
    "EXCEPTION_HANDLER": "portal.api_throttling.exception_handler",
}
# API tokens (portal/accounts/tokens.py): hashed at rest, named, with an expiry.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
API_TOKEN_FAILURES_PER_MINUTE = env_int("API_TOKEN_FAILURES_PER_MINUTE", 20)
# Tokens from before (rest_framework.authtoken) keep working this many days after the move.
API_TOKEN_MIGRATED_DAYS = env_int("API_TOKEN_MIGRATED_DAYS", 90)
SPECTACULAR_SETTINGS = {
    "TITLE": "Bosettingsportalen API",
    "DESCRIPTION": "Kommuneregister, kommuneprofiler og søk for bosetting av flyktninger.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["portal.api_schema.only_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api_schema.document_errors",  # platform
        "portal.api_schema.state_input_rules",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SubmissionStatusEnum": "skjema.models.submissions.Status",
        "RoundStatusEnum": "skjema.models.rounds.Round.Status",
        "StatisticStatusEnum": "portal.register.models.StatisticValue.Status",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.observability.RequestIdFilter"}},
    "formatters": {"json": {"()": "portal.observability.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# ---------------------------------------------------------------------------------------------
# platform: background jobs, static files, uploads and security headers (see docs/drift.md)

# Background jobs: Django's tasks API; django-tasks-db stores them, `manage.py run_jobs` runs
# them (portal.jobs adds retries with backoff, leases and per-job limits).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz/ready reports "degraded" when a due job has waited longer than this.
HEALTH_QUEUE_AGE_SECONDS = env_int("HEALTH_QUEUE_AGE_SECONDS", 300)
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 60)  # a dead worker's job is retaken after
JOBS_ISOLATION = env_str("JOBS_ISOLATION", "fork")  # "fork": each job in a limited child
# Periodic jobs, enqueued by whichever worker sees them due first: name -> (task, seconds).
JOBS_SCHEDULE = {
    "paminnelser": ("skjema.tasks.send_reminders", env_int("REMINDER_INTERVAL_SECONDS", 300)),
    "sok-utboks": ("sok.tasks.push_search_updates", 60),
    "saksdokumenter": (
        "skjema.tasks.send_preparatory_documents",
        env_int("PREPARATORY_SEND_INTERVAL_SECONDS", 900),
    ),
    "rydd-plandokumenter": ("skjema.tasks.delete_replaced_plan_documents", 24 * 3600),
    "rydd-jobber": ("portal.jobs.tasks.prune_jobs", 24 * 3600),
    "slett-husholdninger": ("plassering.tasks.delete_expired_households", 24 * 3600),
}
PLAN_DOCUMENT_GRACE_DAYS = env_int("PLAN_DOCUMENT_GRACE_DAYS", 7)
# Preparatory documents (skjema/preparatory/summary.py): «settled far below decided» is settled
# under this percentage of decided, in a year with at least PREPARATORY_MIN_DECIDED decided.
PREPARATORY_SETTLED_BELOW_PERCENT = env_int("PREPARATORY_SETTLED_BELOW_PERCENT", 75)
PREPARATORY_MIN_DECIDED = env_int("PREPARATORY_MIN_DECIDED", 5)
# The approved document is sent three weeks before the county meeting; IMDi is reminded this
# many days before that day while the current version is not approved.
PREPARATORY_APPROVAL_REMINDER_DAYS = env_int("PREPARATORY_APPROVAL_REMINDER_DAYS", 3)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600  # hashed names, so a year is safe
# Uploaded files are never served from MEDIA_URL: documents (drafts, plans) only through
# Wagtail's permission-checked serve view, as attachments with `CSP: default-src 'none'`.
# Only the public image renditions live under MEDIA_URL/images/ (see portal/urls.py).
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt", "pptx"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.security.DocumentForm"
# Behind a reverse proxy: let it send the file (X-Accel-Redirect), Django checks permission.
if env_str("SENDFILE_BACKEND"):
    SENDFILE_BACKEND = env_str("SENDFILE_BACKEND")
    SENDFILE_ROOT = str(MEDIA_ROOT)
    SENDFILE_URL = env_str("SENDFILE_URL", "/protected-media")
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no request to an outside host from the admin
WAGTAILADMIN_USER_AVATAR_PROVIDER = None

# Security headers. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=true so Django
# trusts its X-Forwarded-Proto (only then: a client could send the header itself).
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY_DENY = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
]
_CSP_STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_STRICT}
# The Wagtail admin and the API docs (Swagger UI, ReDoc) use inline scripts and styles.
CSP_RELAXED_PREFIXES = ["/admin/", "/django-admin/", "/api/v1/docs", "/api/v1/redoc"]
CSP_RELAXED_DIRECTIVES = {
    **_CSP_STRICT,
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "worker-src": ["'self'", "blob:"],
    "frame-ancestors": ["'self'"],
}

# ---------------------------------------------------------------------------------------------
# login: local accounts (rate limited, MFA for the admin) and OpenID Connect (see docs/drift.md)

# Sessions (portal/accounts/sessions.py): out after 30 minutes without activity (Ansattporten's
# rule) and 8 hours after login whatever the activity; the page warns SESSION_WARNING_SECONDS
# before.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 8) * 3600
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS

# LOCAL_LOGIN=false: only administrators and editors use a user name and password; county
# officers and KS log in with Ansattporten, IMDi with Entra ID.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
# The Wagtail and Django admin ask a TOTP code (or a recovery code) of password logins.
ADMIN_MFA_REQUIRED = env_bool("ADMIN_MFA_REQUIRED", True)

ACCOUNT_ADAPTER = "portal.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "portal.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False  # an OIDC login never meets a local account by its e-mail
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Failed logins per IP and per account (then even the right password waits), password resets.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "reset_password": env_str("RATE_LIMIT_RESET_PASSWORD", "20/m/ip,5/m/key"),
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bosettingsportalen"

# Ansattporten (county officers and KS): the Altinn resource whose authorization_details list
# the organisations a person may act for; County.organisation_number and KS's number map them.
ANSATTPORTEN_ISSUER = env_str("ANSATTPORTEN_ISSUER", "https://ansattporten.no").rstrip("/")
ANSATTPORTEN_CLIENT_ID = env_str("ANSATTPORTEN_CLIENT_ID", "")
ANSATTPORTEN_CLIENT_SECRET = env_str("ANSATTPORTEN_CLIENT_SECRET", "")
ANSATTPORTEN_ALTINN_RESOURCE = env_str(
    "ANSATTPORTEN_ALTINN_RESOURCE", "urn:altinn:resource:bosettingsportalen"
)
KS_ORGANISATION_NUMBER = env_str("KS_ORGANISATION_NUMBER", "")
# Microsoft Entra ID (IMDi staff): issuer https://login.microsoftonline.com/<tenant>/v2.0;
# ENTRA_GROUP_ROLES "group-id=imdi,group-id=redaktor,group-id=admin" (first match wins).
ENTRA_ISSUER = env_str("ENTRA_ISSUER", "").rstrip("/")
ENTRA_CLIENT_ID = env_str("ENTRA_CLIENT_ID", "")
ENTRA_CLIENT_SECRET = env_str("ENTRA_CLIENT_SECRET", "")
ENTRA_GROUP_ROLES = env_mapping(
    "ENTRA_GROUP_ROLES", {}, allowed={"imdi", "redaktor", "admin", "ks"}
)

_OIDC_APPS = []
if ANSATTPORTEN_CLIENT_ID:
    _OIDC_APPS.append(
        {
            "provider_id": "ansattporten",
            "name": "Ansattporten",
            "client_id": ANSATTPORTEN_CLIENT_ID,
            "secret": ANSATTPORTEN_CLIENT_SECRET,
            "settings": {
                "server_url": ANSATTPORTEN_ISSUER,
                "oauth_pkce_enabled": True,  # S256
                "scope": ["openid", "profile"],
                "auth_params": {
                    "authorization_details": json.dumps(
                        [
                            {
                                "type": "ansattporten:altinn:resource",
                                "resource": ANSATTPORTEN_ALTINN_RESOURCE,
                            }
                        ]
                    )
                },
            },
        }
    )
if ENTRA_CLIENT_ID:
    _OIDC_APPS.append(
        {
            "provider_id": "entra",
            "name": "Microsoft Entra ID",
            "client_id": ENTRA_CLIENT_ID,
            "secret": ENTRA_CLIENT_SECRET,
            "settings": {
                "server_url": ENTRA_ISSUER,
                "oauth_pkce_enabled": True,
                "scope": ["openid", "profile", "email"],
            },
        }
    )
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": _OIDC_APPS}}

# The login buttons post to allauth, which redirects to the provider: the CSP's form-action must
# allow the providers' origins, or the browser stops at the redirect (Chromium applies
# form-action to a form's redirects too; found by tests/e2e/test_oidc_login.py).
_OIDC_ORIGINS = sorted(
    {
        f"{u.scheme}://{u.netloc}"
        for u in (urlsplit(a["settings"]["server_url"]) for a in _OIDC_APPS)
    }
)
_CSP_STRICT["form-action"] = ["'self'", *_OIDC_ORIGINS]
CSP_RELAXED_DIRECTIVES["form-action"] = ["'self'", *_OIDC_ORIGINS]
