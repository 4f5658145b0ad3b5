"""Requests as Apple Calendar (iOS/macOS), DAVx5 (Android) and Thunderbird send them, replayed with the test
client: their bodies and headers follow the traces these clients publish or log (Apple's accountsd and
dataaccessd property lists, DAVx5's debug log, Thunderbird's calendar.debug.log)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.factories import make_activity

pytestmark = pytest.mark.django_db

NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav", "cs": "http://calendarserver.org/ns/",
      "a": "http://apple.com/ns/ical/"}


def _xml(response):
    assert response.status_code == 207, response.content
    return ET.fromstring(response.content)


def _ok_props(root, href_suffix=""):
    """The props answered 200 in the response whose href ends with href_suffix, by local name."""
    for response in root.findall("d:response", NS):
        if response.findtext("d:href", namespaces=NS).endswith(href_suffix):
            found = {}
            for propstat in response.findall("d:propstat", NS):
                if "200" in propstat.findtext("d:status", namespaces=NS):
                    for prop in propstat.find("d:prop", NS):
                        found[prop.tag.split("}")[1]] = prop
            return found
    raise AssertionError(f"no response for {href_suffix}")


@pytest.fixture
def visit(sara, customer):
    return make_activity(user=sara, relation=customer, start=timezone.localdate() + datetime.timedelta(days=1))


APPLE_ROOT = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:"><A:prop><A:current-user-principal/><A:principal-URL/><A:resourcetype/></A:prop>
</A:propfind>"""

APPLE_PRINCIPAL = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav" xmlns:C="http://calendarserver.org/ns/">
<A:prop><B:calendar-home-set/><B:calendar-user-address-set/><A:current-user-principal/><A:displayname/>
<C:dropbox-home-URL/><C:email-address-set/><C:notification-URL/><A:principal-collection-set/><A:principal-URL/>
<A:resource-id/><B:schedule-inbox-URL/><B:schedule-outbox-URL/><A:supported-report-set/></A:prop></A:propfind>"""

APPLE_HOME = """<?xml version="1.0" encoding="UTF-8"?>
<A:propfind xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav" xmlns:C="http://calendarserver.org/ns/"
 xmlns:D="http://apple.com/ns/ical/" xmlns:E="http://me.com/_namespace/">
