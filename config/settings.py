"""Settings of the Cluster Club, one module for every environment.

Every value comes from the environment (see config/env.py and the table in README.md) with a
default that runs on a laptop with nothing installed: SQLite, an in-memory channel layer,
the database search engine and e-mail printed to the console.
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    SettingError,
    dev_secret_key,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    parse_database_url,
    parse_email_url,
    parse_redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise SettingError("SECRET_KEY must be set when DEBUG is off")
    # A key made once for this checkout and kept out of git: sessions survive restarts of
    # the development server and nothing secret is committed.
    SECRET_KEY = dev_secret_key(BASE_DIR / ".dev-secret-key")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Adds the bare views that benchmarks measure as ceilings (bench/); off everywhere else.
BENCH_CEILINGS = env_bool("BENCH_CEILINGS", False)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reverse proxies in front of the site whose X-Forwarded-For entries are believed; every limit
# keys on the client address this gives (security/client_address.py). 0: the socket's peer.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and WebSockets in development.
    "daphne",
    "channels",
    # Before the apps whose fields it translates, and before Django's and Wagtail's admins.
    "modeltranslation",
    "taskqueue",
    "accounts",
    "django_tasks",
    "django_tasks_db",
    "members",
    "events",
    "forum",
    "search",
    "partnering",
    "matchmaking",
    "awards",
    "pages",
    "privacy",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "wagtail_headless_preview",
    "modelcluster",
    "taggit",
    "django_countries",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The widgets' own templates, found through TEMPLATES by the site's form renderer.
    "django.forms",
    # Trigram and full-text lookups of the database search engine; harmless on SQLite.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.headers.SecurityHeadersMiddleware",
    # Inside the security headers, so its JSON errors carry them too.
    "webapi.errors.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "webapi.language.ApiLanguageMiddleware",
    "pages.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Signed-in members are asked to accept a new version of the terms or privacy policy.
    "privacy.middleware.PolicyAcceptanceMiddleware",
    # Each visitor's own parts of a page (unread counts, their own posts' actions) are
    # filled in here, on pages drawn for them and on copies shared between members alike.
    "caching.member_parts.MemberPartsMiddleware",
    # Signed-in members get the pages that are the same for each of them from a shared copy.
    "pages.page_cache.MemberPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

if not DEBUG:
    # Production serves collected static files itself; development uses runserver's finders.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # After Django's own CSRF processor, whose token it stands in for.
                "pages.page_cache.deferred_csrf_token",
            ],
        },
    },
]

# Every form (the site's, allauth's) is drawn by templates/forms/: error summary, fields
# tied to their help text and errors.
FORM_RENDERER = "config.form_renderer.SiteFormRenderer"

# --- Database -------------------------------------------------------------------------

DATABASES = {"default": parse_database_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    name = Path(DATABASES["default"]["NAME"])
    if not name.is_absolute() and str(name) != ":memory:":
        DATABASES["default"]["NAME"] = str(BASE_DIR / name)
    # Several requests (and the channel layer's consumers) share one file: wait for the
    # writer instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    IS_POSTGRES = False
else:
    IS_POSTGRES = True
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles queries the planner thinks are expensive, each time: the
    # searches it picks never win that time back (bench/README.md has the figures).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    if env_bool("DATABASE_POOL", False):
        # psycopg's pool: ASGI views that query gain much from it (bench/README.md).
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 20),
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    parse_redis_url(REDIS_URL)
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.channel_layer.WaitingRedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": env_str("CHANNEL_LAYER_PREFIX", "club"),
                # Connections to Redis per server process; sends beyond them wait.
                "pool_size": env_int("CHANNEL_LAYER_CONNECTIONS", 100, minimum=1),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "caching.redis.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "club"),
            # A Redis that does not answer is taken for down within these seconds, rather
            # than holding the request (caching/redis.py: the site then runs uncached).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    # A signed-in member's every request reads the session: from Redis, with the database
    # as the store of record, rather than one more query per page.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous visitors' Wagtail pages from the cache, emptied on publishing (pages/page_cache.py).
# Off while DEBUG is on, so a developer sees every change at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 60)

# --- Search ------------------------------------------------------------------------------

# The forum's limits (forum/services.py, forum/consumers.py, forum/realtime.py).
FORUM_POST_INTERVAL = env_int("FORUM_POST_INTERVAL", 10)  # seconds between a member's posts
FORUM_DUPLICATE_WINDOW = env_int("FORUM_DUPLICATE_WINDOW", 300)  # the same text again: refused
FORUM_NEW_ACCOUNT_HOURS = env_int("FORUM_NEW_ACCOUNT_HOURS", 24)  # an account this young ...
FORUM_NEW_ACCOUNT_DAILY_POSTS = env_int("FORUM_NEW_ACCOUNT_DAILY_POSTS", 10)  # ... posts this many
FORUM_EDIT_WINDOW = env_int("FORUM_EDIT_WINDOW", 86_400)  # seconds in which authors may edit
FORUM_POSTS_PER_PAGE = env_int("FORUM_POSTS_PER_PAGE", 50, minimum=1)  # a thread page's posts
FORUM_WS_MESSAGES_PER_SECOND = 5  # a socket's messages: this many a second on average,
FORUM_WS_BURST = 10  # bursts of this many,
FORUM_WS_MAX_DROPPED = 20  # closed after this many dropped,
FORUM_WS_MAX_FRAME = 32 * 1024  # or at once for a bigger frame (bytes)
FORUM_TYPING_INTERVAL = 2.0  # seconds between a reader's typing events
FORUM_PRESENCE_ANSWERS = 3  # readers that tell a newcomer who is there,
FORUM_PRESENCE_SETTLE = 2.0  # besides those who joined less than this many seconds before
FORUM_PRESENCE_DELAY = 0.25  # seconds over which presence changes make one frame
FORUM_BROADCAST_TIMEOUT = 1.0  # seconds a post waits for the channel layer before giving up

# Minutes before a matchmaking meeting at which both sides are reminded (a job every 5).
MATCHMAKING_REMINDER_MINUTES = env_int("MATCHMAKING_REMINDER_MINUTES", 15, minimum=5)

# WebSockets one member, or one client address when signed out, may hold open at once on
# all routes together, counted in the cache across server processes (security/socket_limits.py).
WS_MAX_SOCKETS_PER_CLIENT = env_int("WS_MAX_SOCKETS_PER_CLIENT", 20, minimum=1)
# Each open socket renews its place every third of this; a crashed process's places free
# themselves after it.
WS_SOCKET_LEASE_SECONDS = env_int("WS_SOCKET_LEASE_SECONDS", 60, minimum=3)

# Partner-search answers of the database engine are kept until the next indexing change
# (search/engines/database.py); 0 computes every search afresh.
# Partner requests: organisations listed on a request's page, how many of the best-fitting
# ones have their co-admins told, and the technologies a request may name.
PARTNER_REQUEST_MATCHES = env_int("PARTNER_REQUEST_MATCHES", 20, minimum=1)
PARTNER_REQUEST_NOTIFIED = env_int("PARTNER_REQUEST_NOTIFIED", 5, minimum=0)
PARTNER_REQUEST_TECHNOLOGIES_MAX = 10
SEARCH_RESULTS_CACHE_SECONDS = env_int("SEARCH_RESULTS_CACHE_SECONDS", 300)
# The database engine follows the database (search/engines/database.py); it answers while
# Elasticsearch cannot be reached, and is kept in sync for that.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    SEARCH_DATABASE_ENGINE = "search.engines.database.PostgresEngine"
else:
    SEARCH_DATABASE_ENGINE = "search.engines.database.PortableDatabaseEngine"
# Words of a query that the site and partner searches look for; later ones are dropped, so
# a long query costs what a short one does (search/text.py).
SEARCH_MAX_WORDS = env_int("SEARCH_MAX_WORDS", 10, minimum=1)
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "club")
if ELASTICSEARCH_URL:
    SEARCH_ENGINE = "search.engines.elasticsearch.ElasticsearchEngine"
    # One index of the pages per language, each analysing its text with Elasticsearch's
    # analyser of that language (stemming, stop words): "default" for English, and a
    # backend named after each other language, which site search asks for the pages of
    # that language (search/languages.py).
    _ANALYSERS = {"en": "english", "de": "german", "fr": "french", "es": "spanish"}

    def _pages_backend(code: str) -> dict:
        # Wagtail names each index after its models, behind this prefix ("INDEX" is no
        # longer read): club_wagtail_de_wagtailcore_page holds the German analysis.
        suffix = "" if code == "en" else f"{code}_"
        return {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{ELASTICSEARCH_INDEX_PREFIX}_wagtail_{suffix}",
            "TIMEOUT": 5,
            "INDEX_SETTINGS": {
                "settings": {"analysis": {"analyzer": {"default": {"type": _ANALYSERS[code]}}}}
            },
        }

    WAGTAILSEARCH_BACKENDS = {
        ("default" if code == "en" else code): _pages_backend(code) for code in _ANALYSERS
    }
else:
    SEARCH_ENGINE = SEARCH_DATABASE_ENGINE
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- E-mail ------------------------------------------------------------------------------

for _key, _value in parse_email_url(env_str("EMAIL_URL", "console://")).items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cluster Club <noreply@clusterclub.eu>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks ------------------------------------------------------------------
# One queue behind Django's task API (django-tasks) carries the club's work and Wagtail's
# own. "database": rows in the club's database, enqueued in the transaction of the change
# that causes them and worked by `manage.py run_worker` (taskqueue/worker.py). "immediate": run
# in the web process once the transaction commits, for the embedded defaults.

TASKS_BACKEND = env_str("TASKS_BACKEND", "database" if IS_POSTGRES else "immediate")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise SettingError(f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# A failed task runs again after TASKS_RETRY_DELAY seconds, doubling each time up to
# TASKS_RETRY_MAX_DELAY: ten attempts span about three hours, so a mail server that is
# down for an hour delays mail but loses none. Then the task is failed, for staff to retry.
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 10, minimum=1)
TASKS_RETRY_DELAY = env_int("TASKS_RETRY_DELAY", 30, minimum=0)
TASKS_RETRY_MAX_DELAY = env_int("TASKS_RETRY_MAX_DELAY", 3600, minimum=0)
# Workers write a heartbeat; a running task whose worker has been silent for
# TASKS_WORKER_TIMEOUT seconds (killed, machine lost) is put back in the queue.
TASKS_HEARTBEAT_SECONDS = env_int("TASKS_HEARTBEAT_SECONDS", 10, minimum=1)
TASKS_WORKER_TIMEOUT = env_int("TASKS_WORKER_TIMEOUT", 60, minimum=2)
if TASKS_WORKER_TIMEOUT <= TASKS_HEARTBEAT_SECONDS:
    raise SettingError("TASKS_WORKER_TIMEOUT must be longer than TASKS_HEARTBEAT_SECONDS")
# Finished tasks stay visible in the admin this many days, then the daily clean-up
# deletes them.
TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 14, minimum=1)

# --- Accounts ----------------------------------------------------------------------------

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
# accounts' adapter, with signing in cancelling a pending account deletion (privacy/).
ACCOUNT_ADAPTER = "privacy.adapter.PrivacyAccountAdapter"
# Sign-up also accepts the terms and privacy policy in force, and asks about newsletters.
ACCOUNT_SIGNUP_FORM_CLASS = "privacy.forms.SignupConsentForm"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# API tokens stop working after this many days without use (accounts/authentication.py); the
# last use is written at most once per TOKEN_USE_RESOLUTION seconds.
TOKEN_IDLE_DAYS = env_int("TOKEN_IDLE_DAYS", 90, minimum=1)
TOKEN_USE_RESOLUTION = 3600
# --- Personal data (privacy/): see README.md, "Personal data" ---
# Days between "delete my account" and the erasure; signing in before then undoes it.
ACCOUNT_DELETION_GRACE_DAYS = env_int("ACCOUNT_DELETION_GRACE_DAYS", 14, minimum=0)
# Accounts whose e-mail address is still unverified after this many days are removed.
UNVERIFIED_ACCOUNT_DAYS = env_int("UNVERIFIED_ACCOUNT_DAYS", 30, minimum=1)
# Days a data export's link works; the archive is deleted after them.
DATA_EXPORT_DAYS = env_int("DATA_EXPORT_DAYS", 7, minimum=1)
# Guests (no account) of events: how long the e-mailed confirmation link works (no seat is
# held meanwhile), and how many days after the event their registration is erased.
GUEST_CONFIRMATION_HOURS = env_int("GUEST_CONFIRMATION_HOURS", 48, minimum=1)
GUEST_RETENTION_DAYS = env_int("GUEST_RETENTION_DAYS", 30, minimum=0)
# Seconds between two exports a member may ask for.
DATA_EXPORT_INTERVAL = env_int("DATA_EXPORT_INTERVAL", 600, minimum=0)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("fr", _("French")), ("es", _("Spanish"))]
WAGTAIL_I18N_ENABLED = True
# Names editors give (sectors, forum categories, the menu, the footer): a column per
# language, English where a language has no text yet; a name created in another language is
# copied to English so that no name is ever empty in English (translating/).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_AUTO_POPULATE = "default"
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Production serves hashed, compressed files collected by collectstatic. A throwaway server
# (the end-to-end tests' live site) may serve them straight from the apps instead.
STATIC_FROM_FINDERS = env_bool("STATIC_FROM_FINDERS", DEBUG)
WHITENOISE_USE_FINDERS = STATIC_FROM_FINDERS
# Files no URL serves (members' data exports), read only through views that check the owner.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STATIC_FROM_FINDERS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail -----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Cluster Club"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "txt",
    "csv",
]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "security.uploads.SafeImageForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": env_str("HEADLESS_PREVIEW_URL", f"{SITE_URL}/preview/")},
    "SERVE_BASE_URL": None,
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": True,
}
TAGGIT_CASE_INSENSITIVE = True

# --- API ---------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Closed unless a view says who may use it: a new endpoint cannot be public by accident.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Every view is throttled unless it names its own throttles; both key on the client
    # address of security/client_address.py, signed-in clients also on their account.
    "DEFAULT_THROTTLE_CLASSES": [
        "security.throttling.AnonymousThrottle",
        "security.throttling.MemberThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "webapi.conventions.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "webapi.conventions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("TOKEN_THROTTLE_RATE", "10/min"),
        "anon": env_rate("API_THROTTLE_ANON", "60/min"),
        "user": env_rate("API_THROTTLE_USER", "600/min"),
        "guest_registration": env_rate("GUEST_REGISTRATION_THROTTLE", "10/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cluster Club API",
    "DESCRIPTION": (
        "The JSON API of the European Cluster Managers' Club. Pages, images and documents "
        "are served by Wagtail's API v2 under /api/v2/ and are not described here."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are public, like the API's description in the README.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["webapi.conventions.exclude_wagtail_endpoints"],
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "events.models.EventPage.Kind",
        "OrganisationKindEnum": "members.models.Organisation.Kind",
        "RegistrationQuestionKindEnum": "events.models.RegistrationQuestion.Kind",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "ForumCategoryVisibilityEnum": "forum.models.Category.Visibility",
        "MemberProfileVisibilityEnum": "members.models.MemberProfile.Visibility",
        "PartnerRequestKindEnum": "partnering.models.PartnerRequest.Kind",
        "EmailFrequencyEnum": "partnering.models.Frequency",
        "OrganisationRequestKindEnum": "members.models.OrganisationRequest.Kind",
        "OrganisationRequestStatusEnum": "members.models.OrganisationRequest.Status",
        "CoAdminInvitationStatusEnum": "members.models.CoAdminInvitation.Status",
    },
    # Served from the site itself: the docs work offline and under the CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security ----------------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "daphne": {"level": "WARNING"},
    },
}
