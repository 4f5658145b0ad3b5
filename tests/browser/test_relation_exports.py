"""Issue 17: after filtering the relation list (htmx, no reload), the CSV/XLSX links export what is shown."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from tests.factories import RelationFactory, UserFactory


def test_the_export_links_follow_the_live_filter(page, live_server, login):
    rep = UserFactory(username="filterer", language="en")
    rep.set_password("secret")
    rep.save()
    RelationFactory(name="Brouwerij Het Anker", city="Mechelen", representative=rep)
    RelationFactory(name="Café Rubens", city="Antwerpen", representative=rep)
    login("filterer", "secret")
    page.goto(live_server.url + "/relations/")
    page.fill("input[name=q]", "anker")
    page.locator("#relation-table", has_text="1 relation").wait_for()
    page.select_option("select[name=sort]", "city")
    # polled from Python: the page's CSP allows no string evaluation (wait_for_function)
    expect(page.locator("#relation-exports a").first).to_have_attribute("href", re.compile("sort=city"))
    for link in page.locator("#relation-exports a", has_text="CSV").all() + page.locator(
        "#relation-exports a", has_text="XLSX"
    ).all():
        assert parse_qs(urlsplit(link.get_attribute("href")).query) == {"q": ["anker"], "sort": ["city"]}
    assert page.locator("#relation-exports").count() == 1
    with page.expect_download() as download:
        page.click("#relation-exports a:text('CSV')")
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Brouwerij Het Anker" in content and "Café Rubens" not in content