<A:prop><A:add-member/><C:allowed-sharing-modes/><D:autoprovisioned/><E:bulk-requests/><D:calendar-color/>
<B:calendar-description/><B:calendar-free-busy-set/><D:calendar-order/><B:calendar-timezone/>
<A:current-user-privilege-set/><B:default-alarm-vevent-date/><B:default-alarm-vevent-datetime/><A:displayname/>
<C:getctag/><D:language-code/><D:location-code/><A:owner/><C:pre-publish-url/><C:publish-url/>
<C:push-transports/><C:pushkey/><A:quota-available-bytes/><A:quota-used-bytes/><D:refreshrate/><A:resource-id/>
<A:resourcetype/><B:schedule-calendar-transp/><B:schedule-default-calendar-URL/><C:source/>
<C:subscribed-strip-alarms/><C:subscribed-strip-attachments/><C:subscribed-strip-todos/>
<B:supported-calendar-component-set/><B:supported-calendar-component-sets/><A:supported-report-set/>
<A:sync-token/></A:prop></A:propfind>"""

APPLE_SYNC = """<?xml version="1.0" encoding="UTF-8"?>
<A:sync-collection xmlns:A="DAV:"><A:sync-token/><A:sync-level>1</A:sync-level>
<A:prop><A:getcontenttype/><A:getetag/></A:prop></A:sync-collection>"""

APPLE_MULTIGET = """<?xml version="1.0" encoding="UTF-8"?>
<B:calendar-multiget xmlns:A="DAV:" xmlns:B="urn:ietf:params:xml:ns:caldav">
<A:prop><A:getetag/><B:calendar-data/><C:schedule-tag xmlns:C="urn:ietf:params:xml:ns:caldav"/></A:prop>
<A:href>{href}</A:href><A:href>/caldav/users/sara/own/missing.ics</A:href></B:calendar-multiget>"""


def test_apple_calendar_finds_the_calendars_and_syncs(client, dav, visit):
    assert client.generic("PROPFIND", "/.well-known/caldav").status_code == 301
    root = _xml(dav("PROPFIND", "/caldav/", APPLE_ROOT, depth="0"))
    props = _ok_props(root, "/caldav/")
    assert props["current-user-principal"].findtext("d:href", namespaces=NS) == "/caldav/users/sara/"

    props = _ok_props(_xml(dav("PROPFIND", "/caldav/users/sara/", APPLE_PRINCIPAL, depth="0")))
    assert props["calendar-home-set"].findtext("d:href", namespaces=NS) == "/caldav/users/sara/"
    assert "mailto:sara@example.com" in [h.text for h in props["calendar-user-address-set"]]

    home = _xml(dav("PROPFIND", "/caldav/users/sara/", APPLE_HOME, depth="1"))
    own = _ok_props(home, "/own/")
    assert own["resourcetype"].find("c:calendar", NS) is not None
    assert own["supported-calendar-component-set"].find("c:comp", NS).get("name") == "VEVENT"
    privileges = {p[0].tag.split("}")[1] for p in own["current-user-privilege-set"]}
    assert {"read", "write"} <= privileges
    participations = _ok_props(home, "/participations/")
    assert "write" not in {p[0].tag.split("}")[1] for p in participations["current-user-privilege-set"]}
    token = own["sync-token"].text
    assert own["getctag"].text

    synced = _xml(dav("REPORT", "/caldav/users/sara/own/", APPLE_SYNC, depth="1"))
    href = synced.findtext("d:response/d:href", namespaces=NS)
    assert href == f"/caldav/users/sara/own/activity-{visit.pk}.ics"
    assert synced.findtext("d:sync-token", namespaces=NS) == token

    answer = _xml(dav("REPORT", "/caldav/users/sara/own/", APPLE_MULTIGET.format(href=href), depth="1"))
    data = _ok_props(answer, f"activity-{visit.pk}.ics")["calendar-data"].text
    assert f"UID:activity-{visit.pk}@kadans" in data
    [missing] = [r for r in answer.findall("d:response", NS)
                 if r.findtext("d:href", namespaces=NS).endswith("missing.ics")]
    assert "404" in missing.findtext("d:status", namespaces=NS)


DAVX5_SERVICE = """<?xml version='1.0' encoding='UTF-8' ?>
<propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:CARD="urn:ietf:params:xml:ns:carddav">
<prop><resourcetype /><displayname /><current-user-principal /><CAL:calendar-home-set />
<CARD:addressbook-home-set /></prop></propfind>"""

DAVX5_COLLECTIONS = """<?xml version='1.0' encoding='UTF-8' ?>
<propfind xmlns="DAV:" xmlns:CAL="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/"
 xmlns:ICAL="http://apple.com/ns/ical/"><prop><resourcetype /><displayname /><ICAL:calendar-color />
