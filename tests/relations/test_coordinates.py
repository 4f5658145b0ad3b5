from decimal import Decimal

import pytest
from django.urls import reverse

from kadans.relations.models import BusinessStatus, Relation
from tests.api_support import api_as


def _form_data(**extra):
    return {"kind": "company", "name": "Café De Kroon", "country": "BE",
            "business_status": BusinessStatus.objects.get(code="lead").pk, **extra}


def test_the_relation_form_takes_coordinates(client, rep):
    client.force_login(rep)
    response = client.post(reverse("relations:create"), _form_data(latitude="51.054342", longitude="3.717424"))
    assert response.status_code == 302
    relation = Relation.objects.get()
    assert (relation.latitude, relation.longitude) == (Decimal("51.054342"), Decimal("3.717424"))


@pytest.mark.parametrize("coordinates", [{"latitude": "91", "longitude": "3.7"}, {"latitude": "51.0"}])
def test_the_form_refuses_coordinates_out_of_range_or_half_given(client, rep, coordinates):
    client.force_login(rep)
    response = client.post(reverse("relations:create"), _form_data(**coordinates))
    assert response.status_code == 200
    assert not Relation.objects.exists()


def test_the_api_reads_and_writes_coordinates(rep, relation):
    api = api_as(rep)
    response = api.patch(f"/relations/{relation.pk}", {"latitude": 51.2172, "longitude": 4.4211})
    assert response.status_code == 200, response.content
    assert (response.json()["latitude"], response.json()["longitude"]) == (51.2172, 4.4211)
    assert api.patch(f"/relations/{relation.pk}", {"latitude": 100}).status_code == 422
    created = api.post("/relations", {"name": "Nowhere"}).json()
    assert created["latitude"] is None and created["longitude"] is None
