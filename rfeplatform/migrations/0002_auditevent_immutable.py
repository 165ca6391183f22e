"""Audit events are append-only in the database too, not only in the ORM.

UPDATE is refused on every backend. DELETE is refused on PostgreSQL only: the test suite's flush
empties SQLite tables with DELETE, while on PostgreSQL it uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

TABLE = "rfeplatform_auditevent"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION rfe_auditevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are immutable';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER rfe_auditevent_no_update BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION rfe_auditevent_immutable();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS rfe_auditevent_no_update ON {TABLE};
DROP FUNCTION IF EXISTS rfe_auditevent_immutable();
"""
SQLITE = f"""
CREATE TRIGGER rfe_auditevent_no_update BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'audit events are immutable'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS rfe_auditevent_no_update;"


def forwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql.strip())


def backwards(apps, schema_editor):
    sql = {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("rfeplatform", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
