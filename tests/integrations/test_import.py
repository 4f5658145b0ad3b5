"""Import from CSV and XLSX: mapping, every bad row named, all or nothing; the command; the web wizard."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from kadans.accounts.models import User
from kadans.activities.models import Activity, CostLine, Participation, Product
from kadans.bench.workload import write_workload
from kadans.integrations.importer import default_mapping, run_import
from kadans.integrations.models import ImportJob
from kadans.integrations.tabular import read_table
from kadans.relations.models import Contact, Relation, StatusChange
from tests.factories import ContactFactory, ProductFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db


def csv_bytes(text: str) -> bytes:
    return text.strip().encode() + b"\n"


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def do_import(kind, content, filename, user, dry_run=False, mapping=None):
    header, rows = read_table(content, filename)
    return run_import(kind=kind, header=header, rows=rows, mapping=mapping or default_mapping(kind, header),
                      user=user, dry_run=dry_run)


RELATIONS = """
Naam;Gemeente;E-mail;Vertegenwoordiger;Status;BTW
Café De Kroon;Gent;kroon@example.be;rep;lead;BE0401234567
;Brugge;;rep;lead;
Bistro Zon;Antwerpen;not-an-address;rep;prospect;
Bakkerij Pain;Leuven;;nobody;lead;
Hotel Rivière;Namen;;rep;unknown-status;
Brasserie Nord;Mechelen;;rep;customer;
"""


def test_an_import_with_bad_rows_changes_nothing_and_names_each_bad_row(rep):
    report = do_import("relations", csv_bytes(RELATIONS), "relations.csv", rep)
    assert not report.ok and report.imported == 0
    bad = {number: message for number, message in report.errors}
    assert sorted(bad) == [3, 4, 5, 6]
    assert "empty" in bad[3]
    assert "not-an-address" in bad[4]
    assert "nobody" in bad[5]
    assert "unknown-status" in bad[6]
    assert not Relation.objects.exists() and not StatusChange.objects.exists()


def test_good_relations_import_through_the_services(rep):
    good = "\n".join(line for line in RELATIONS.strip().splitlines() if "Kroon" in line or "Nord" in line
                     or line.startswith("Naam"))
    report = do_import("relations", csv_bytes(good), "relations.csv", rep)
    assert report.ok and report.imported == 2
    kroon = Relation.objects.get(name="Café De Kroon")
    assert (kroon.city, kroon.representative, kroon.business_status.code) == ("Gent", rep, "lead")
    assert kroon.vat_number == "BE0401234567"
    # the first status is recorded, as for a relation made on the page
    assert StatusChange.objects.filter(relation__name="Brasserie Nord", to_status__code="customer").exists()


def test_a_dry_run_writes_nothing(rep):
    report = do_import("products", csv_bytes("name,code,cost_price\nTripel,T1,\"1,25\""), "p.csv", rep, dry_run=True)
    assert report.ok and report.rows == 1
    assert not Product.objects.exists()


def test_products_and_contacts_import_from_xlsx(rep):
    content = xlsx_bytes([["Name", "Code", "Cost price", "Active"], ["Tripel 33cl", "T33", 1.25, "ja"],
                          ["Glas", None, 3, 0]])
    assert do_import("products", content, "products.xlsx", rep).ok
    assert Product.objects.get(code="T33").cost_price == Decimal("1.25")
    assert Product.objects.get(name="Glas").active is False
    relation = RelationFactory(name="Het Anker")
    content = xlsx_bytes([["relation", "first name", "last name", "e-mail"], [relation.pk, "An", "Peeters", "an@x.be"],
                          ["Het Anker", "Bo", "Maes", ""]])
    report = do_import("contacts", content, "contacts.xlsx", rep)
    assert report.ok, report.errors
    assert sorted(Contact.objects.values_list("last_name", flat=True)) == ["Maes", "Peeters"]


def test_activities_import_with_participants_and_cost_lines(rep):
    relation = RelationFactory(name="Het Anker", representative=rep)
    contact = ContactFactory(relation=relation, email="an@x.be")
    colleague = UserFactory(username="colleague")
    ProductFactory(name="Tripel", code="T33", cost_price=Decimal("1.10"))
    activities = f"""
relation,type,start,end,status,representative,contact,summary,participants
{relation.pk},Meeting,2026-03-02 10:00,2026-03-02 11:30,done,rep,an@x.be,Tasting,colleague
Het Anker,Call,12/03/2026,,planned,,,Follow up,
"""
    report = do_import("activities", csv_bytes(activities), "a.csv", rep)
    assert report.ok, report.errors
    tasting = Activity.objects.get(summary="Tasting")
    assert tasting.status == Activity.Status.DONE and tasting.contact == contact and not tasting.all_day
    assert list(Participation.objects.filter(activity=tasting).values_list("user_id", flat=True)) == [colleague.pk]
    follow = Activity.objects.get(summary="Follow up")
    assert follow.all_day and str(follow.due_date) == "2026-03-12" and follow.representative == rep
    lines = f"activity,description,product,quantity,unit_price\n{tasting.pk},,T33,6,\n{tasting.pk},Lunch,,1,42.50"
    assert do_import("cost_lines", csv_bytes(lines), "c.csv", rep).ok
    assert sorted(CostLine.objects.values_list("unit_price", flat=True)) == [Decimal("1.10"), Decimal("42.50")]


def test_a_bad_activity_row_keeps_the_good_ones_out_too(rep):
    relation = RelationFactory()
    activities = f"""
