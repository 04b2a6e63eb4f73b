"""Settings for the portal. Everything that differs between machines comes from the
environment (see docs/settings.md); development works with no variable set."""

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from portal.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)


def _local_secret_key() -> str:
    """A random key kept in var/secret_key, so development needs no setup and no key is
    ever written in the code. Production sets SECRET_KEY."""
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = env_str("SECRET_KEY", "") or _local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The development address: anything that leaves the machine with a link (the monthly report
# email) refuses it outside DEBUG, where it would point readers at their own computer.
DEFAULT_SITE_URL = "http://127.0.0.1:8000"
SITE_URL = env_str("SITE_URL", DEFAULT_SITE_URL).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "django_prose_editor",
    "portal.apps.AxesConfig",  # django-axes, under a Vietnamese name in the admin
    "django_tasks",
    "django_tasks_db",
    "portal.apps.PortalConfig",
    "pages",
    "banners",
    "stats",
    "news",
    "documents",
    "comments",
    "polls",
    "contact",
    "schedule",
    "search",
    "reports",
    "nukeviet",
    "audit",
    "history",
    "locks",
    # Two-step login for staff (twofactor/): TOTP apps and one-time backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "twofactor",
    # Versions of staff-edited objects (history/services.py says why this library).
    "reversion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy (CSP_ENABLED, CSP_REPORT_ONLY).
    "portal.security.ContentSecurityPolicyMiddleware",
    # The database is away: a 503 page in Vietnamese instead of a stack trace.
    "portal.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's MessageMiddleware, its storage made only when used (page cache hits: never).
    "portal.middleware.LazyMessageMiddleware",
    "portal.middleware.SessionActivityMiddleware",
    # Remembers the request for audit entries written from signals (no query).
    "audit.middleware.AuditRequestMiddleware",
    # Staff whose group must use two-step login see only the enrolment page until enrolled.
    "twofactor.middleware.EnrolmentRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers the lockout page once django-axes has refused a login (after authentication).
    "axes.middleware.AxesMiddleware",
    # Innermost: sees the view's own response; counts reader page views (STATS_MIDDLEWARE).
    "stats.middleware.PageViewMiddleware",
    # Anonymous readers' pages from each worker's memory, with per-view parts (PAGE_CACHE).
    "portal.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
# A form posted without a valid token: a plain Vietnamese 403 page.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

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
                "pages.context_processors.site",
                "portal.context_processors.shared",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded PostgreSQL that `make run` / `make test` start
# under var/pgdata (its socket lives in that folder).
_EMBEDDED_URL = "postgres://postgres@" + quote(str(VAR_DIR / "pgdata"), safe="") + "/portal"
DATABASE_URL = env_str("DATABASE_URL", "") or _EMBEDDED_URL
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared by every worker. A file cache by default (no server needed); Redis
# when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Rendered fragments shared by every reader, in each worker's memory; their keys carry the
# content generation kept in the shared cache above (portal/fragments.py).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# Whole reader pages (portal.pagecache), in each worker's memory too: a hit then costs no
# file read and no decompression (the file cache zlib-compresses every value, and unpacking
# a page costs more than the rest of a hit). Keyed by the content generation, so a staff
# change reaches every worker.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 1000)},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a login lands when its next= is missing or points off the site (Django's default,
# /accounts/profile/, does not exist here).
LOGIN_REDIRECT_URL = "admin:index"
# Admin login lockout (django-axes): AXES_FAILURE_LIMIT wrong passwords for one user name
# from one client lock that pair for AXES_COOLOFF_MINUTES; a success resets the count.
# Locking the pair, not the user name alone, keeps an attacker from locking the editors
# out, and not the address alone, colleagues behind one office address. The address axes
# stores is a keyed hash, never the real one (portal.security.login_client_id).
AUTHENTICATION_BACKENDS = [
    "portal.security.LoginLockoutBackend",  # django-axes AxesStandaloneBackend, first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "portal.security.login_client_id"
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The password is never logged; the user name and the (hashed) client are, for the record.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# Failed logins of one client over all user names within the cool-off (password spraying).
LOGIN_CLIENT_FAILURE_LIMIT = env_int("LOGIN_CLIENT_FAILURE_LIMIT", 20)
# Failures are still logged (WARNING "AXES: Locked out"); this silences the start-up banner.
AXES_VERBOSE = False

# Two-step login (twofactor/; the issuer an app shows is SITE_NAME, below). Wrong codes are counted by django-axes as failed logins (one lockout), not by django-otp's
# own growing delay.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

LANGUAGE_CODE = "vi"
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
# Counts are grouped where they are shown ("8.692.055" through humanize's intcomma, under
# portal/formats/vi), not by USE_THOUSAND_SEPARATOR: that would also group every number a
# template writes into a URL or an attribute (page 1.000, comment ids, the session's 1.800
# seconds) and break them.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["portal.formats"]
# Vietnamese for what Django and the libraries leave in English on staff pages; the .mo
# files are committed (see locale/vi/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Serve media from Django only in development; in production the reverse proxy does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1 and HTTPS=1.
HTTPS = env_bool("HTTPS", not DEBUG)  # the launcher sets HTTPS=0 for make run / make test
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# portal/security.py: scripts and styles only from our static files; see the module for
# the policy and the admin's two exceptions.
CSP_ENABLED = env_bool("CSP_ENABLED", True)
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# Hosts besides YouTube and Facebook whose videos an article may embed (the provincial TV
# station's player, e.g. `www.bptv.vn`): portal/richtext.py keeps their iframes and the CSP's
# frame-src allows them.
EMBED_VIDEO_HOSTS = tuple(
    h.strip().lower() for h in env_str("EMBED_VIDEO_HOSTS", "").split(",") if h.strip()
)
# The body editor's own extension (static/js/prose-video.js): the <iframe> video node and its
# "Chèn video" button. The allow-list given here is prose-editor's; the bodies are cleaned by
# portal.richtext.sanitize_html, which rebuilds or drops every iframe.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/prose-video.js")],
        "extensions": {
            "VideoEmbed": html_tags(["iframe"], {"iframe": ["src", "width", "height", "title"]})
        },
    }
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
# Sliding expiry (portal.middleware): activity extends the session, recorded at most this
# often; the page warns this many seconds before an idle session ends.
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 60)

