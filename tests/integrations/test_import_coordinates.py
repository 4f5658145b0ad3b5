from decimal import Decimal

import pytest

from kadans.relations.models import Relation
from tests.integrations.test_import import csv_bytes, do_import

pytestmark = pytest.mark.django_db


def test_relations_import_their_coordinates_with_a_point_or_a_decimal_comma(rep):
    content = csv_bytes('Naam;Lat;Lon\nCafé De Kroon;51,054342;3,717424\nBistro Zon;51.2172;4.4211\nNowhere;;')
    report = do_import("relations", content, "relations.csv", rep)
    assert report.ok, report.errors
    kroon, zon, nowhere = (Relation.objects.get(name=n) for n in ("Café De Kroon", "Bistro Zon", "Nowhere"))
    assert (kroon.latitude, kroon.longitude) == (Decimal("51.054342"), Decimal("3.717424"))
    assert (zon.latitude, zon.longitude) == (Decimal("51.217200"), Decimal("4.421100"))
    assert nowhere.latitude is None and nowhere.longitude is None


def test_coordinates_out_of_range_are_refused(rep):
    content = csv_bytes("Naam;Latitude;Longitude\nCafé De Kroon;95;3.7\nHalf;51.0;")
    report = do_import("relations", content, "relations.csv", rep)
    assert not report.ok
    assert sorted(row for row, _message in report.errors) == [2, 3]
    assert not Relation.objects.exists()
