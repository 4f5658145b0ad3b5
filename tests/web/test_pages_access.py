"""Who may open which page: anonymous users go to the login page, everyone logged in reads, changing
follows kadans.accounts.permissions, settings are for administrators only."""

import html

import pytest

from kadans.activities.models import Activity, Product
from tests.factories import (
    ContactFactory,
    ProductFactory,
)
from tests.roles_support import make_owned, make_people

pytestmark = pytest.mark.django_db

MISSING = 999999


@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def world(people):
    return {**make_owned(people), "product": ProductFactory(), "other_contact": ContactFactory()}


def _url(template: str, world) -> str:
    return template.format(**{k: v.pk for k, v in world.items()})


READ_PAGES = [
    "/activities/",
    "/activities/new/",
    "/relations/",
    "/relations/new/",
    "/relations/{relation}/",
    "/relations/search/?q=Caf",
    "/activities/relation-fields/?relation={relation}",
    "/account/",
]
EDIT_PAGES = [
    "/activities/{activity}/edit/",
    "/relations/{relation}/edit/",
    "/relations/{relation}/contacts/new/",
    "/relations/{relation}/contacts/{contact}/edit/",
]
SETTINGS_PAGES = [
    "/settings/statuses/",
    "/settings/priorities/",
    "/settings/action-types/",
    "/settings/products/",
    "/settings/products/new/",
    "/settings/products/{product}/",
]
POST_PAGES = [
    "/activities/{activity}/complete/",
    "/activities/{activity}/cancel/",
    "/settings/products/{product}/delete/",
]
LOGGED_IN = ["owner", "manager", "administrator"]


@pytest.mark.parametrize("page", ["/", "/settings/", *READ_PAGES, *EDIT_PAGES, *SETTINGS_PAGES])
def test_anonymous_get_is_sent_to_the_login_page(client, world, page):
    response = client.get(_url(page, world))
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


@pytest.mark.parametrize("page", POST_PAGES)
def test_anonymous_post_is_sent_to_the_login_page_and_changes_nothing(client, world, page):
    response = client.post(_url(page, world))
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")
    assert Activity.objects.get(pk=world["activity"].pk).status == Activity.Status.PLANNED
    assert Product.objects.filter(pk=world["product"].pk).exists()


@pytest.mark.parametrize("role", LOGGED_IN)
def test_home_redirects_to_my_activities(client, people, role):
    client.force_login(people[role])
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/activities/"


@pytest.mark.parametrize("role", LOGGED_IN)
@pytest.mark.parametrize("page", READ_PAGES)
def test_everyone_logged_in_reads_the_shared_pages(client, people, world, role, page):
    client.force_login(people[role])
    assert client.get(_url(page, world)).status_code == 200


@pytest.mark.parametrize("role", ["owner", "stranger", "other_manager"])
def test_everyone_logged_in_reads_any_relation(client, people, world, role):
    client.force_login(people[role])
    response = client.get(f"/relations/{world['relation'].pk}/")
    assert response.status_code == 200
    assert f"<h1>{html.escape(world['relation'].name)}</h1>" in response.text


@pytest.mark.parametrize(
    "page",
    [
        "/relations/{missing}/",
        "/activities/{missing}/edit/",
        "/activities/relation-fields/?relation={missing}",
        "/relations/{missing}/edit/",
        "/relations/{missing}/contacts/new/",
    ],
)
def test_a_missing_object_is_not_found(client, people, page):
    client.force_login(people["administrator"])
    assert client.get(page.format(missing=MISSING)).status_code == 404


def test_relation_fields_with_a_non_numeric_relation_is_not_found(client, people):
    client.force_login(people["owner"])
    assert client.get("/activities/relation-fields/?relation=abc").status_code == 404


