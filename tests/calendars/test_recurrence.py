"""Repeating activities: the rule's expansion (daylight saving included), the series' occurrences as real
activities, completing one, and changing "this one" or "this and following"."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from kadans.activities import series as series_services
from kadans.activities.models import Activity, ActivitySeries, ActivityType
from kadans.activities.recurrence import Recurrence, expand
from kadans.activities.selectors import user_open_activities
from kadans.activities.services import activity_cancel, activity_complete, activity_update
from kadans.calendars.selectors import calendar_activities
from tests.factories import UserFactory, make_activity

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def at(y, m, d, h=9, mi=0, tz=BRUSSELS):
    return datetime.datetime(y, m, d, h, mi, tzinfo=tz)


def meeting():
    return ActivityType.objects.get(name="Meeting")


def test_a_weekly_rule_keeps_its_wall_clock_time_across_daylight_saving():
    rule = Recurrence(freq="WEEKLY", count=4)
    starts = expand(rule, first=at(2026, 3, 19), tz=BRUSSELS)
    assert [s.astimezone(BRUSSELS).hour for s in starts] == [9, 9, 9, 9]
    assert [s.utcoffset() for s in starts] == [datetime.timedelta(hours=h) for h in (1, 1, 2, 2)]
    assert [s.astimezone(datetime.UTC).hour for s in starts] == [8, 8, 7, 7]


def test_a_wall_time_skipped_by_summer_time_moves_forward():
    rule = Recurrence(freq="DAILY", count=3)
    starts = expand(rule, first=at(2026, 3, 28, 2, 30), tz=BRUSSELS)
    assert [(s.day, s.hour, s.minute) for s in starts] == [(28, 2, 30), (29, 3, 30), (30, 2, 30)]


def test_weekly_on_chosen_days_until_a_date_includes_that_day():
    rule = Recurrence(freq="WEEKLY", weekdays=("MO", "TH"), until=datetime.date(2026, 6, 15))
    starts = expand(rule, first=at(2026, 6, 1), tz=BRUSSELS)
    assert [s.date() for s in starts] == [datetime.date(2026, 6, d) for d in (1, 4, 8, 11, 15)]


def test_monthly_on_the_31st_skips_short_months_as_rfc_5545_says():
    rule = Recurrence(freq="MONTHLY", count=3)
    starts = expand(rule, first=at(2026, 1, 31), tz=BRUSSELS)
    assert [s.date() for s in starts] == [datetime.date(2026, 1, 31), datetime.date(2026, 3, 31),
                                          datetime.date(2026, 5, 31)]


def test_the_rule_round_trips_through_its_text():
    rule = Recurrence(freq="WEEKLY", interval=2, weekdays=("TH", "MO"), until=datetime.date(2026, 12, 31))
    assert rule.to_rrule() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20261231"
    assert Recurrence.from_rrule(rule.to_rrule()) == Recurrence(
        freq="WEEKLY", interval=2, weekdays=("MO", "TH"), until=datetime.date(2026, 12, 31)
    )


def test_a_repeating_activity_makes_every_occurrence_as_an_activity(rep, relation):
    first = make_activity(
        user=rep, relation=relation, activity_type=meeting(), start=at(2026, 6, 1, 10), all_day=False,
        summary="Weekly check-in", recurrence=Recurrence(freq="WEEKLY", count=5),
    )
    rows = list(Activity.objects.filter(series=first.series).order_by("start"))
    assert len(rows) == 5
    assert rows[0].pk == first.pk
    assert {a.summary for a in rows} == {"Weekly check-in"}
    days = [a.start.astimezone(BRUSSELS).date() for a in rows]
    assert days == [datetime.date(2026, 6, d) for d in (1, 8, 15, 22, 29)]
    assert all(a.end - a.start == datetime.timedelta(hours=1) for a in rows)
    assert all(a.recurrence_id == a.start for a in rows)
    assert user_open_activities(rep).filter(series=first.series).count() == 5


def test_participants_are_in_every_occurrence(rep, relation):
    colleague = UserFactory()
    first = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 1), participants=[colleague],
                          recurrence=Recurrence(freq="DAILY", count=3))
    found, via_participation = calendar_activities(
        user=colleague, start=at(2026, 6, 1, 0), end=at(2026, 6, 8, 0)
    )
    assert {a.pk for a in found} == set(Activity.objects.filter(series=first.series).values_list("pk", flat=True))
    assert len(via_participation) == 3


def test_a_start_off_the_rule_moves_to_the_first_occurrence(rep, relation):
    wednesday = datetime.date(2026, 6, 3)
    first = make_activity(user=rep, relation=relation, start=wednesday,
                          recurrence=Recurrence(freq="WEEKLY", weekdays=("MO", "TH"), count=3))
    assert first.due_date == datetime.date(2026, 6, 4)
    assert first.series.dtstart == first.start


def test_too_many_occurrences_are_refused(rep, relation):
    with pytest.raises(ValidationError) as error:
        make_activity(user=rep, relation=relation, start=datetime.date(2026, 1, 1),
                      recurrence=Recurrence(freq="DAILY", until=datetime.date(2028, 1, 1)))
    assert "repeat_until" in error.value.message_dict
    assert not ActivitySeries.objects.exists()


def test_a_done_activity_cannot_repeat(rep, relation):
    with pytest.raises(ValidationError):
        make_activity(user=rep, relation=relation, status=Activity.Status.DONE,
                      recurrence=Recurrence(freq="DAILY", count=2))


def _series(rep, relation, count=5, **kwargs):
    first = make_activity(user=rep, relation=relation, activity_type=meeting(), start=at(2026, 6, 1, 10),
                          all_day=False, summary="Stand-up", recurrence=Recurrence(freq="WEEKLY", count=count),
                          **kwargs)
    return list(Activity.objects.filter(series=first.series).order_by("start"))


def test_completing_one_occurrence_completes_only_that_one(rep, relation):
    rows = _series(rep, relation)
    assert activity_complete(activity=rows[1], user=rep).completed
    statuses = list(Activity.objects.filter(series=rows[0].series).order_by("start").values_list("status", flat=True))
    assert statuses == ["planned", "done", "planned", "planned", "planned"]


def test_editing_this_one_changes_only_that_occurrence(rep, relation):
    rows = _series(rep, relation)
    activity_update(activity=rows[2], user=rep, summary="Moved stand-up", start=at(2026, 6, 16, 14))
    rows = list(Activity.objects.filter(series=rows[0].series).order_by("recurrence_id"))
    assert [a.summary for a in rows].count("Stand-up") == 4
    assert rows[2].start == at(2026, 6, 16, 14)
    assert rows[2].recurrence_id == at(2026, 6, 15, 10)


def test_this_and_following_copies_a_changed_field_to_later_planned_occurrences(rep, relation):
    rows = _series(rep, relation)
    activity_complete(activity=rows[3], user=rep)
    activity_update(activity=rows[4], user=rep, note="my own note")
    series_services.activity_update_following(
        activity=rows[2], user=rep, recurrence=series_services.recurrence_from(rows[2]), summary="Sales meeting",
    )
    rows = list(Activity.objects.filter(series=rows[0].series).order_by("start"))
    assert [a.summary for a in rows] == ["Stand-up", "Stand-up", "Sales meeting", "Stand-up", "Sales meeting"]
    assert rows[4].note == "my own note"
    assert ActivitySeries.objects.count() == 1


def test_this_and_following_with_a_new_time_splits_the_series(rep, relation):
    rows = _series(rep, relation)
    old_series = rows[0].series
    activity_complete(activity=rows[3], user=rep)
    series_services.activity_update_following(
        activity=rows[2], user=rep, recurrence=series_services.recurrence_from(rows[2]),
        start=at(2026, 6, 15, 14), end=at(2026, 6, 15, 15),
    )
    old_series.refresh_from_db()
    assert old_series.rrule == "FREQ=WEEKLY;COUNT=2"
    assert list(Activity.objects.filter(series=old_series).values_list("pk", flat=True)) == [rows[0].pk, rows[1].pk]
    rows[2].refresh_from_db()
    new_series = rows[2].series
    assert new_series.rrule == "FREQ=WEEKLY;COUNT=3"
    new_rows = list(Activity.objects.filter(series=new_series).order_by("start"))
    assert [a.start for a in new_rows] == [at(2026, 6, 15, 14), at(2026, 6, 22, 14), at(2026, 6, 29, 14)]
    # the done occurrence stays as it was, outside any series
    done = Activity.objects.get(pk=rows[3].pk)
    assert (done.status, done.series_id, done.start) == ("done", None, at(2026, 6, 22, 10))
    # the planned one that followed was moved onto the new rule, not replaced
    assert rows[4].pk in {a.pk for a in new_rows}


def test_this_and_following_with_a_shorter_rule_removes_later_planned_occurrences(rep, relation):
    rows = _series(rep, relation)
    series_services.activity_update_following(
        activity=rows[1], user=rep, recurrence=Recurrence(freq="WEEKLY", count=2),
    )
    assert Activity.objects.filter(relation=relation).count() == 3
    assert Activity.objects.get(pk=rows[0].pk).series.rrule == "FREQ=WEEKLY;COUNT=1"


def test_stopping_the_repetition_at_an_occurrence_removes_the_later_planned_ones(rep, relation):
    rows = _series(rep, relation)
    series_services.activity_update_following(activity=rows[3], user=rep, recurrence=None)
    remaining = list(Activity.objects.filter(relation=relation).order_by("start"))
    assert [a.pk for a in remaining] == [a.pk for a in rows[:4]]
    assert remaining[3].series_id is None
    assert remaining[0].series.rrule == "FREQ=WEEKLY;COUNT=3"


def test_editing_the_first_occurrence_and_following_keeps_one_series(rep, relation):
    rows = _series(rep, relation)
    series_services.activity_update_following(
        activity=rows[0], user=rep, recurrence=Recurrence(freq="WEEKLY", weekdays=("MO", "WE"), count=4),
    )
    assert ActivitySeries.objects.count() == 1
    dates = [a.start.astimezone(BRUSSELS).date() for a in Activity.objects.filter(relation=relation).order_by("start")]
    assert dates == [datetime.date(2026, 6, d) for d in (1, 3, 8, 10)]


def test_a_single_activity_can_be_made_to_repeat(rep, relation):
    single = make_activity(user=rep, relation=relation, start=datetime.date(2026, 6, 1))
    series_services.activity_update_following(activity=single, user=rep, recurrence=Recurrence(freq="DAILY", count=3))
    single.refresh_from_db()
    assert single.series is not None
    assert Activity.objects.filter(series=single.series).count() == 3


def test_cancelling_an_occurrence_keeps_the_others(rep, relation):
    rows = _series(rep, relation, count=3)
    assert activity_cancel(activity=rows[1], user=rep)
    assert list(Activity.objects.filter(series=rows[0].series).values_list("status", flat=True)) == [
        "planned", "cancelled", "planned"
    ]


def _form(relation, **extra):
    data = {
        "relation": relation.pk, "type": ActivityType.objects.get(name="To Do").pk, "status": "planned",
        "start_date": "2026-06-01", "all_day": "on", "summary": "Delivery check",
        "costs-TOTAL_FORMS": "0", "costs-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_the_action_form_makes_a_weekly_series_on_chosen_days(client, rep, relation):
    client.force_login(rep)
    response = client.post("/activities/new/", _form(
        relation, repeat="WEEKLY", repeat_interval="1", repeat_weekdays=["MO", "FR"], repeat_end="until",
        repeat_until="2026-06-12",
    ))
    assert response.status_code == 302
    days = [a.due_date for a in Activity.objects.filter(relation=relation).order_by("start")]
    assert days == [datetime.date(2026, 6, d) for d in (1, 5, 8, 12)]


def test_the_action_form_refuses_a_repetition_without_an_end(client, rep, relation):
    client.force_login(rep)
    response = client.post("/activities/new/", _form(relation, repeat="DAILY", repeat_end="until"))
    assert response.status_code == 200
    assert response.context["form"].errors["repeat_until"]
    assert not Activity.objects.exists()


def test_the_edit_form_asks_this_one_or_following_and_does_what_is_chosen(client, rep, relation):
    client.force_login(rep)
    client.post("/activities/new/", _form(relation, repeat="DAILY", repeat_end="count", repeat_count="4"))
    rows = list(Activity.objects.filter(relation=relation).order_by("start"))
    page = client.get(f"/activities/{rows[1].pk}/edit/").content.decode()
    assert 'name="scope"' in page
    recurrence = {"repeat": "DAILY", "repeat_interval": "1", "repeat_end": "count", "repeat_count": "3"}
    client.post(f"/activities/{rows[1].pk}/edit/", _form(
        relation, start_date="2026-06-02", summary="Only this", scope="this", **recurrence
    ))
    client.post(f"/activities/{rows[2].pk}/edit/", _form(
        relation, start_date="2026-06-03", summary="From here", scope="following",
        **{**recurrence, "repeat_count": "2"},
    ))
    summaries = list(Activity.objects.filter(relation=relation).order_by("start").values_list("summary", flat=True))
    assert summaries == ["Delivery check", "Only this", "From here", "From here"]


def test_a_new_repetition_with_this_one_only_is_refused(client, rep, relation):
    client.force_login(rep)
    client.post("/activities/new/", _form(relation, repeat="DAILY", repeat_end="count", repeat_count="4"))
    second = Activity.objects.filter(relation=relation).order_by("start")[1]
    response = client.post(f"/activities/{second.pk}/edit/", _form(
        relation, start_date="2026-06-02", scope="this", repeat="WEEKLY", repeat_end="count", repeat_count="3",
    ))
    assert response.status_code == 200
    assert response.context["form"].errors["scope"]
    assert Activity.objects.filter(relation=relation).count() == 4
