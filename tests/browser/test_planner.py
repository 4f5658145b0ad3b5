"""Plan my week in Chromium: plan, see the visits on the map and in the list, drop one, accept the week.

With KADANS_PLANNER_SCREENSHOT=<path> it also saves the picture of the map page the README shows
(docs/planner.png). Map tiles are never fetched: every tile request gets an empty answer.
"""

import os
import random

from django.utils import timezone
from playwright.sync_api import expect

from kadans.activities.models import Activity
from kadans.planner.models import Proposal
from tests.factories import UserFactory
from tests.planner.conftest import WEEK, customer, works

TILES = "https://tile.openstreetmap.org/**"


def _data():
    rep = UserFactory(username="planner-rep", first_name="Lotte", last_name="Peeters")
    works(rep)
    rng = random.Random(18)
    towns = [(51.05, 3.72), (51.21, 3.22), (50.93, 5.33), (50.88, 4.70), (51.22, 4.40), (51.03, 4.10)]
    for i in range(18):
        lat, lon = towns[i % len(towns)]
        customer(rep, f"Café {i + 1:02}", lat + rng.uniform(-0.06, 0.06), lon + rng.uniform(-0.08, 0.08), minutes=45)
    customer(rep, "Brasserie Zonder Adres")
    return rep


def test_plan_drop_and_accept_the_week(page, live_server, login):
    rep = _data()
    page.route(TILES, lambda route: route.fulfill(status=204, body=b""))
    login("planner-rep", "secret-pass-123")
    page.goto(f"{live_server.url}/planner/?representative={rep.pk}&week={WEEK.isoformat()}")
    with page.expect_navigation():
        page.click("#plan-week")

    proposals = Proposal.objects.filter(plan__representative=rep)
    located = proposals.filter(has_coordinates=True).count()
    assert proposals.count() == 19 and located == 18
    page.wait_for_selector(".planner-marker")
    assert page.locator(".planner-marker").count() == located
    days_driven = {timezone.localtime(p.start).date() for p in proposals.filter(has_coordinates=True)}
    assert page.locator("path.planner-route").count() == len(days_driven) > 1
    assert page.locator("li.proposal").count() == 19
    assert page.get_by_text("Brasserie Zonder Adres has no coordinates").is_visible()
    first = page.locator("li.proposal").first
    first_name = first.locator("a").first.inner_text()
    assert first_name in {p.relation.name for p in proposals.select_related("relation")}

    if path := os.environ.get("KADANS_PLANNER_SCREENSHOT"):
        box = page.locator("#board").bounding_box()
        clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": 760}
        page.screenshot(path=path, full_page=True, clip=clip)

    first.locator("button.drop").click()
    # polled from Python: the page's CSP allows no string evaluation (wait_for_function)
    expect(page.locator("li.proposal")).to_have_count(18)
    expect(page.locator(".planner-marker")).to_have_count(
        located - 1 if first_name != "Brasserie Zonder Adres" else located)

    with page.expect_navigation():
        page.click("#accept-week")
    assert page.get_by_text("18 visits planned.").is_visible()
    activities = Activity.objects.filter(representative=rep, status=Activity.Status.PLANNED)
    assert activities.count() == 18
    assert first_name not in set(activities.values_list("relation__name", flat=True))
    assert set(activities.values_list("all_day", flat=True)) == {False}
    assert page.locator("mark", has_text="accepted").count() == 18