<CAL:calendar-description /><CAL:calendar-timezone /><current-user-privilege-set />
<CAL:supported-calendar-component-set /><CS:source /><owner /></prop></propfind>"""

DAVX5_CTAG = """<?xml version='1.0' encoding='UTF-8' ?>
<propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/"><prop><CS:getctag /><sync-token />
<supported-report-set /></prop></propfind>"""

DAVX5_SYNC = """<?xml version='1.0' encoding='UTF-8' ?>
<sync-collection xmlns="DAV:"><sync-token>{token}</sync-token><sync-level>1</sync-level>
<prop><getetag /></prop></sync-collection>"""


def test_davx5_discovers_and_syncs_incrementally(dav, sara, visit):
    props = _ok_props(_xml(dav("PROPFIND", "/caldav/", DAVX5_SERVICE, depth="0")))
    assert "calendar-home-set" not in props  # asked on the principal it points to
    props = _ok_props(_xml(dav("PROPFIND", "/caldav/users/sara/", DAVX5_SERVICE, depth="0")))
    assert props["calendar-home-set"].findtext("d:href", namespaces=NS) == "/caldav/users/sara/"

    collections = _xml(dav("PROPFIND", "/caldav/users/sara/", DAVX5_COLLECTIONS, depth="1"))
    assert _ok_props(collections, "/own/")["calendar-color"].text.startswith("#")

    collection = _ok_props(_xml(dav("PROPFIND", "/caldav/users/sara/own/", DAVX5_CTAG, depth="0")))
    reports = {r.find("d:report", NS)[0].tag.split("}")[1] for r in collection["supported-report-set"]}
    assert reports == {"calendar-multiget", "calendar-query", "sync-collection"}
    token = collection["sync-token"].text

    unchanged = _xml(dav("REPORT", "/caldav/users/sara/own/", DAVX5_SYNC.format(token=token), depth="0"))
    assert unchanged.findall("d:response", NS) == []

    visit.summary = "Changed"
    visit.save()
    changed = _xml(dav("REPORT", "/caldav/users/sara/own/", DAVX5_SYNC.format(token=token), depth="0"))
    assert [r.findtext("d:href", namespaces=NS) for r in changed.findall("d:response", NS)] == [
        f"/caldav/users/sara/own/activity-{visit.pk}.ics"
    ]
    assert changed.findtext("d:sync-token", namespaces=NS) != token


def test_an_unknown_sync_token_is_refused(dav, sara):
    response = dav("REPORT", "/caldav/users/sara/own/", DAVX5_SYNC.format(token="urn:kadans:sync:999"))
    assert response.status_code == 403
    assert b"valid-sync-token" in response.content


THUNDERBIRD_CALENDAR = """<?xml version="1.0" encoding="UTF-8"?>
<D:propfind xmlns:D="DAV:" xmlns:CS="http://calendarserver.org/ns/" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:resourcetype/><D:owner/><D:current-user-principal/><D:current-user-privilege-set/>
<D:supported-report-set/><C:supported-calendar-component-set/><CS:getctag/></D:prop></D:propfind>"""

THUNDERBIRD_QUERY = """<?xml version="1.0" encoding="UTF-8"?>
<calendar-query xmlns:D="DAV:" xmlns="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>
<filter><comp-filter name="VCALENDAR"><comp-filter name="VEVENT"><time-range start="{start}"/></comp-filter>
</comp-filter></filter></calendar-query>"""


def test_thunderbird_reads_the_calendar_and_queries_a_time_range(dav, sara, customer, visit):
    old = make_activity(user=sara, relation=customer, start=timezone.localdate() - datetime.timedelta(days=60))
    props = _ok_props(_xml(dav("PROPFIND", "/caldav/users/sara/own/", THUNDERBIRD_CALENDAR, depth="0")))
    assert props["getctag"].text
    since = (timezone.now() - datetime.timedelta(days=30)).strftime("%Y%m%dT%H%M%SZ")
    answer = _xml(dav("REPORT", "/caldav/users/sara/own/", THUNDERBIRD_QUERY.format(start=since), depth="1"))
    hrefs = [r.findtext("d:href", namespaces=NS) for r in answer.findall("d:response", NS)]
    assert hrefs == [f"/caldav/users/sara/own/activity-{visit.pk}.ics"]
    assert f"activity-{old.pk}" not in answer.findtext(".//d:href", namespaces=NS)


def test_thunderbird_puts_with_if_match(client, dav, visit):
    get = dav("GET", f"/caldav/users/sara/own/activity-{visit.pk}.ics")
    assert get.status_code == 200
    etag = get["ETag"]
    body = get.content.decode().replace("SUMMARY:", "SUMMARY:Renamed ", 1)
    stale = dav("PUT", f"/caldav/users/sara/own/activity-{visit.pk}.ics", body, if_match='"0000"')
    assert stale.status_code == 412
    ok = dav("PUT", f"/caldav/users/sara/own/activity-{visit.pk}.ics", body, if_match=etag)
    assert ok.status_code == 204
    visit.refresh_from_db()
    assert visit.summary.startswith("Renamed")
    # the old ETag is stale now
    assert dav("DELETE", f"/caldav/users/sara/own/activity-{visit.pk}.ics", if_match=etag).status_code == 412


def test_options_announces_caldav(client):
    response = client.options("/caldav/")
    assert "calendar-access" in response["DAV"]
    assert "REPORT" in response["Allow"]


def test_calendars_are_not_made_by_clients(dav):
    assert dav("MKCALENDAR", "/caldav/users/sara/new/").status_code == 403
    assert dav("MKCOL", "/caldav/users/sara/new/").status_code == 403
