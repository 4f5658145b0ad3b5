"""The private iCalendar feed: secret keys, RFC 5545 content parsed back with `icalendar`, series expanded
the way calendar clients do with `recurring-ical-events`, and cheap conditional requests."""

import datetime
import zoneinfo

import icalendar
import pytest
import recurring_ical_events
import time_machine

from kadans.activities.models import Activity, ActivityType
from kadans.activities.recurrence import Recurrence
from kadans.activities.services import activity_cancel, activity_complete, activity_update
from kadans.calendars.models import FeedToken
from kadans.calendars.services import feed_token_get_or_create, feed_token_regenerate
from tests.factories import (
    ActivityTypeFactory,
    ContactFactory,
    RelationFactory,
    TeamFactory,
    UserFactory,
    make_activity,
)

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(y, m, d, h=9, mi=0):
    return datetime.datetime(y, m, d, h, mi, tzinfo=BRUSSELS)


def feed_url(user, team=None):
    return f"/calendar/feed/{feed_token_get_or_create(user=user, team=team).key}.ics"


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(cal):
    return [c for c in cal.walk("VEVENT")]


def by_uid(cal, uid):
    return [e for e in events(cal) if str(e["UID"]) == uid]


def test_a_wrong_key_answers_a_bare_404(client, rep):
    feed_token_get_or_create(user=rep)
    response = client.get("/calendar/feed/not-the-key.ics")
    assert response.status_code == 404
    assert response.content == b"Not found\n"


def test_a_regenerated_key_stops_the_old_address_at_once(client, rep):
    old = feed_url(rep)
    assert client.get(old).status_code == 200
    feed_token_regenerate(user=rep)
    assert client.get(old).status_code == 404
    assert client.get(feed_url(rep)).status_code == 200


def test_regenerating_from_the_profile_page_needs_the_user_and_shows_the_new_address(client, rep):
    old = feed_url(rep)
    client.force_login(rep)
    assert old in client.get("/account/").content.decode()
    response = client.post("/calendar/feed/regenerate/", follow=True)
    new = feed_url(rep)
    assert new != old
    assert new in response.content.decode()


def test_a_deactivated_user_s_feed_is_gone(client, rep):
    url = feed_url(rep)
    rep.is_active = False
    rep.save()
    assert client.get(url).status_code == 404


def test_a_timed_activity_has_the_required_properties(client, rep, relation):
    contact = ContactFactory(relation=relation, first_name="An", last_name="Claes", phone="09 123 45 67")
    relation.street, relation.postal_code, relation.city = "Veldstraat 1", "9000", "Gent"
    relation.save()
    meeting = ActivityType.objects.get(name="Meeting")
    activity = make_activity(user=rep, relation=relation, activity_type=meeting, contact=contact, all_day=False,
                             start=at(2026, 3, 12, 14), end=at(2026, 3, 12, 15, 30), summary="Tasting")
    cal = parse(client.get(feed_url(rep)))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    [event] = by_uid(cal, f"activity-{activity.pk}@kadans")
    assert event["SUMMARY"] == f"Tasting — {relation.name}"
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event.decoded("DTSTART") == at(2026, 3, 12, 14)
    assert event.decoded("DTEND") == at(2026, 3, 12, 15, 30)
    assert event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "Veldstraat 1, 9000 Gent"
    description = str(event["DESCRIPTION"])
    assert relation.name in description and "An Claes (09 123 45 67, contact" in description
    assert str(event["URL"]) == f"http://testserver/activities/{activity.pk}/"
    assert event["DTSTAMP"]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_an_all_day_activity_is_a_date_with_an_exclusive_end(client, rep, relation):
    activity = make_activity(user=rep, relation=relation, start=datetime.date(2026, 3, 12),
                             end=datetime.date(2026, 3, 13))
    [event] = by_uid(parse(client.get(feed_url(rep))), f"activity-{activity.pk}@kadans")
    assert event.decoded("DTSTART") == datetime.date(2026, 3, 12)
    assert event.decoded("DTEND") == datetime.date(2026, 3, 14)
    assert event["DTSTART"].params.get("VALUE") == "DATE"


def test_a_user_in_another_time_zone_gets_the_same_instant_in_theirs(client, relation):
    user = UserFactory(time_zone="America/New_York")
    activity = make_activity(user=user, relation=relation, representative=user, all_day=False,
                             start=at(2026, 3, 20, 16))
    [event] = by_uid(parse(client.get(feed_url(user))), f"activity-{activity.pk}@kadans")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART").hour == 11  # 16:00 in Brussels (UTC+1) is 11:00 in New York (UTC-4)
    assert event.decoded("DTSTART") == at(2026, 3, 20, 16)


