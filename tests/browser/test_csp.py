"""The Content-Security-Policy in Chromium: every kind of page, as an administrator and as a visitor
without an account, raises no CSP violation (neither a `securitypolicyviolation` event nor a console
message), and the behaviours that moved out of inline handlers still work under the policy."""

from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from kadans.activities.models import Activity, ActivityType
from kadans.documents import services as documents
from kadans.relations.models import Relation
from kadans.web.demo import DEMO_PASSWORD, load_demo_data
from tests.factories import ContactFactory, RelationFactory, UserFactory, make_activity
from tests.mail_support import media, smtp  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


LISTS = ("settings", "integrations")


class Violations:
    """Collects CSP violations of a page: the DOM events of each document and Chromium's console lines."""

    def __init__(self, page):
        self.page = page
        self.found: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.found.append(f"console: {message.text}")

    def visit(self, url: str):
        response = self.page.goto(url)
        assert response is not None and response.status < 500, url
        assert "Content-Security-Policy" in {k.title() for k in response.headers} or response.status == 304, url
        self.page.wait_for_load_state("networkidle")
        self.collect(url)

    def collect(self, where: str):
        events = self.page.evaluate("window.__cspViolations || []")
        self.found.extend(f"{where}: {event}" for event in events)
        self.page.evaluate("window.__cspViolations = []")


@pytest.fixture
def demo(db):
    load_demo_data()


def _same_site_paths(page, selector: str) -> list[str]:
    paths = []
    for href in page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))"):
        path = urlparse(href).path if href else ""
        if path.startswith("/") and path not in paths:
            paths.append(path)
    return paths


def test_every_page_of_an_administrator_has_no_csp_violation(live_server, page, demo):
    # the planner's map tiles come from the tile server (an allowed image source): no network here
    page.route(settings.KADANS_PLANNER_TILE_URL.split("{")[0] + "**", lambda route: route.fulfill(status=204, body=b""))
    watch = Violations(page)
    watch.visit(live_server.url + "/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    watch.collect("after login")

    page.goto(live_server.url + "/")
    paths = _same_site_paths(page, "header nav a[href]")
    assert "/settings/" in paths and "/calendar/" in paths and "/account/" in paths
    for sub in ("/settings/", "/reports/", "/account/", "/relations/"):
        page.goto(live_server.url + sub)
        selector = {"/relations/": "#relation-table a[href]"}.get(sub, "main a[href]")
        found = _same_site_paths(page, selector)
        if sub == "/relations/":
            found = found[:1]  # one relation page stands for all
        paths += found
    sections = [p for p in paths if p.count("/") == 3 and p.endswith("/") and p.split("/")[1] in LISTS]
    for section in sections:
        page.goto(live_server.url + section)
        paths += [p for p in _same_site_paths(page, "main a[href]") if p.endswith("/new/")]
    activity = Activity.objects.filter(status=Activity.Status.PLANNED).first()
    paths += [f"/activities/{activity.pk}/", f"/activities/{activity.pk}/edit/"]
    paths += ["/activities/plans/new/", "/notifications/", "/admin/", "/api/v1/docs", "/no-such-page/"]
    # pages that change something on a GET, or downloads, are no page types
    skip = ("/logout/", ".csv", ".xlsx", "/export", "/download/", "/delete/", ".ics", "/feeds/", "/ical/")
    visited = []
    for path in paths:
        if path in visited or any(part in path for part in skip):
            continue
        watch.visit(live_server.url + path)
        visited.append(path)
    assert len(visited) >= 25, visited
    assert watch.found == [], watch.found


def test_moved_inline_behaviours_work_under_the_policy(live_server, page, demo):
    watch = Violations(page)
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")

    # relation search on the action form: htmx sends what is typed as q (no "js:" values, no eval)
    watch.visit(live_server.url + "/activities/new/")
    name = Relation.objects.order_by("name").first().name
    page.fill("#relation-search", name[:6])
    page.wait_for_selector("#relation-results button[data-relation-id]")
    # select all on the relation list
    watch.visit(live_server.url + "/relations/")
    page.check("#relation-table thead input[type=checkbox]")
    boxes = page.locator("#relation-selection input[name=relations]")
    assert boxes.count() > 0
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    # the calendar's scope select submits its form
    watch.visit(live_server.url + "/calendar/")
    option = page.locator("select[name=user] option").nth(1).get_attribute("value")
    with page.expect_navigation():
        page.select_option("select[name=user]", option)
    assert f"user={option}" in page.url
    watch.collect("calendar")
    assert watch.found == [], watch.found


def test_pages_without_an_account_have_no_csp_violation(live_server, page, smtp, media):  # noqa: F811
    rep = UserFactory(username="pieter", email="pieter@kadans.test")
    relation = RelationFactory(name="Café De Gouden Leeuw", representative=rep)
    contact = ContactFactory(relation=relation, first_name="An", last_name="Claes", email="an@cafe.test")

    def activity(kind: str):
        activity_type = ActivityType.objects.filter(kind=kind).first() or ActivityType.objects.create(
            name=kind, kind=kind)
        return make_activity(user=rep, relation=relation, contact=contact, activity_type=activity_type)

    _link, upload_token = documents.upload_link_send(activity=activity("upload"), user=rep)
    signing = activity("signature")
    document = documents.document_upload(activity=signing, user=rep, uploaded=SimpleUploadedFile("c.pdf", PDF))
    _request, sign_token = documents.signature_request_send(activity=signing, document=document, user=rep)

    watch = Violations(page)
    for path in ("/login/", "/account/password-reset/", f"/documents/u/{upload_token}/",
                 f"/documents/s/{sign_token}/", "/account/reset/MQ/not-a-token/", "/no-such-page/"):
        watch.visit(live_server.url + path)
    assert watch.found == [], watch.found
