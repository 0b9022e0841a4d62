"""Configuration classes for kvkk-tracker.

Every setting can be overridden from the environment with a variable of the same name.
"""

from __future__ import annotations

import os
from datetime import timedelta

_TRUE = {"1", "true", "yes", "on"}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in _TRUE


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or not raw.strip() else int(raw)


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    # None means: sqlite:///<instance>/kvkk.db, resolved by the app factory.
    SQLALCHEMY_DATABASE_URI = env_str("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SECRET_KEY = env_str("SECRET_KEY")

    # Languages: the UI is Turkish first; Tebliğ Art. 4 wants applications in Turkish.
    BABEL_DEFAULT_LOCALE = "tr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Istanbul"
    LANGUAGES = ("tr", "en")

    # Cookies. SameSite=Strict as SecureDrop does; Secure is switched on in production.
    SESSION_COOKIE_NAME = "session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Strict"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    # Flask-Login's remember-me cookie (sign-in never sets it today; if it ever does, it gets
    # the session cookie's protection). The CSRF token lives inside the session cookie.
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Strict"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
    LANG_COOKIE_NAME = "lang"

    WTF_CSRF_ENABLED = env_bool("WTF_CSRF_ENABLED", True)
    WTF_CSRF_TIME_LIMIT = env_int("WTF_CSRF_TIME_LIMIT", 3600 * 4)

    # Uploads: the whole request, and each file.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)
    KVKK_MAX_FILE_BYTES = env_int("KVKK_MAX_FILE_BYTES", 10 * 1024 * 1024)
    KVKK_MAX_FILES = env_int("KVKK_MAX_FILES", 5)
    # None means <instance>/uploads: outside every served folder.
    KVKK_UPLOAD_DIR = env_str("KVKK_UPLOAD_DIR")

    # Reverse proxies in front of gunicorn that set X-Forwarded-For/-Proto/-Host/-Port (nginx:
    # 1). 0 ignores those headers: without a proxy that overwrites them, a client could claim
    # any address (and escape its rate limit) or claim HTTPS.
    KVKK_PROXY_COUNT = env_int("KVKK_PROXY_COUNT", 0)

    # /healthz: with a dedicated scheduler, its heartbeat must be younger than the max age.
    KVKK_HEALTH_EXPECT_SCHEDULER = env_bool("KVKK_HEALTH_EXPECT_SCHEDULER", False)
    KVKK_HEALTH_SCHEDULER_MAX_AGE_SECONDS = env_int("KVKK_HEALTH_SCHEDULER_MAX_AGE_SECONDS", 120)

    # Flask-Limiter.
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = env_str("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STRATEGY = env_str("RATELIMIT_STRATEGY", "fixed-window")
    RATELIMIT_HEADERS_ENABLED = env_bool("RATELIMIT_HEADERS_ENABLED", True)
    RATELIMIT_DEFAULT = env_str("RATELIMIT_DEFAULT", "")
    # Keys in a shared Redis start with this (one prefix per installation sharing a server).
    RATELIMIT_KEY_PREFIX = env_str("RATELIMIT_KEY_PREFIX", "kvkk")
    KVKK_RATELIMIT_APPLY = env_str("KVKK_RATELIMIT_APPLY", "10 per minute;60 per hour")
    KVKK_RATELIMIT_STATUS = env_str("KVKK_RATELIMIT_STATUS", "20 per minute;200 per hour")
    KVKK_RATELIMIT_API_SUBMIT = env_str("KVKK_RATELIMIT_API_SUBMIT", "30 per minute")
    KVKK_RATELIMIT_API_STATUS = env_str("KVKK_RATELIMIT_API_STATUS", "60 per minute")

    # Mail (the outbox that uses it arrives with the scheduler).
    MAIL_SERVER = env_str("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = env_str("MAIL_USERNAME")
    MAIL_PASSWORD = env_str("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env_str("MAIL_DEFAULT_SENDER", "kvkk@localhost")

    # The data controller (veri sorumlusu), shown on the public site and on letters.
    KVKK_CONTROLLER_NAME = env_str("KVKK_CONTROLLER_NAME", "Örnek Veri Sorumlusu A.Ş.")
    KVKK_CONTROLLER_ADDRESS = env_str(
        "KVKK_CONTROLLER_ADDRESS", "Atatürk Bulvarı No: 1, 06100 Çankaya/Ankara"
    )
    KVKK_CONTROLLER_KEP = env_str("KVKK_CONTROLLER_KEP", "ornek@hs01.kep.tr")
    KVKK_CONTROLLER_EMAIL = env_str("KVKK_CONTROLLER_EMAIL", "kvkk@example.com.tr")
    KVKK_CONTROLLER_PHONE = env_str("KVKK_CONTROLLER_PHONE", "+90 312 000 00 00")
    KVKK_CONTROLLER_MERSIS = env_str("KVKK_CONTROLLER_MERSIS", "")
    KVKK_CONTROLLER_VERBIS = env_str("KVKK_CONTROLLER_VERBIS", "")
    KVKK_CONTROLLER_REGISTERED_EMAIL = env_str("KVKK_CONTROLLER_REGISTERED_EMAIL", "")
    # Optional PNG/JPEG/SVG file for the letterhead of the formal letters.
    KVKK_CONTROLLER_LOGO = env_str("KVKK_CONTROLLER_LOGO")

    # The reply fee (Tebliğ Art. 7, KVKK.md §4): the first ten pages are free, each page above
    # may cost at most 1 TL. How a fee is collected is UNCONFIRMED, so the default is 0.
    KVKK_FEE_PER_PAGE = env_str("KVKK_FEE_PER_PAGE", "0")
    KVKK_FEE_FREE_PAGES = env_int("KVKK_FEE_FREE_PAGES", 10)

    # The legal clock (KVKK.md §3). Rolling the outer limit over weekends and full-day holidays
    # is UNCONFIRMED for KVKK itself: it is shown as the outer limit and never relaxes reminders.
    KVKK_DEADLINE_DAYS = 30
    KVKK_ROLL_OUTER_DUE = env_bool("KVKK_ROLL_OUTER_DUE", True)

    # The deadline engine (issue 4). The scheduler runs embedded under `kvkk-tracker run` when
    # enabled (the development default); production runs `kvkk-tracker scheduler` instead.
    SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", False)
    SCHEDULER_TIMEZONE = "Europe/Istanbul"
    SCHEDULER_SWEEP_SECONDS = env_int("SCHEDULER_SWEEP_SECONDS", 300)
    SCHEDULER_OUTBOX_SECONDS = env_int("SCHEDULER_OUTBOX_SECONDS", 60)
    SCHEDULER_DIGEST_TIME = env_str("SCHEDULER_DIGEST_TIME", "08:30")  # Istanbul, working days
    SCHEDULER_RETENTION_TIME = env_str("SCHEDULER_RETENTION_TIME", "03:00")  # Istanbul
    SCHEDULER_HEARTBEAT_SECONDS = env_int("SCHEDULER_HEARTBEAT_SECONDS", 30)
    SCHEDULER_MISFIRE_GRACE_SECONDS = env_int("SCHEDULER_MISFIRE_GRACE_SECONDS", 300)

    # The reminder ladder: days before statutory_due, the due-day alert, working hours
    # (Istanbul working days only) and who gets "overdue" besides the supervisors.
    KVKK_REMINDER_ASSIGNEE_DAYS = env_str("KVKK_REMINDER_ASSIGNEE_DAYS", "10,5,2")
    KVKK_REMINDER_SUPERVISOR_DAYS = env_str("KVKK_REMINDER_SUPERVISOR_DAYS", "2")
    KVKK_REMINDER_DUE_DAY_TIME = env_str("KVKK_REMINDER_DUE_DAY_TIME", "09:00")
    KVKK_WORKING_HOURS = env_str("KVKK_WORKING_HOURS", "08:30-18:00")
    KVKK_UNASSIGNED_AFTER_WORKING_DAYS = env_int("KVKK_UNASSIGNED_AFTER_WORKING_DAYS", 2)
    KVKK_ESCALATION_EMAIL = env_str("KVKK_ESCALATION_EMAIL")  # e.g. the DPO
    KVKK_SWEEP_BATCH_SIZE = env_int("KVKK_SWEEP_BATCH_SIZE", 500)

    # The transactional outbox: exponential backoff (base * 2^(attempt-1), capped), then dead.
    # Twelve attempts with these values span about 20 hours of SMTP outage.
    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 12)
    OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 60)
    OUTBOX_BACKOFF_MAX_SECONDS = env_int("OUTBOX_BACKOFF_MAX_SECONDS", 6 * 3600)
    # A message claimed ("sending") longer than this is taken to be from a crashed dispatcher
    # and is tried again. Keep it above OUTBOX_BATCH_SIZE * MAIL_TIMEOUT_SECONDS.
    OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 900)
    OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 20)
    MAIL_TIMEOUT_SECONDS = env_int("MAIL_TIMEOUT_SECONDS", 30)

    # Retention and destruction (KVKK.md §6): closed cases are anonymised this many years after
    # closure; the destruction run repeats at least this often (at most 180 days, the shortest
    # six months, Erasure Regulation Art. 11(2)).
    KVKK_RETENTION_YEARS = env_int("KVKK_RETENTION_YEARS", 3)
    KVKK_DESTRUCTION_INTERVAL_DAYS = env_int("KVKK_DESTRUCTION_INTERVAL_DAYS", 1)
    KVKK_RETENTION_BATCH_SIZE = env_int("KVKK_RETENTION_BATCH_SIZE", 200)

    # Staff accounts (KVKK.md §6: multi-factor login, session timeouts, lockout).
    KVKK_LOGIN_MAX_FAILURES = env_int("KVKK_LOGIN_MAX_FAILURES", 5)
    KVKK_LOGIN_LOCK_MINUTES = env_int("KVKK_LOGIN_LOCK_MINUTES", 15)
    KVKK_RATELIMIT_LOGIN = env_str("KVKK_RATELIMIT_LOGIN", "10 per minute")
    KVKK_TOTP_REQUIRED_ROLES = tuple(
        r.strip() for r in (env_str("KVKK_TOTP_REQUIRED_ROLES", "admin") or "").split(",")
        if r.strip())
    # "Four eyes": a supervisor approves a decision before the reply goes out.
    KVKK_FOUR_EYES = env_bool("KVKK_FOUR_EYES", False)
    KVKK_FIRST_RUN_ADMIN = env_bool("KVKK_FIRST_RUN_ADMIN", True)
    KVKK_QUEUE_PAGE_SIZE = env_int("KVKK_QUEUE_PAGE_SIZE", 50)
    KVKK_DUE_SOON_DAYS = env_int("KVKK_DUE_SOON_DAYS", 5)

    # A PDF export is for reading: its table stops after this many rows, says so, and points
    # to CSV/XLSX, which carry every row. WeasyPrint costs ~11 ms of CPU and ~0.3 MB a row
    # here (docs/benchmarks.md, "PDF exports"): 5,000 rows took 77 s of CPU and 1.5 GB, past
    # gunicorn's 60 s timeout; 1,000 take 11-18 s and ~420 MB.
    KVKK_EXPORT_PDF_MAX_ROWS = env_int("KVKK_EXPORT_PDF_MAX_ROWS", 1_000)


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, secret key generated once."""

    ENV_NAME = "development"
    SCHEDULER_ENABLED = env_bool("SCHEDULER_ENABLED", True)


class TestingConfig(Config):
    """The test suite: each test passes its own database and overrides."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    RATELIMIT_ENABLED = False
    SCHEDULER_ENABLED = False
    KVKK_FIRST_RUN_ADMIN = False


class ProductionConfig(Config):
    """Production: refuses to start without SECRET_KEY and DATABASE_URL."""

    ENV_NAME = "production"
    # Served over HTTPS (directly or behind a TLS-terminating proxy): cookies never travel in
    # clear, and URLs built outside a request (mails) use https.
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"
    REQUIRED = ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    """Return the config class named by the argument or KVKK_ENV (default: development)."""
    key = (name or os.environ.get("KVKK_ENV") or "development").lower()
    try:
        return CONFIGS[key]
    except KeyError:
        raise ValueError(f"unknown KVKK_ENV {key!r}; choose one of {sorted(CONFIGS)}") from None
