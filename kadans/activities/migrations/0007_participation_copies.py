"""Participations carry a copy of their activity's status, start and end, kept in step by triggers.

The user's half of "my activities", of the counters and of the calendar is then read from the index
participation_user_open alone, instead of looking up each of the user's ~5,000 activities by id.

The copies are written by the database only, never by Python code:
- on inserting a participation, or changing its activity: copied from the activity;
- on changing an activity's status, start or end: copied to its participations.

Later migrations, beware. SQLite drops a table's triggers when Django rebuilds the table (many
AlterField, some RemoveField, AddConstraint … copy it into a new table), and the rebuild of either table
fails while the other's trigger refers to it ("error in trigger …: no such table"). A later migration
that rebuilds activities_activity or activities_participation must drop the triggers before and create
them again after:

    copies = importlib.import_module("kadans.activities.migrations.0007_participation_copies")
    operations = [
        migrations.RunPython(copies.drop_triggers, copies.create_triggers),
        migrations.AlterField(...),
        migrations.RunPython(copies.create_triggers, copies.drop_triggers),
    ]

On PostgreSQL, changing the type of status, start or "end" needs the same (a column named in a
trigger's UPDATE OF cannot change type). tests/test_participation_copies.py fails when a trigger is
missing.
"""

from django.conf import settings
from django.db import migrations, models

SQLITE_TRIGGERS = [
    "participation_copy_on_insert", "participation_copy_on_activity_change", "activity_copy_to_participations",
]

COPY = """
    UPDATE activities_participation
    SET (activity_status, activity_start, activity_end) = (
        SELECT a.status, a.start, a."end" FROM activities_activity a WHERE a.id = NEW.activity_id
    )
    WHERE id = NEW.id;
"""

SQLITE = [
    f"""CREATE TRIGGER participation_copy_on_insert AFTER INSERT ON activities_participation
    BEGIN {COPY} END""",
    f"""CREATE TRIGGER participation_copy_on_activity_change AFTER UPDATE OF activity_id ON activities_participation
    BEGIN {COPY} END""",
    """CREATE TRIGGER activity_copy_to_participations AFTER UPDATE OF status, start, "end" ON activities_activity
    WHEN OLD.status IS NOT NEW.status OR OLD.start IS NOT NEW.start OR OLD."end" IS NOT NEW."end"
    BEGIN
        UPDATE activities_participation
        SET activity_status = NEW.status, activity_start = NEW.start, activity_end = NEW."end"
        WHERE activity_id = NEW.id;
    END""",
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]

POSTGRESQL = [
    # FOR SHARE: a participation inserted while another transaction changes its activity waits for that
    # change to commit and copies the new values; without the lock it would copy the old ones, and the
    # other transaction's trigger (its UPDATE does not see the uncommitted participation) would miss it.
    # An activity update waits in turn for a transaction that holds the lock, and then sees its rows.
    """CREATE FUNCTION activities_participation_copy() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT a.status, a.start, a."end" INTO NEW.activity_status, NEW.activity_start, NEW.activity_end
        FROM activities_activity a WHERE a.id = NEW.activity_id FOR SHARE;
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER participation_copy BEFORE INSERT OR UPDATE OF activity_id ON activities_participation
    FOR EACH ROW EXECUTE FUNCTION activities_participation_copy()""",
    """CREATE FUNCTION activities_activity_copy_to_participations() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE activities_participation
        SET activity_status = NEW.status, activity_start = NEW.start, activity_end = NEW."end"
        WHERE activity_id = NEW.id;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER activity_copy_to_participations AFTER UPDATE OF status, start, "end" ON activities_activity
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.start IS DISTINCT FROM NEW.start
          OR OLD."end" IS DISTINCT FROM NEW."end")
    EXECUTE FUNCTION activities_activity_copy_to_participations()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS activity_copy_to_participations ON activities_activity",
    "DROP FUNCTION IF EXISTS activities_activity_copy_to_participations()",
    "DROP TRIGGER IF EXISTS participation_copy ON activities_participation",
    "DROP FUNCTION IF EXISTS activities_participation_copy()",
]

BACKFILL = {
    "sqlite": """
        UPDATE activities_participation
        SET (activity_status, activity_start, activity_end) = (
            SELECT a.status, a.start, a."end" FROM activities_activity a
            WHERE a.id = activities_participation.activity_id
        )""",
    # one join instead of a look-up per row
    "postgresql": """
        UPDATE activities_participation p
        SET activity_status = a.status, activity_start = a.start, activity_end = a."end"
        FROM activities_activity a WHERE a.id = p.activity_id""",
}

TRIGGERS = {"sqlite": (SQLITE, SQLITE_REVERSE), "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE)}


def _vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in TRIGGERS:
        raise NotImplementedError(f"participation copies: no triggers written for {vendor}")
    return vendor


def _run(schema_editor, statements) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def backfill(apps, schema_editor):
    _run(schema_editor, [BACKFILL[_vendor(schema_editor)]])


def create_triggers(apps, schema_editor):
    _run(schema_editor, TRIGGERS[_vendor(schema_editor)][0])


def drop_triggers(apps, schema_editor):
    _run(schema_editor, TRIGGERS[_vendor(schema_editor)][1])


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0006_recurrence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='participation',
            name='activity_status',
            field=models.CharField(editable=False, max_length=10, null=True),
        ),
        migrations.AddField(
            model_name='participation',
            name='activity_start',
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='participation',
            name='activity_end',
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RemoveIndex(
            model_name='participation',
            name='participation_user_activity',
        ),
        # filled before the new index is built, so that the update does not maintain it row by row
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name='participation',
            index=models.Index(
                fields=['user', 'activity_status', 'activity_start', 'activity_end', 'activity'],
                name='participation_user_open',
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