# Edit locks (locks/): a lock not renewed for this long (the editor left the page open
# without typing) is free for the next editor.
EDIT_LOCK_IDLE_MINUTES = env_int("EDIT_LOCK_IDLE_MINUTES", 5)

# Page cache for anonymous readers (portal/pagecache.py): how long a rendered page is
# reused. Staff changes show at once (the key carries the content generation).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 30)

# Counting (stats/): how often each worker writes its buffered counts, and how long a
# reader's repeated views of one object count once.
STATS_FLUSH_INTERVAL = env_float("STATS_FLUSH_INTERVAL", 1.0)
STATS_DEDUP_MINUTES = env_int("STATS_DEDUP_MINUTES", 30)
# Visit statistics (stats/middleware.py): on/off (the benchmark compares), the gap that
# starts a new visit, the "Đang truy cập" window, how long the sidebar block is cached,
# and extra path prefixes never counted (static, media and the admin never are).
STATS_MIDDLEWARE = env_bool("STATS_MIDDLEWARE", True)
STATS_VISIT_MINUTES = env_int("STATS_VISIT_MINUTES", 30)
STATS_ONLINE_MINUTES = env_int("STATS_ONLINE_MINUTES", 5)
STATS_BLOCK_CACHE_SECONDS = env_int("STATS_BLOCK_CACHE_SECONDS", 30)
if not 0 <= STATS_BLOCK_CACHE_SECONDS <= 55:
    # With the flush interval on top, the block must never be more than a minute stale.
    raise ImproperlyConfigured("STATS_BLOCK_CACHE_SECONDS must be between 0 and 55")
STATS_IGNORE_PATHS = env_list("STATS_IGNORE_PATHS", "")
# How many reverse proxies stand in front of gunicorn (to read X-Forwarded-For).
PROXY_COUNT = env_int("PROXY_COUNT", 0)

# Hand large file sends to the reverse proxy (nginx X-Accel-Redirect) in production.
SENDFILE_X_ACCEL_PREFIX = env_str("SENDFILE_X_ACCEL_PREFIX", "")
# Attached files of documents (documents/): outside MEDIA_ROOT, so only the download view,
# which checks the document is published and counts, reaches them.
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT", str(VAR_DIR / "documents")))

