from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.factories import RelationFactory

CALLS = []


def fake_geocoder(relation):
    """Stands in for a geocoding service: no network."""
    CALLS.append(relation.pk)
    return (51.054342, 3.717424) if relation.city == "Gent" else None


def test_without_a_geocoder_configured_the_command_refuses(db, settings):
    settings.KADANS_PLANNER_GEOCODER = None
    with pytest.raises(CommandError):
        call_command("geocode_relations")


def test_the_configured_geocoder_fills_in_only_missing_coordinates(db, settings):
    settings.KADANS_PLANNER_GEOCODER = "tests.planner.test_geocoder.fake_geocoder"
    CALLS.clear()
    gent = RelationFactory(city="Gent", street="Korenmarkt 1")
    elsewhere = RelationFactory(city="Nergens", street="Straat 1")
    known = RelationFactory(city="Gent", street="Veldstraat 1", latitude=Decimal("51"), longitude=Decimal("3.7"))
    call_command("geocode_relations")
    gent.refresh_from_db(), elsewhere.refresh_from_db(), known.refresh_from_db()
    assert (gent.latitude, gent.longitude) == (Decimal("51.054342"), Decimal("3.717424"))
    assert elsewhere.latitude is None
    assert known.latitude == Decimal("51")
    assert sorted(CALLS) == sorted([gent.pk, elsewhere.pk])