def test_done_and_cancelled_show_their_status(client, rep, relation):
    done = make_activity(user=rep, relation=relation, start=datetime.date(2026, 3, 9))
    activity_complete(activity=done, user=rep)
    cancelled = make_activity(user=rep, relation=relation, start=datetime.date(2026, 3, 11))
    activity_cancel(activity=cancelled, user=rep)
    cal = parse(client.get(feed_url(rep)))
    [done_event] = by_uid(cal, f"activity-{done.pk}@kadans")
    [cancelled_event] = by_uid(cal, f"activity-{cancelled.pk}@kadans")
    assert done_event["STATUS"] == "CONFIRMED" and str(done_event["SUMMARY"]).startswith("✓ ")
    assert cancelled_event["STATUS"] == "CANCELLED"


def test_the_feed_has_participations_a_bounded_past_and_all_the_future(client, rep, relation):
    colleague = UserFactory()
    other = RelationFactory(representative=colleague)
    taking_part = make_activity(user=colleague, relation=other, participants=[rep], start=datetime.date(2026, 4, 1))
    not_mine = make_activity(user=colleague, relation=other, start=datetime.date(2026, 4, 2))
    recent = make_activity(user=rep, relation=relation, start=datetime.date(2026, 1, 5))
    too_old = make_activity(user=rep, relation=relation, start=datetime.date(2025, 11, 1))
    far = make_activity(user=rep, relation=relation, start=datetime.date(2029, 1, 1))
    uids = {str(e["UID"]) for e in events(parse(client.get(feed_url(rep))))}
    assert uids == {f"activity-{a.pk}@kadans" for a in (taking_part, recent, far)}
    assert f"activity-{not_mine.pk}@kadans" not in uids and f"activity-{too_old.pk}@kadans" not in uids


def test_a_manager_has_a_team_feed_and_a_representative_has_none(client):
    team = TeamFactory()
    manager = UserFactory(team=team, role="manager")
    member = UserFactory(team=team)
    outsider = UserFactory()
    mine = make_activity(user=member, relation=RelationFactory(representative=member))
    make_activity(user=outsider, relation=RelationFactory(representative=outsider))
    uids = {str(e["UID"]) for e in events(parse(client.get(feed_url(manager, team))))}
    assert uids == {f"activity-{mine.pk}@kadans"}
    # a representative's team key (made by hand, or kept after a demotion) opens nothing
    assert client.get(feed_url(member, team)).status_code == 404
    client.force_login(member)
    assert client.post("/calendar/feed/regenerate/", {"team": team.pk}).status_code == 404
    assert not FeedToken.objects.filter(user=member, team=team).exclude(key="").count() > 1


def _weekly(rep, relation, **kwargs):
    # a type without chaining, so that completing an occurrence adds nothing to the calendar
    first = make_activity(user=rep, relation=relation, activity_type=ActivityTypeFactory(kind="meeting"),
                          all_day=False, start=at(2026, 3, 16, 9), summary="Stand-up",
                          recurrence=Recurrence(freq="WEEKLY", count=4), **kwargs)
    return list(Activity.objects.filter(series=first.series).order_by("start"))


def test_a_series_is_one_event_with_an_rrule_in_its_time_zone(client, rep, relation):
    rows = _weekly(rep, relation)
    cal = parse(client.get(feed_url(rep)))
    [master] = by_uid(cal, f"series-{rows[0].series_id}@kadans")
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=4"
    assert master["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert not any(str(e["UID"]).startswith("activity-") for e in events(cal))
    # expanded as a client does: 09:00 local every week, before and after the change to summer time
    starts = [e.decoded("DTSTART") for e in recurring_ical_events.of(cal).between((2026, 3, 1), (2026, 5, 1))]
    assert starts == [a.start for a in rows]
    assert [s.utcoffset() for s in starts] == [datetime.timedelta(hours=h) for h in (1, 1, 2, 2)]


def test_a_series_exports_its_exceptions(client, rep, relation):
    rows = _weekly(rep, relation)
    activity_cancel(activity=rows[1], user=rep)
    activity_update(activity=rows[2], user=rep, start=at(2026, 3, 31, 15), end=at(2026, 3, 31, 16))
    activity_complete(activity=rows[3], user=rep)
    cal = parse(client.get(feed_url(rep)))
    series_events = by_uid(cal, f"series-{rows[0].series_id}@kadans")
    master = next(e for e in series_events if "RRULE" in e)
    assert [d.dt for d in master["EXDATE"].dts] == [at(2026, 3, 23, 9)]
    overrides = {e.decoded("RECURRENCE-ID"): e for e in series_events if "RECURRENCE-ID" in e}
    assert set(overrides) == {at(2026, 3, 30, 9), at(2026, 4, 6, 9)}
    assert overrides[at(2026, 3, 30, 9)].decoded("DTSTART") == at(2026, 3, 31, 15)
    assert str(overrides[at(2026, 4, 6, 9)]["SUMMARY"]).startswith("✓ ")
    expanded = recurring_ical_events.of(cal).between((2026, 3, 1), (2026, 5, 1))
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])[:1]) for e in expanded] == [
        (at(2026, 3, 16, 9), "S"), (at(2026, 3, 31, 15), "S"), (at(2026, 4, 6, 9), "✓"),
    ]


