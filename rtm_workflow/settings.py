"""Settings for RTM Positionen, read from the environment.

Local default: SQLite under var/, a file-system Celery broker (no server needed),
mail written to var/mail/. Production: set DATABASE_URL, REDIS_URL and the SMTP
variables (see .env.example); with DEBUG off the security settings default to on.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from rtm_workflow.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# `.env.local` (DEBUG=true, written by `make`) is read by manage.py only, never here: a
# gunicorn or Celery process started from a developer's checkout must not quietly run
# in debug mode with the development key. DEBUG is on only where the environment says so.
VAR_DIR = Path(env_str("RTM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "insecure-dev-key-only-for-local-runs-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - refused below unless DEBUG
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ConfigError("SECRET_KEY must be set to a private value when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "core",
    "accounts",
    "statements",
    "workflow",
    "discussion",
    "voting",
    "meetings",
    "maillist",
    "inbound",
    "notifications",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed for slow connections (a long discussion shrinks ~10×). After
    # WhiteNoise, which answers static files itself with pre-compressed copies; Django's
    # GZipMiddleware pads responses against BREACH and CSRF tokens are masked per request.
    "django.middleware.gzip.GZipMiddleware",
    # A cached public page for a request that can only be anonymous (no session cookie),
    # before session/auth/messages; the security headers, CSP and gzip above still apply.
    "public.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: its process_view is the first to parse the body.
    "rtm_workflow.security.RefuseMultipartMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "rtm_workflow.security.RequestSizeLimitMiddleware",
    "rtm_workflow.security.RefuseNulMiddleware",
    "rtm_workflow.security.RequireMFAMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # DEBUG only: our 404 page instead of Django's list of URL patterns (the local demo).
    "rtm_workflow.debug_pages.ProjectNotFoundPageMiddleware",
]

ROOT_URLCONF = "rtm_workflow.urls"
WSGI_APPLICATION = "rtm_workflow.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'rtm.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
DATABASES = {
    # Health checks: a connection that died while idle (PostgreSQL restarted) is noticed
    # and replaced at the start of the next request instead of failing it with a 500.
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A busy SQLite file otherwise fails at once when the worker and the web write together.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A streaming replica (docs/deployment.md, "More than one server"): anonymous visitors'
# public pages read from it while it is current; everything else reads and writes the
# primary (core/replica.py). Unset: one database, no router, no extra middleware.
DATABASE_REPLICA_URL = env_url(
    "DATABASE_REPLICA_URL", None, schemes=("postgres", "postgresql", "pgsql")
)
RTM_REPLICA_VIEWS = {
    f"public:{name}"
    for name in (
        "home",
        "statement_list",
        "feed",
        "feed_about",
        "topic_feed",
        "statement_page",
        "wording",
        "companion",
        "companion_list",
        "api_list",
        "api_detail",
        "sitemap",
        "sitemap_section",
    )
}
if DATABASE_REPLICA_URL and not DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    # A replica that does not answer costs one second, then the primary serves.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 1
    # Tests use the primary's test database under both names.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "core.replica.ReplicaReadsMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery --------------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss"))
if REDIS_URL:
    # Fails open: Redis down is a cache miss and an uncounted rate limit, never a 500
    # (core/cache.py); /healthz then says "degraded".
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # A real cache even without a server: allauth's rate limits need one.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# "localhost" only so kombu does not warn "No hostname was supplied" on every publish.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Zero-setup mode: kombu's file-system transport is a broker without a server.
    _queue_dir = VAR_DIR / "celery" / "queue"
    # kombu does not create these; seed_demo and the web publish before rundev runs.
    for _dir in (_queue_dir, VAR_DIR / "celery" / "processed", VAR_DIR / "celery" / "control"):
        try:
            _dir.mkdir(parents=True, exist_ok=True)
        except OSError:  # a read-only tree: the worker's own start-up will say so
            break
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu defaults this to ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # A web request must never hang on a dead broker: bound connecting and publishing.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        "max_retries": 1,
        "visibility_timeout": 3600,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "Europe/Berlin"
# Mail delivery has a queue (and in production a worker service) of its own: deadlines,
# publications and reminders on the default queue never wait behind a slow mail server.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {"notifications.tasks.deliver_pending": {"queue": "mail"}}
# Beat keeps its schedule in memory, with no file on disk: every periodic job is
# idempotent and catches up by itself (due work, sweep, reminders), so a restart only
# restarts the intervals, and a full or read-only disk cannot crash-loop beat.
CELERY_BEAT_SCHEDULER = "celery.beat:Scheduler"

# --- Mail -----------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "RTM Positionen <positionen@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# DKIM signing of outgoing mail (core/mail.py): all three set, or no signature.
RTM_DKIM_DOMAIN = env_str("RTM_DKIM_DOMAIN", "")
RTM_DKIM_SELECTOR = env_str("RTM_DKIM_SELECTOR", "")
RTM_DKIM_PRIVATE_KEY_FILE = env_str("RTM_DKIM_PRIVATE_KEY_FILE", "")
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
# Delivery (notifications.services.outbox_deliver; docs/architecture.md "Mail"):
# temporary failures (connection errors, 4xx) are retried for this long, 5xx fail at once.
RTM_MAIL_RETRY_HOURS = env_int("RTM_MAIL_RETRY_HOURS", 48)
# The reply to the end of DATA may take the server 10 minutes (RFC 5321 §4.5.3.2.6).
RTM_MAIL_FINAL_REPLY_SECONDS = env_int("RTM_MAIL_FINAL_REPLY_SECONDS", 600)
# A mail the server took but never answered is sent again (same Message-ID) after this.
RTM_MAIL_UNANSWERED_GRACE_MINUTES = env_int("RTM_MAIL_UNANSWERED_GRACE_MINUTES", 30)
# One delivery run starts no new mail after this many seconds (the next run goes on).
RTM_MAIL_RUN_SECONDS = env_int("RTM_MAIL_RUN_SECONDS", 120)
# A large event (a consultation opened for every member) is delivered by up to
# RTM_MAIL_PARALLEL tasks side by side, one per RTM_MAIL_CHUNK mails (issue 20); the
# mail worker's concurrency caps how many actually run at once.
RTM_MAIL_CHUNK = env_int("RTM_MAIL_CHUNK", 250)
RTM_MAIL_PARALLEL = env_int("RTM_MAIL_PARALLEL", 4)
RTM_MAIL_TASK_SOFT_LIMIT = RTM_MAIL_RUN_SECONDS + RTM_MAIL_FINAL_REPLY_SECONDS + 120
RTM_MAIL_TASK_HARD_LIMIT = RTM_MAIL_TASK_SOFT_LIMIT + 30

# --- Accounts (django-allauth) ---------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address (same browser) signs the person in (issue 16).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Same work whether or not the address exists; a name taken meanwhile is a form error.
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # "key" is address + client IP (AccountAdapter._get_login_attempts_cache_key): failures
    # from one place never lock the account for its owner elsewhere.
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # Our own: public sign-ups for publication mails (notifications.views.subscribe).
    "subscribe": env_str("RTM_SUBSCRIBE_RATE", "10/h/ip"),
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[RTM] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "statements:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "public:home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "RTM Positionen"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation --------------------------------------------------
LANGUAGE_CODE = "de"
# Each language is named in itself (the switch and the profile show these names to
# someone who may read no other). Issue 19 added five community languages.
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
]
# Interface languages whose catalogues were not written by a fluent speaker: their entries
# are flagged "fuzzy" (needs review) and compiletranslations still compiles them, so the
# interface is usable while the review is pending. A language leaves this list once a
# fluent reviewer has gone through it (docs/translations.md); German and English never use
# fuzzy entries, whatever this says.
RTM_REVIEW_PENDING_LANGUAGES = [
    code.strip()
    for code in env_str("RTM_REVIEW_PENDING_LANGUAGES", "ar,fa,uk,ru,tr").split(",")
    if code.strip()
]
# Our msgids are German. A string not yet translated into one of these languages is shown
# in English, not German (compiletranslations fills the gap from the English catalogue).
RTM_TRANSLATION_FALLBACK = "en"
# accounts/locale_allauth: allauth's German in the "Sie" form the rest of the site uses.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "accounts" / "locale_allauth"]
TIME_ZONE = "Europe/Berlin"
# One date style per language (rtm_workflow/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["rtm_workflow.formats"]
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Bodies beyond these are refused with 400 (Django's RequestDataTooBig) instead of read.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000_000

# --- Security --------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is a separate, hard-to-undo decision of the domain's owner (docs/deployment.md);
# the site is fully protected by HSTS without it, so check --deploy need not nag about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Rate limits count per client, not per proxy: take the client from X-Forwarded-For.
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# Content Security Policy (django-csp 4): scripts only from our own origin, no inline
# script or style (htmx's inline indicator styles are switched off in base.html's
# htmx-config meta tag), no framing, forms only to ourselves. data: images for the
# TOTP QR code allauth renders.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The container health check calls /healthz over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Two-factor authentication (TOTP) is required for coordinators and staff
# (rtm_workflow.security.RequireMFAMiddleware); off by default with DEBUG on so the demo
# and the tests can sign in without an authenticator app.
RTM_MFA_REQUIRED = env_bool("RTM_MFA_REQUIRED", not DEBUG)
# Ask for the password again (or the second factor) before e-mail, password or MFA changes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("ACCOUNT_REAUTHENTICATION_TIMEOUT", 300)
# Multipart bodies (file uploads) may be larger than form posts; beyond this → 413.
RTM_MAX_UPLOAD_BYTES = env_int("RTM_MAX_UPLOAD_BYTES", 5_000_000)
# /healthz shows which check failed only to staff and to a monitor sending this value in
# the X-Health-Token header; everyone else gets the status alone. Empty: staff only.
RTM_HEALTH_TOKEN = env_str("RTM_HEALTH_TOKEN", "")

# --- Replies by e-mail (inbound/) ---------------------------------------------
# Mails about a comment thread or a suggestion carry `Reply-To: reply+<token>@<domain>`;
# empty: no reply address (replies by e-mail are off).
RTM_REPLY_DOMAIN = env_str("RTM_REPLY_DOMAIN", "")
RTM_REPLY_TOKEN_DAYS = env_int("RTM_REPLY_TOKEN_DAYS", 60)
# An addressee's reply address (issue 19): administrations answer within months.
RTM_ANSWER_TOKEN_DAYS = env_int("RTM_ANSWER_TOKEN_DAYS", 365)
# Files an addressee sends with an answer by mail: where, how many, how large, which types.
RTM_ANSWER_FILES_DIR = Path(env_str("RTM_ANSWER_FILES_DIR", str(VAR_DIR / "answers")))
RTM_ANSWER_FILES_MAX = env_int("RTM_ANSWER_FILES_MAX", 5)
RTM_ANSWER_FILE_MAX_BYTES = env_int("RTM_ANSWER_FILE_MAX_BYTES", 10_000_000)
# A mailbox at a provider that receives reply+…@ (plus addressing), polled by
# `manage.py poll_imap` and by beat every RTM_IMAP_POLL_SECONDS when RTM_IMAP_HOST is set.
RTM_IMAP_HOST = env_str("RTM_IMAP_HOST", "")
RTM_IMAP_PORT = env_int("RTM_IMAP_PORT", 993)
RTM_IMAP_SSL = env_bool("RTM_IMAP_SSL", True)
RTM_IMAP_USER = env_str("RTM_IMAP_USER", "")
RTM_IMAP_PASSWORD = env_str("RTM_IMAP_PASSWORD", "")
RTM_IMAP_MAILBOX = env_str("RTM_IMAP_MAILBOX", "INBOX")
# Processed messages are moved here (empty: they stay, marked as seen).
RTM_IMAP_DONE_MAILBOX = env_str("RTM_IMAP_DONE_MAILBOX", "")
RTM_IMAP_POLL_SECONDS = env_int("RTM_IMAP_POLL_SECONDS", 60)

# --- The group's rules (defaults; only a coordinator may set others for a paper) ---
# The urgent lengths are also the minimum any consultation or vote lasts; only a
# coordinator may set a shorter deadline, with a reason (workflow.services).
RTM_CONTACT_EMAIL = env_str("RTM_CONTACT_EMAIL", "rundertischmigrationlkl@gmx.de")
# Name and postal address of the person responsible, for the imprint; lines separated by ";".
# `check --deploy` warns while it is empty (core/checks.py).
RTM_IMPRINT_ADDRESS = [
    line.strip() for line in env_str("RTM_IMPRINT_ADDRESS", "").split(";") if line.strip()
]
# Press contact shown on public statement pages and in the PDF letterhead.
RTM_PRESS_NAME = env_str("RTM_PRESS_NAME", "")
RTM_PRESS_EMAIL = env_str("RTM_PRESS_EMAIL", RTM_CONTACT_EMAIL)
RTM_PRESS_PHONE = env_str("RTM_PRESS_PHONE", "")
# Press documents (PDF, DOCX) are generated once per version and kept here.
# Issue 19: the languages a published paper can get a reviewed translation in (codes
# from RTM_COMPANION_LANGUAGE_NAMES), besides its "Einfache Sprache" version.
RTM_COMPANION_LANGUAGES = [
    code.strip()
    for code in env_str("RTM_COMPANION_LANGUAGES", "ar,fa,uk,ru,tr,en").split(",")
    if code.strip()
]
# Each language named in itself; right-to-left scripts listed in RTM_RTL_LANGUAGES.
RTM_COMPANION_LANGUAGE_NAMES = {
    "ar": "العربية",
    "fa": "فارسی / دری",
    "prs": "دری",
    "uk": "Українська",
    "ru": "Русский",
    "tr": "Türkçe",
    "en": "English",
    "fr": "Français",
    "ku": "Kurdî",
    "ps": "پښتو",
    "ti": "ትግርኛ",
    "so": "Soomaali",
}
RTM_RTL_LANGUAGES = {"ar", "fa", "prs", "ps", "ur", "he", "ckb"}
RTM_DOCUMENTS_DIR = Path(env_str("RTM_DOCUMENTS_DIR", str(VAR_DIR / "documents")))
RTM_CONSULTATION_DAYS = env_int("RTM_CONSULTATION_DAYS", 14)
RTM_VOTING_DAYS = env_int("RTM_VOTING_DAYS", 7)
# E-mail list: funding-hint reminders go out this many days before the deadline.
RTM_FUNDING_REMINDER_DAYS = env_int("RTM_FUNDING_REMINDER_DAYS", 7)
# Hard bounces after which an outside list subscriber gets no more list mail.
RTM_LIST_BOUNCE_THRESHOLD = env_int("RTM_LIST_BOUNCE_THRESHOLD", 3)
RTM_URGENT_CONSULTATION_DAYS = env_int("RTM_URGENT_CONSULTATION_DAYS", 3)
RTM_URGENT_VOTING_DAYS = env_int("RTM_URGENT_VOTING_DAYS", 2)
RTM_DEFAULT_DECISION_RULE = env_str("RTM_DEFAULT_DECISION_RULE", "majority")
RTM_DEFAULT_QUORUM_PERCENT = env_int("RTM_DEFAULT_QUORUM_PERCENT", 25)
RTM_SILENCE_OBJECTION_THRESHOLD = env_int("RTM_SILENCE_OBJECTION_THRESHOLD", 3)
RTM_INVITATION_MAX_AGE_DAYS = env_int("RTM_INVITATION_MAX_AGE_DAYS", 14)

# --- Flood limits per member (core/ratelimit.py; "10/m,100/h" = 10 a minute, 100 an hour) ---
RTM_RATE_LIMITS = {
    # New comments and replies.
    "comment": env_str("RTM_RATE_LIMIT_COMMENT", "10/m,100/h"),
    # Comments carrying a suggested change (counted on top of "comment").
    "suggestion": env_str("RTM_RATE_LIMIT_SUGGESTION", "5/m,30/h"),
    # Changes to one's own comments.
    "comment_edit": env_str("RTM_RATE_LIMIT_COMMENT_EDIT", "10/m,100/h"),
    # Saves in the editor (new paper, new revision, restore).
    "revision": env_str("RTM_RATE_LIMIT_REVISION", "20/m,200/h"),
    # People notified of a mention: each mentioned person counts once.
    "mention": env_str("RTM_RATE_LIMIT_MENTION", "20/10m,60/h"),
    # Searches that miss the page cache (public list, members' search), per person or,
    # for visitors, per client address: each is database work; a cached one does not count.
    "search": env_str("RTM_RATE_LIMIT_SEARCH", "30/m,300/h"),
    # Checking a text or PDF against the adopted versions (public, per client address).
    "verify": env_str("RTM_RATE_LIMIT_VERIFY", "10/m,60/h"),
}
# A search query running longer than this is cancelled (statements/search.py).
RTM_SEARCH_TIMEOUT_MS = env_int("RTM_SEARCH_TIMEOUT_MS", 2000)
# Distinct people one comment may mention.
RTM_MAX_MENTIONS_PER_COMMENT = env_int("RTM_MAX_MENTIONS_PER_COMMENT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