relation,type,start,end,status
{relation.pk},Call,2026-03-02,,planned
{relation.pk},Teleport,2026-03-02,,planned
{relation.pk},Call,2026-03-05,2026-03-01,planned
999999,Call,2026-03-02,,planned
{relation.pk},Call,someday,,done
"""
    report = do_import("activities", csv_bytes(activities), "a.csv", rep)
    assert [n for n, _ in report.errors] == [3, 4, 5, 6]
    assert not Activity.objects.exists()


def test_mapping_problems_are_reported_before_any_row(rep):
    report = do_import("relations", csv_bytes("Bedrijf,Stad\nX,Y"), "r.csv", rep,
                       mapping={"city": "Stad", "colour": "Bedrijf"})
    messages = " ".join(m for _, m in report.errors)
    assert "colour" in messages and "Choose a column for" in messages


def test_unreadable_files_are_refused():
    from kadans.integrations.tabular import TableError

    with pytest.raises(TableError):
        read_table(b"\xff\xfe\x00garbage", "x.csv")
    with pytest.raises(TableError):
        read_table(b"not a zip", "x.xlsx")
    with pytest.raises(TableError):
        read_table(b"a,b", "x.pdf")


def test_the_command_imports_a_file_all_or_nothing(tmp_path, rep):
    UserFactory(username="boss", is_superuser=True)
    path = tmp_path / "relations.csv"
    path.write_bytes(csv_bytes(RELATIONS))
    with pytest.raises(CommandError, match="4 bad row"):
        call_command("kadans_import", "relations", str(path), stderr=io.StringIO())
    assert not Relation.objects.exists()
    path.write_text("Company,Place\nDe Kroon,Gent\n")
    out = io.StringIO()
    call_command("kadans_import", "relations", str(path), "--mapping", "city=Place", stdout=out)
    assert "imported 1" in out.getvalue()
    assert Relation.objects.get().city == "Gent"


def test_the_command_loads_a_benchmark_workload(tmp_path):
    write_workload(tmp_path, scale=0.002)
    call_command("kadans_import", "workload", str(tmp_path), "--dry-run", stdout=io.StringIO())
    assert not Relation.objects.exists()
    out = io.StringIO()
    call_command("kadans_import", "workload", str(tmp_path), stdout=out)
    assert Relation.objects.count() == 20 and Activity.objects.count() == 400
    assert User.objects.filter(username="rep01").get().has_usable_password() is False


def test_a_bad_workload_loads_nothing(tmp_path):
    write_workload(tmp_path, scale=0.002)
    path = tmp_path / "activities.csv"
    lines = path.read_text().splitlines()
    lines[5] = lines[5].replace(",call,", ",teleport,").replace(",todo,", ",teleport,").replace(
        ",meeting,", ",teleport,").replace(",email,", ",teleport,")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match="activities.csv:6"):
        call_command("kadans_import", "workload", str(tmp_path))
    assert not Relation.objects.exists() and not User.objects.exists()


def test_the_web_import_maps_checks_and_commits(client, rep):
    admin = UserFactory(role="administrator")
    client.force_login(admin)
    upload = io.BytesIO(csv_bytes("Bedrijf,Plaats\nDe Kroon,Gent\n,Brugge\n"))
    upload.name = "relaties.csv"
    response = client.post(reverse("integrations:import"), {"kind": "relations", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("integrations:import_map", args=[job.pk])
    # "Plaats" is not a known name: the user maps it
    page = client.post(response["Location"], {"name": "Bedrijf", "city": "Plaats", "action": "dry_run"})
    assert "Brugge" in page.content.decode() and 'id="import-errors"' in page.content.decode()
    assert [n for n, _ in page.context["report"]["errors"]] == [3]
    page = client.post(response["Location"], {"name": "Bedrijf", "city": "Plaats", "action": "commit"})
    assert not Relation.objects.exists()
    job.content = csv_bytes("Bedrijf,Plaats\nDe Kroon,Gent\n")
    job.save()
    client.post(response["Location"], {"name": "Bedrijf", "city": "Plaats", "action": "dry_run"})
    assert not Relation.objects.exists()
    client.post(response["Location"], {"name": "Bedrijf", "city": "Plaats", "action": "commit"})
    assert Relation.objects.get().city == "Gent"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_only_administrators_import(client, rep):
    client.force_login(rep)
    assert client.get(reverse("integrations:import")).status_code == 403


def test_the_import_and_settings_pages_render(client):
    client.force_login(UserFactory(role="administrator"))
    for name in ("integrations:import", "integrations:webform_list", "integrations:webform_create"):
        assert client.get(reverse(name)).status_code == 200