ACTIVITY_RULES = [
    ("owner", 200),
    ("participant", 200),
    ("manager", 200),
    ("administrator", 200),
    ("colleague", 403),
    ("stranger", 403),
    ("other_manager", 403),
]
RELATION_RULES = [
    ("owner", 200),
    ("manager", 200),
    ("administrator", 200),
    ("colleague", 403),
    ("stranger", 403),
    ("participant", 403),
    ("other_manager", 403),
]


@pytest.mark.parametrize(("role", "expected"), ACTIVITY_RULES)
def test_activity_edit_page_follows_the_permissions(client, people, world, role, expected):
    client.force_login(people[role])
    assert client.get(f"/activities/{world['activity'].pk}/edit/").status_code == expected


@pytest.mark.parametrize("action", ["complete", "cancel"])
@pytest.mark.parametrize(("role", "expected"), ACTIVITY_RULES)
def test_completing_and_cancelling_follow_the_permissions(client, people, world, role, expected, action):
    client.force_login(people[role])
    activity = world["activity"]
    response = client.post(f"/activities/{activity.pk}/{action}/")
    activity.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert activity.status == {"complete": "done", "cancel": "cancelled"}[action]
    else:
        assert response.status_code == 403
        assert activity.status == Activity.Status.PLANNED


@pytest.mark.parametrize("action", ["complete", "cancel"])
def test_completing_or_cancelling_a_missing_activity_is_not_found(client, people, action):
    client.force_login(people["administrator"])
    assert client.post(f"/activities/{MISSING}/{action}/").status_code == 404


@pytest.mark.parametrize("page", EDIT_PAGES[1:])
@pytest.mark.parametrize(("role", "expected"), RELATION_RULES)
def test_relation_and_contact_forms_follow_the_permissions(client, people, world, role, expected, page):
    client.force_login(people[role])
    assert client.get(_url(page, world)).status_code == expected


def test_a_contact_of_another_relation_is_not_found_under_this_relation(client, people, world):
    client.force_login(people["owner"])
    response = client.get(f"/relations/{world['relation'].pk}/contacts/{world['other_contact'].pk}/edit/")
    assert response.status_code == 404


def test_settings_index_opens_the_statuses_for_an_administrator(client, people):
    client.force_login(people["administrator"])
    response = client.get("/settings/")
    assert response.status_code == 302
    assert response.url == "/settings/statuses/"


@pytest.mark.parametrize("page", SETTINGS_PAGES)
def test_an_administrator_opens_every_settings_page(client, people, world, page):
    client.force_login(people["administrator"])
    assert client.get(_url(page, world)).status_code == 200


@pytest.mark.parametrize("role", ["owner", "manager"])
@pytest.mark.parametrize("page", ["/settings/", *SETTINGS_PAGES])
def test_only_administrators_open_settings(client, people, world, role, page):
    client.force_login(people[role])
    assert client.get(_url(page, world)).status_code == 403


@pytest.mark.parametrize("page", ["/settings/nope/", "/settings/nope/new/", f"/settings/products/{MISSING}/"])
def test_an_unknown_settings_section_or_object_is_not_found(client, people, page):
    client.force_login(people["administrator"])
    assert client.get(page).status_code == 404


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_only_administrators_delete_a_product(client, people, world, role):
    client.force_login(people[role])
    product = world["product"]
    assert client.post(f"/settings/products/{product.pk}/delete/").status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_an_administrator_deletes_an_unused_product(client, people, world):
    client.force_login(people["administrator"])
    product = world["product"]
    response = client.post(f"/settings/products/{product.pk}/delete/")
    assert response.status_code == 302
    assert response.url == "/settings/products/"
    assert not Product.objects.filter(pk=product.pk).exists()


def test_deleting_in_an_unknown_section_is_not_found(client, people, world):
    client.force_login(people["administrator"])
    assert client.post(f"/settings/nope/{world['product'].pk}/delete/").status_code == 404


def test_deleting_needs_a_post(client, people, world):
    client.force_login(people["administrator"])
    assert client.get(f"/settings/products/{world['product'].pk}/delete/").status_code == 405
    assert Product.objects.filter(pk=world["product"].pk).exists()
