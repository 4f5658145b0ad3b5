"""The benchmark's own workload generator (kadans.bench.workload): deterministic files in the workload
format, the volumes and shares of each scale, a heavy representative, and files the loader takes."""

import collections
import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from kadans.accounts.models import User
from kadans.activities.models import Activity, CostLine, Participation
from kadans.bench.loader import load_workload
from kadans.bench.workload import FILES, HEAVY_REP, volumes, write_workload
from kadans.integrations.workload import COLUMNS
from kadans.relations.models import Relation, StatusChange

ANCHOR = datetime.date(2026, 11, 22)
NOW = datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC)


def read(folder, name):
    with (folder / name).open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows


def at(value):
    return datetime.datetime.fromisoformat(value)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """S=0.02: 3 representatives, 200 relations, 400 contacts, 4,000 activities."""
    folder = tmp_path_factory.mktemp("workload")
    write_workload(folder, scale=0.02, anchor=ANCHOR)
    return folder


def test_the_same_seed_scale_and_anchor_give_byte_identical_files(tmp_path, small):
    write_workload(tmp_path / "again", scale=0.02, anchor=ANCHOR)
    write_workload(tmp_path / "other", scale=0.02, anchor=ANCHOR, seed=7)
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (small / name).read_bytes(), name
    assert (tmp_path / "other" / "activities.csv").read_bytes() != (small / "activities.csv").read_bytes()


def test_the_generator_writes_the_format_the_import_reads(small):
    assert FILES == COLUMNS
    for name, columns in FILES.items():
        assert (small / name).read_text(encoding="utf-8").splitlines()[0] == ",".join(columns)


@pytest.mark.parametrize(("scale", "expected"), [
    (1, (20, 10_000, 20_000, 200_000)), (10, (200, 100_000, 200_000, 2_000_000)), (0.01, (3, 100, 200, 2_000)),
    (0.002, (3, 20, 40, 400)),
])
def test_the_volumes_of_a_scale(scale, expected):
    v = volumes(scale)
    assert (v.users, v.organisations, v.contacts, v.activities) == expected


def test_the_files_have_the_volumes_of_their_scale(small):
    assert [len(read(small, name)) for name in ("users.csv", "organisations.csv", "contacts.csv",
                                                "activities.csv")] == [3, 200, 400, 4000]
    assert [u["username"] for u in read(small, "users.csv")] == ["rep01", "rep02", "rep03"]
    assert collections.Counter(c["org_id"] for c in read(small, "contacts.csv")) == {
        str(org): 2 for org in range(1, 201)}


def test_the_activities_are_spread_as_described(small):
    activities = read(small, "activities.csv")
    n = len(activities)
    done = [a for a in activities if a["status"] == "done"]
    planned = [a for a in activities if a["status"] == "planned" and at(a["start"]) >= NOW]
    overdue = [a for a in activities if a["status"] == "planned" and at(a["start"]) < NOW]
    assert len(done) + len(planned) + len(overdue) == n
    assert abs(len(done) / n - 0.70) < 0.03
    assert abs(len(planned) / n - 0.25) < 0.03
    assert abs(len(overdue) / n - 0.05) < 0.015
    # done in the last three years, planned in the next three months, overdue in the last 60 days
    assert all(NOW - datetime.timedelta(days=3 * 365) <= at(a["start"]) and at(a["end"]) < NOW for a in done)
    assert all(at(a["start"]) < NOW + datetime.timedelta(days=92) for a in planned)
    assert all(NOW - datetime.timedelta(days=60) <= at(a["start"]) for a in overdue)
    all_day = [a for a in activities if a["all_day"] == "1"]
    assert abs(len(all_day) / n - 0.30) < 0.03
    assert all(a["start"].endswith("T00:00:00Z") and a["end"] == a["start"][:10] + "T23:59:00Z" for a in all_day)
    assert all(at(a["start"]) < at(a["end"]) for a in activities)
    assert {a["type"] for a in activities} == {"call", "meeting", "email", "todo"}
    # an activity's contact is one of its relation's two, or none
    contact_org = {c["contact_id"]: c["org_id"] for c in read(small, "contacts.csv")}
    assert all(contact_org[a["contact_id"]] == a["org_id"] for a in activities if a["contact_id"])
    assert 0.2 < sum(not a["contact_id"] for a in activities) / n < 0.4
    # the owner is mostly the relation's representative
    rep_of = {o["org_id"]: o["rep_user_id"] for o in read(small, "organisations.csv")}
    assert 0.85 < sum(rep_of[a["org_id"]] == a["owner_user_id"] for a in activities) / n < 0.95


