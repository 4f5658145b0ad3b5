"""The benchmark's loader (kadans.bench.loader, the workload import of kadans.integrations.workload):
the workload's CSV files become relations, contacts and activities by the app's rules, all or nothing.
FILES is a small set written by hand, not by the project's generator: the loader takes any files in the
format, whoever wrote them. (The benchmark itself is a command, never a test.)"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection

from kadans.accounts.models import User
from kadans.activities.models import Activity, CostLine, Participation
from kadans.bench.loader import LOADED_TABLES, LoadError, load_workload
from kadans.relations.models import Relation, StatusChange

pytestmark = pytest.mark.django_db

BXL = zoneinfo.ZoneInfo("Europe/Brussels")

FILES = {
    "users.csv": """user_id,username,first_name,last_name,email
1,rep01,Alice,Durand,rep01@example.com
2,rep02,Bob,Garcia,rep02@example.com
""",
    "products.csv": """product_id,name,cost_price
1,Sample 01,2.50
""",
    "organisations.csv": """org_id,name,rep_user_id,city,phone,email
1,Acme Foods 00001,1,Paris,+33 1 42868828,contact@org00001.example.com
2,"Wonka, Labs 00002",2,Lyon,,
""",
    "contacts.csv": """contact_id,org_id,first_name,last_name,email,phone
1,1,Rosa,Dubois,rosa@example.com,+33 6 62523870
2,2,Noah,Petit,noah@example.com,
""",
    "activities.csv": """activity_id,type,title,start,end,all_day,status,owner_user_id,org_id,contact_id,description
1,call,Call Acme #1,2026-03-17T11:30:00Z,2026-03-17T12:00:00Z,0,done,1,1,1,Notes for call 1
2,meeting,Meeting Acme #2,2026-12-01T00:00:00Z,2026-12-01T23:59:00Z,1,planned,1,1,,
3,todo,Todo Wonka #3,2026-04-02T09:00:00Z,2026-04-02T09:30:00Z,0,done,2,2,2,
""",
    "activity_participants.csv": """activity_id,user_id
1,2
""",
    "cost_lines.csv": """cost_line_id,activity_id,description,product_id,quantity,unit_price
1,1,Sample 01,1,3,2.50
2,1,Lunch,,1,23.40
""",
    "status_changes.csv": """org_id,activity_id,user_id,from_status,to_status,at
1,1,1,lead,prospect,2026-03-17T00:00:00Z
""",
}


def write(folder, **changes):
    for name, text in {**FILES, **changes}.items():
        (folder / name).write_text(text)
    return folder


def test_it_loads_the_workload_by_the_apps_rules(tmp_path):
    result = load_workload(write(tmp_path))

    assert result.counts["activities"] == 3
    assert User.objects.get(username="rep01").check_password("bench")
    acme = Relation.objects.get(name="Acme Foods 00001")
    assert acme.representative.username == "rep01"
    assert acme.business_status.code == "prospect"  # its last status change
    assert Relation.objects.get(name="Wonka, Labs 00002").business_status.code == "lead"  # no change: a lead
    call = Activity.objects.get(summary="Call Acme #1")
    assert (call.type.name, call.status, call.contact.last_name) == ("Call", "done", "Dubois")
    assert call.done_at == call.end and call.done_by == call.representative
    assert list(Participation.objects.filter(activity=call).values_list("user__username", flat=True)) == ["rep02"]
    assert sorted(CostLine.objects.filter(activity=call).values_list("unit_price", flat=True)) == [
        Decimal("2.50"), Decimal("23.40")]
    change = StatusChange.objects.get()
    assert (change.relation, change.activity, change.to_status.code) == (acme, call, "prospect")
    # an all-day row (00:00-23:59 UTC of its day) is stored as the app stores all-day activities
    meeting = Activity.objects.get(summary="Meeting Acme #2")
    assert meeting.all_day and meeting.status == "planned"
    assert meeting.start == meeting.end == datetime.datetime(2026, 12, 1, tzinfo=BXL)


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("activities.csv", FILES["activities.csv"].replace("2,meeting,", "2,visit,"), "activities.csv:3"),
        ("activities.csv", FILES["activities.csv"].replace(",1,1,,\n", ",1,1,2,\n"), "activities.csv:3"),
        ("activity_participants.csv", "activity_id,user_id\n1,1\n", "activity_participants.csv:2"),
        ("cost_lines.csv", FILES["cost_lines.csv"].replace(",1,23.40", ",0,23.40"), "cost_lines.csv:3"),
        ("organisations.csv", FILES["organisations.csv"].replace(",2,Lyon", ",9,Lyon"), "organisations.csv:3"),
    ],
    ids=["unknown type", "contact of another relation", "owner as participant", "zero quantity",
         "unknown representative"],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_loaded(tmp_path, name, text, where):
    with pytest.raises(LoadError) as error:
        load_workload(write(tmp_path, **{name: text}))

    assert where in str(error.value)
    assert not User.objects.filter(username__startswith="rep").exists()
    assert not Activity.objects.exists()



def _foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [[model._meta.db_table for model in LOADED_TABLES]],
        )
        return cursor.fetchall()


only_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the loader drops and adds foreign keys on PostgreSQL only"
)


@pytest.mark.postgres
@only_postgres
def test_the_foreign_keys_dropped_for_loading_are_back(tmp_path):
    before = _foreign_keys()
    assert len(before) >= 10
    load_workload(write(tmp_path), drop_foreign_keys=True)
    assert _foreign_keys() == before


@pytest.mark.postgres
@only_postgres
def test_a_dangling_reference_fails_when_the_foreign_keys_come_back(tmp_path, monkeypatch):
    """The rows are checked when the constraints are added again: a reference the loader's own checks
    missed fails the load, and nothing stays (neither rows nor dropped constraints)."""
    from kadans.integrations import workload

    before = _foreign_keys()
    real = workload._bulk

    def with_a_dangling_relation(model, names, rows, **kwargs):
        if model is Activity:
            at = names.index("relation_id")
            rows = ((*row[:at], 999_999, *row[at + 1:]) for row in rows)
        return real(model, names, rows, **kwargs)

    monkeypatch.setattr(workload, "_bulk", with_a_dangling_relation)
    with pytest.raises(IntegrityError):
        load_workload(write(tmp_path), drop_foreign_keys=True)
    assert not Activity.objects.exists() and not Relation.objects.exists()
    assert _foreign_keys() == before
