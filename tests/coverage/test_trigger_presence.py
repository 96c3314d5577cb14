"""Every tally trigger is in the migrated database, on both engines. SQLite drops a table's triggers when a migration
rebuilds the table (adding a column with a default does), which silently stopped marking figures dirty once."""

import importlib

from django.db import connection

triggers = importlib.import_module("sangtao.coverage.migrations.0003_tally_triggers")


def expected():
    return {
        f"coverage_dirty_{name}_{event.lower()}" for name, _table, *_rest, events in triggers.SPECS for event in events
    }


def present():
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cur.fetchall()}


def test_every_tally_trigger_survives_the_migrations(db):
    missing = expected() - present()
    assert not missing, f"tally triggers lost by a later migration: {sorted(missing)}"