def test_an_all_day_series_uses_dates_and_an_until_date(client, rep, relation):
    first = make_activity(user=rep, relation=relation, start=datetime.date(2026, 3, 27),
                          recurrence=Recurrence(freq="DAILY", until=datetime.date(2026, 3, 31)))
    cal = parse(client.get(feed_url(rep)))
    [master] = by_uid(cal, f"series-{first.series_id}@kadans")
    assert master["RRULE"]["UNTIL"] == [datetime.date(2026, 3, 31)]
    assert master.decoded("DTSTART") == datetime.date(2026, 3, 27)
    days = [e.decoded("DTSTART") for e in recurring_ical_events.of(cal).between((2026, 3, 1), (2026, 5, 1))]
    assert days == [datetime.date(2026, 3, d) for d in (27, 28, 29, 30, 31)]


def test_a_series_that_began_long_ago_starts_inside_the_window(client, rep, relation):
    with time_machine.travel(datetime.datetime(2025, 6, 1, tzinfo=BRUSSELS), tick=False):
        first = make_activity(user=rep, relation=relation, start=datetime.date(2025, 6, 2),
                              recurrence=Recurrence(freq="MONTHLY", count=12))
    cal = parse(client.get(feed_url(rep)))
    [master] = by_uid(cal, f"series-{first.series_id}@kadans")
    # the window opens on 8 December 2025 (about three months back): seven of twelve months lie before it
    assert master.decoded("DTSTART") == datetime.date(2026, 1, 2)
    assert master["RRULE"]["COUNT"] == [5]


def test_a_participant_s_feed_leaves_out_occurrences_they_are_not_in(client, rep, relation):
    colleague = UserFactory()
    rows = _weekly(rep, relation, participants=[colleague])
    activity_update(activity=rows[1], user=rep, participants=[])
    cal = parse(client.get(feed_url(colleague)))
    [master] = by_uid(cal, f"series-{rows[0].series_id}@kadans")
    assert [d.dt for d in master["EXDATE"].dts] == [at(2026, 3, 23, 9)]


def test_an_unchanged_feed_answers_304_to_its_etag_and_its_date(client, rep, relation, django_assert_max_num_queries):
    make_activity(user=rep, relation=relation)
    url = feed_url(rep)
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    with django_assert_max_num_queries(3):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_a_change_makes_a_new_etag(client, rep, relation):
    activity = make_activity(user=rep, relation=relation)
    url = feed_url(rep)
    etag = client.get(url)["ETag"]
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        activity_update(activity=activity, user=rep, summary="Changed")
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def test_the_feed_speaks_the_owner_s_language(client, relation):
    user = UserFactory(language="nl")
    make_activity(user=user, relation=relation, representative=user)
    text = client.get(feed_url(user)).content.decode()
    assert "Relatie:" in text


@pytest.mark.parametrize("count", [1, 8])
def test_the_feed_takes_the_same_queries_whatever_its_size(client, rep, relation, count, django_assert_num_queries):
    colleague = UserFactory()
    for i in range(count):
        make_activity(user=rep, relation=relation, contact=ContactFactory(relation=relation),
                      start=datetime.date(2026, 3, 11 + i))
        make_activity(user=colleague, relation=RelationFactory(representative=colleague), participants=[rep],
                      start=datetime.date(2026, 3, 11 + i))
        _weekly(rep, relation)
    url = feed_url(rep)
    # the key, the version (two halves), the activities (two halves)
    with django_assert_num_queries(5):
        cal = parse(client.get(url))
    assert len(events(cal)) == 3 * count


def test_showing_the_profile_page_makes_no_feed_address_its_button_does(client, rep):
    client.force_login(rep)
    page = client.get("/account/").content.decode()
    assert not FeedToken.objects.filter(user=rep).exists()
    assert "Make the address" in page and ".ics" not in page
    client.post("/calendar/feed/regenerate/")
    token = FeedToken.objects.get(user=rep)
    assert f"/calendar/feed/{token.key}.ics" in client.get("/account/").content.decode()
