"""Test settings: the production settings with fast hashing and jobs run inline."""

import os

os.environ.setdefault("SANGTAO_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from .settings import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SANGTAO_THREAD_JOBS = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = (
    BASE_DIR
    / "var"
    / ("test-media" + (f"-{os.environ['SANGTAO_TEST_DB_TAG']}" if os.environ.get("SANGTAO_TEST_DB_TAG") else ""))
)

# pytest-xdist workers must not share a Redis database: each clears its cache between tests, and a TOTP
# code one worker used would be refused to the other.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    _base = int(_parts.path.strip("/") or 0)
    _url = urlunsplit(_parts._replace(path=f"/{_base + 1 + int(_worker[2:])}"))
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _url}}

# SQLite: a database file per test run (not the shared in-memory database), so that the live server's threads
# each have their own connection as in production — concurrency tests are then meaningful on SQLite too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # SANGTAO_TEST_DB_TAG lets two test runs on one machine (two people, two checkouts' helpers) keep apart.
    _tag = os.environ.get("SANGTAO_TEST_DB_TAG", "")
    _name = f"test-db{'-' + _tag if _tag else ''}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / _name)}