def test_participants_cost_lines_and_status_changes(small):
    activities = {a["activity_id"]: a for a in read(small, "activities.csv")}
    participants = read(small, "activity_participants.csv")
    per_activity = collections.Counter(p["activity_id"] for p in participants)
    assert set(per_activity.values()) == {1, 2}
    assert abs(len(participants) / len(activities) - 0.5) < 0.05  # 0, 1, 2 extra: 60, 30, 10 %
    assert all(p["user_id"] != activities[p["activity_id"]]["owner_user_id"] for p in participants)
    assert len({(p["activity_id"], p["user_id"]) for p in participants}) == len(participants)

    lines = read(small, "cost_lines.csv")
    assert all(activities[line["activity_id"]]["status"] == "done" for line in lines)
    assert set(collections.Counter(line["activity_id"] for line in lines).values()) == {1, 2, 3}
    costed = len({line["activity_id"] for line in lines})
    done = sum(a["status"] == "done" for a in activities.values())
    assert abs(costed / done - 0.5) < 0.05
    products = {p["product_id"]: p for p in read(small, "products.csv")}
    assert all(line["unit_price"] == products[line["product_id"]]["cost_price"]
               for line in lines if line["product_id"])
    assert all(line["description"] for line in lines)

    changes = read(small, "status_changes.csv")
    chains = collections.defaultdict(list)
    for change in changes:
        activity = activities[change["activity_id"]]
        assert activity["org_id"] == change["org_id"] and activity["status"] == "done"
        assert change["user_id"] == activity["owner_user_id"]
        chains[change["org_id"]].append((change["at"], change["from_status"], change["to_status"]))
    paths = collections.Counter(tuple(s for _, _, s in sorted(chain)) for chain in chains.values())
    assert set(paths) <= {("prospect",), ("lost",), ("prospect", "customer"), ("prospect", "lost")}
    assert all(sorted(chain)[0][1] == "lead" for chain in chains.values())
    assert 0.55 < len(chains) / 200 < 0.8


def test_a_heavy_representative_has_ten_times_the_history(tmp_path, small):
    write_workload(tmp_path, scale=0.02, anchor=ANCHOR, heavy_rep=HEAVY_REP)
    per_owner = collections.Counter(a["owner_user_id"] for a in read(tmp_path, "activities.csv"))
    usual = collections.Counter(a["owner_user_id"] for a in read(small, "activities.csv"))
    assert 9 < per_owner["1"] / usual["1"] < 11
    assert all(0.9 < per_owner[u] / usual[u] < 1.1 for u in ("2", "3"))  # the others keep theirs
    assert sum(per_owner.values()) == 4000 + 9 * 4000 // 3
    activities = {a["activity_id"]: a for a in read(tmp_path, "activities.csv")}
    mine = {k for k, a in activities.items() if a["owner_user_id"] == "1"}
    parts = sum(p["activity_id"] in mine for p in read(tmp_path, "activity_participants.csv"))
    lines = sum(line["activity_id"] in mine for line in read(tmp_path, "cost_lines.csv"))
    assert 0.4 < parts / len(mine) < 0.6 and 0.5 < lines / len(mine) < 0.9  # participations, cost lines too
    # the same users, relations and contacts as the ordinary workload
    for name in ("users.csv", "organisations.csv", "contacts.csv", "products.csv"):
        assert (tmp_path / name).read_bytes() == (small / name).read_bytes()


@pytest.mark.django_db
def test_the_loader_loads_the_generated_files(tmp_path):
    counts = write_workload(tmp_path, scale=0.005, anchor=ANCHOR)
    result = load_workload(tmp_path)

    assert result.counts == {
        "users": counts["users.csv"], "products": counts["products.csv"], "relations": counts["organisations.csv"],
        "contacts": counts["contacts.csv"], "activities": counts["activities.csv"],
        "participations": counts["activity_participants.csv"], "cost_lines": counts["cost_lines.csv"],
        "status_changes": counts["status_changes.csv"],
    }
    assert Activity.objects.filter(status=Activity.Status.DONE).count() == counts["done"]
    assert (Relation.objects.count(), Participation.objects.count(), CostLine.objects.count(),
            StatusChange.objects.count()) == (50, counts["activity_participants.csv"], counts["cost_lines.csv"],
                                              counts["status_changes.csv"])
    assert User.objects.get(username="rep01").check_password("bench")
    # a relation's status is its last change's, "lead" without one
    last = {}
    for change in read(tmp_path, "status_changes.csv"):
        last[int(change["org_id"])] = change["to_status"]
    statuses = dict(Relation.objects.values_list("id", "business_status__code"))
    assert statuses == {org: last.get(org, "lead") for org in range(1, 51)}


def test_the_command_writes_a_workload(tmp_path):
    out = io.StringIO()
    call_command("bench_generate", "--scale", "0.002", "--out", str(tmp_path), "--heavy-rep", stdout=out)
    assert "heavy=rep01x10" in out.getvalue()
    owners = collections.Counter(a["owner_user_id"] for a in read(tmp_path, "activities.csv"))
    assert owners["1"] > 5 * owners["2"]
    with pytest.raises(CommandError, match="rep99"):
        call_command("bench_generate", "--scale", "0.002", "--out", str(tmp_path), "--heavy-rep", "rep99")
