"""Production settings: the environment-driven settings with debugging refused and every secret required.
`python manage.py check --deploy` is clean with them (make check, make prod-up)."""

import os

if os.environ.get("DJANGO_DEBUG", "").lower() in {"1", "true", "yes", "on"}:
    raise RuntimeError("DJANGO_DEBUG must be off in production")

from .settings import *

for name in ("DJANGO_SECRET_KEY", "DATABASE_URL"):
    if not os.environ.get(name):
        raise RuntimeError(f"{name} must be set in production")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    import warnings

    warnings.warn("Production is meant to run on PostgreSQL; SQLite serves one machine only.", stacklevel=1)