# The old NukeViet site's module names and language, as in its URLs (`/vi/news/...`,
# `index.php?language=vi&nv=laws`): old links to imported objects redirect (nukeviet/urls.py).
NUKEVIET_NEWS_MODULE = env_str("NUKEVIET_NEWS_MODULE", "news")
NUKEVIET_LAWS_MODULE = env_str("NUKEVIET_LAWS_MODULE", "laws")
NUKEVIET_LANG = env_str("NUKEVIET_LANG", "vi")
# Instances of NukeViet's page module ("Giới thiệu", terms): `/about/<alias>.html`.
NUKEVIET_PAGE_MODULES = tuple(
    m.strip() for m in env_str("NUKEVIET_PAGE_MODULES", "about,siteterms").split(",") if m.strip()
)
for _name in ("NUKEVIET_NEWS_MODULE", "NUKEVIET_LAWS_MODULE", "NUKEVIET_LANG"):
    if not globals()[_name] or globals()[_name].strip("abcdefghijklmnopqrstuvwxyz0123456789-"):
        raise ImproperlyConfigured(f"{_name} must be a NukeViet name: a-z, 0-9 and -")
for _module in NUKEVIET_PAGE_MODULES:
    if _module.strip("abcdefghijklmnopqrstuvwxyz0123456789-"):
        raise ImproperlyConfigured("NUKEVIET_PAGE_MODULES must be NukeViet names: a-z, 0-9 and -")

PORTAL_SITE_NAME = env_str("SITE_NAME", "Ban Tuyên giáo Tỉnh ủy Bình Phước")
PORTAL_SITE_SLOGAN = env_str("SITE_SLOGAN", "Cổng thông tin điện tử")
# The name an authenticator app shows beside the portal's codes (twofactor/).
OTP_TOTP_ISSUER = PORTAL_SITE_NAME

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")

# Spreadsheet exports (portal/exports.py: changelists and reports/). A file is built by the
# task worker (`manage.py db_worker`, django-tasks with its database backend) into
# EXPORTS_DIR; the request waits at most EXPORTS_WAIT_SECONDS for a small file and otherwise
# answers a page that reloads until the file is ready.
EXPORTS_DIR = Path(env_str("EXPORTS_DIR", str(VAR_DIR / "exports")))
EXPORTS_WAIT_SECONDS = env_float("EXPORTS_WAIT_SECONDS", 3.0)
EXPORTS_KEEP_HOURS = env_int("EXPORTS_KEEP_HOURS", 24)
EXPORTS_STALE_MINUTES = env_int("EXPORTS_STALE_MINUTES", 60)
# Background work (exports) runs in `manage.py db_worker`, never in a web worker. "immediate"
# runs a task inside the request instead (the tests; a site without a worker process).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
# Who receives the previous month's reports (manage.py send_monthly_reports, from cron).
REPORTS_EMAIL_TO = env_list("REPORTS_EMAIL_TO", "")

# Reader comments (comments/). Which comments wait for a moderator is not a setting here:
# administrators choose it in the admin's site settings (comments.moderation.get_mode()).
# The captcha is an offline image.
COMMENT_CAPTCHA = env_bool("COMMENT_CAPTCHA", False)
COMMENT_MIN_SECONDS = env_int("COMMENT_MIN_SECONDS", 3)  # form shown -> posted, at least
COMMENT_MAX_LINKS = env_int("COMMENT_MAX_LINKS", 2)
COMMENT_RATE_LIMIT = env_int("COMMENT_RATE_LIMIT", 5)  # comments per reader per window
COMMENT_RATE_WINDOW = env_int("COMMENT_RATE_WINDOW", 600)  # seconds
RATING_RATE_LIMIT = env_int("RATING_RATE_LIMIT", 20)  # rating posts per reader per window
RATING_RATE_WINDOW = env_int("RATING_RATE_WINDOW", 600)  # seconds
# Limits on one address, whatever its user agents (comments.services): an attacker who
# changes the user agent gets a new reader id, not a new address. Many honest readers share
# an address (an office, a school, a mobile network's NAT), so these are sized for a crowd
# rather than a person: 30 comments an hour is six readers each posting at the per-reader
# limit for a whole hour, far above what a provincial site gets from one building, and
# still caps a flood of the moderation queue at 30 an hour (720 a day) instead of none.
COMMENT_ADDRESS_LIMIT = env_int("COMMENT_ADDRESS_LIMIT", 30)  # comments per address per window
COMMENT_ADDRESS_WINDOW = env_int("COMMENT_ADDRESS_WINDOW", 3600)  # seconds
# Votes on one article from one address in one day: 20 colleagues behind one office address
# can all rate the same article, and stuffing by rotating user agents moves an article's
# average by at most 20 votes a day from one address.
RATING_ADDRESS_LIMIT = env_int("RATING_ADDRESS_LIMIT", 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
