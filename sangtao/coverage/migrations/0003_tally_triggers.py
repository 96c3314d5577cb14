"""Database triggers that keep coverage tallies honest: every change to something an organization's own figures
depend on writes a `coverage_tallydirty` row (campaign, organization, whole subtree or not), whatever wrote it —
a form, a queryset update, a bulk import, a shell. `coverage.tallies` recomputes dirty rows before it reads.

PostgreSQL: statement-level triggers over transition tables (one INSERT … SELECT per statement, so a bulk import
of 500,000 registrations costs one extra statement). SQLite: row-level triggers.
"""

from django.db import migrations

D = "INSERT INTO coverage_tallydirty (campaign_id, org_id, subtree) "
ALL_CAMPAIGNS = ("campaigns_campaign c", "TRUE")
PARENT = ("orgs_organization p JOIN campaigns_campaign c ON TRUE", "p.path = substr(X.path, 1, length(X.path) - 5)")
OLD_ONLY = {"orgold"}  # marks drawn from the row as it was

# (name, table, cols, join (table alias, condition) or None, filter, changed-columns for UPDATE or None, events)
SPECS = [
    ("reg", "registrations_registration", "X.campaign_id, X.subject_org_id, FALSE", None,
     "X.first_submitted_at IS NOT NULL", None, ("INSERT", "UPDATE", "DELETE")),
    ("appraisal", "appraisals_appraisal", "r.campaign_id, r.subject_org_id, FALSE",
     ("registrations_registration r", "r.id = X.registration_id"), "TRUE", None, ("INSERT", "UPDATE", "DELETE")),
    ("bonus", "appraisals_bonusjudgement", "X.campaign_id, X.subject_org_id, FALSE", None, "TRUE", None,
     ("INSERT", "UPDATE", "DELETE")),
    ("individual", "appraisals_individualappraisal", "X.campaign_id, p.org_id, FALSE",
     ("orgs_person p", "p.id = X.person_id"), "TRUE", None, ("INSERT", "UPDATE", "DELETE")),
    ("person", "orgs_person", "c.id, X.org_id, FALSE", ALL_CAMPAIGNS, "TRUE",
     None, ("INSERT", "UPDATE", "DELETE")),
    ("org", "orgs_organization", "c.id, X.id, TRUE", ALL_CAMPAIGNS, "TRUE",
     ("path", "in_village", "private_enterprise", "valid_from", "valid_to"), ("UPDATE",)),
    # a new organization has no tally yet; one moved or deleted leaves its old parent's subtree figures wrong
    ("orgnew", "orgs_organization", "c.id, X.id, FALSE", ALL_CAMPAIGNS, "TRUE", None, ("INSERT",)),
    ("orgold", "orgs_organization", "c.id, p.id, FALSE", PARENT, "TRUE", ("path",), ("UPDATE", "DELETE")),
    ("level", "campaigns_campaignlevel", "X.campaign_id, X.org_id, TRUE", None, "TRUE", None,
     ("INSERT", "UPDATE", "DELETE")),
    ("campaign", "campaigns_campaign", "X.id, X.root_id, TRUE", None, "TRUE",
     ("root_id", "tree_date", "registration_deadline"), ("UPDATE",)),
    ("camprubric", "appraisals_campaignrubric", "X.campaign_id, c.root_id, TRUE",
     ("campaigns_campaign c", "c.id = X.campaign_id"), "TRUE", None, ("INSERT", "UPDATE", "DELETE")),
    ("rubric", "appraisals_rubric", "cr.campaign_id, c.root_id, TRUE",
     ("appraisals_campaignrubric cr JOIN campaigns_campaign c ON c.id = cr.campaign_id", "cr.rubric_id = X.id"),
     "TRUE", None, ("UPDATE",)),
]
SIDES = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("NEW", "OLD")}


def _sides(name, event):
    return ("OLD",) if name in OLD_ONLY else SIDES[event]


def _pg(name, table, cols, join, where, changed, event):
    tables = {"INSERT": "REFERENCING NEW TABLE AS nt", "DELETE": "REFERENCING OLD TABLE AS ot",
              "UPDATE": "REFERENCING NEW TABLE AS nt OLD TABLE AS ot"}[event]
    statements = []
    for side in _sides(name, event):
        src = "nt" if side == "NEW" else "ot"
        sql = f"{D}SELECT {cols} FROM {src} X"  # nosec B608 — trigger DDL from the constant table above
        if join:
            sql += f" JOIN {join[0]} ON {join[1]}"
        cond = where
        if changed and event == "UPDATE":  # only rows whose relevant columns changed
            other = "ot" if side == "NEW" else "nt"
            sql += f" JOIN {other} Y ON Y.id = X.id"
            cond += " AND (" + " OR ".join(f"X.{c} IS DISTINCT FROM Y.{c}" for c in changed) + ")"
        statements.append(f"{sql} WHERE {cond};")
    fn = f"coverage_dirty_{name}_{event.lower()}"
    return [
        f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        + " ".join(statements) + " RETURN NULL; END $$;",
        f"CREATE TRIGGER {fn} AFTER {event} ON {table} {tables} FOR EACH STATEMENT EXECUTE FUNCTION {fn}();",
    ]


def _sqlite(name, table, cols, join, where, changed, event):
    statements = []
    for side in _sides(name, event):
        c = cols.replace("X.", side + ".")
        w = where.replace("X.", side + ".")
        sql = f"{D}SELECT {c}"
        if join:
            sql += f" FROM {join[0]} WHERE {join[1].replace('X.', side + '.')} AND {w}"
        else:
            sql += f" WHERE {w}"
        statements.append(sql + ";")
    when = ""
    if changed and event == "UPDATE":
        when = " WHEN " + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in changed)
    trg = f"coverage_dirty_{name}_{event.lower()}"
    return [f"CREATE TRIGGER {trg} AFTER {event} ON {table} FOR EACH ROW{when} BEGIN " + " ".join(statements) + " END;"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    build = {"postgresql": _pg, "sqlite": _sqlite}.get(vendor)
    if build is None:
        raise RuntimeError(f"coverage tally triggers are written for PostgreSQL and SQLite, not {vendor}")
    for spec in SPECS:
        for event in spec[-1]:
            for sql in build(*spec[:-1], event):
                schema_editor.execute(sql)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, table, *_rest, events in SPECS:
        for event in events:
            trg = f"coverage_dirty_{name}_{event.lower()}"
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trg} ON {table};")
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {trg}();")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trg};")


class Migration(migrations.Migration):
    dependencies = [
        ("coverage", "0002_tallies"),
        ("registrations", "0007_registration_ref_and_more"),
        ("appraisals", "0001_initial"),
        ("campaigns", "0001_initial"),
        ("orgs", "0006_importjob_kind"),
    ]
    operations = [migrations.RunPython(create, drop)]
