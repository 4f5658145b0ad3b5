"""The pages that show many relations or activities at once (pipeline, overview, my activities), the action
type settings with their chain drawing, and "done & schedule next"."""

import datetime
import html
import re
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import activity_complete
from kadans.relations.models import BusinessStatus
from tests.factories import ActivityTypeFactory, RelationFactory, TeamFactory, UserFactory, make_activity
from tests.relations_support import NewStatusChanges

pytestmark = pytest.mark.django_db

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date
TODAY = D(2026, 6, 10)


@pytest.fixture(autouse=True)
def _wednesday_noon():
    with time_machine.travel(datetime.datetime(2026, 6, 10, 12, 0, tzinfo=BXL), tick=False):
        yield
    # the user-preferences middleware leaves a user's time zone active in this thread after the response
    timezone.deactivate()


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def user(team):
    return UserFactory(username="sara", language="en", team=team)


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="administrator", language="en"))
    return client


def _status(code):
    return BusinessStatus.objects.get(code=code)


def _messages(response) -> list[str]:
    return [f"{m.level_tag}: {m}" for m in response.context["messages"]]


@pytest.fixture
def mail():
    return ActivityTypeFactory(name="Mail", kind=ActivityType.Kind.EMAIL)


@pytest.fixture
def bellen():
    return ActivityTypeFactory(name="Bellen", kind=ActivityType.Kind.CALL)


@pytest.fixture
def world(user, mail, bellen):
    """Sara's relations Alpha (lead) and Beta (customer), a colleague's Gamma, and their activities."""
    alpha = RelationFactory(name="Alpha", representative=user)
    beta = RelationFactory(name="Beta", representative=user, business_status=_status("customer"))
    colleague = UserFactory()
    gamma = RelationFactory(name="Gamma", representative=colleague)
    acts = {
        "overdue": make_activity(user=user, relation=alpha, activity_type=mail, start=D(2026, 6, 8)),
        "today": make_activity(
            user=user,
            relation=alpha,
            activity_type=bellen,
            all_day=False,
            start=datetime.datetime(2026, 6, 10, 15, 0, tzinfo=BXL),
        ),
        "participant": make_activity(
            user=colleague, relation=gamma, activity_type=mail, start=D(2026, 6, 11), participants=[user]
        ),
        "in_3_days": make_activity(user=user, relation=beta, activity_type=mail, start=D(2026, 6, 13)),
        "in_20_days": make_activity(user=user, relation=beta, activity_type=mail, start=D(2026, 6, 30)),
        "colleagues": make_activity(user=colleague, relation=gamma, activity_type=bellen, start=D(2026, 6, 10)),
    }
    done = make_activity(user=user, relation=alpha, activity_type=mail, start=D(2026, 6, 1))
    activity_complete(activity=done, user=user)
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "colleague": colleague, **acts}


# -- pipeline -----------------------------------------------------------------------------------------------


def _columns(content: str) -> dict[int, str]:
    sections = re.findall(r'<section class="pipeline-column" data-status="(\d+)".*?</section>', content, re.S)
    bodies = re.findall(r'(<section class="pipeline-column".*?</section>)', content, re.S)
    return {int(pk): body for pk, body in zip(sections, bodies, strict=True)}


def _card(content: str, relation) -> str:
    match = re.search(rf'<article class="card"[^>]*id="card-{relation.pk}">.*?</article>', content, re.S)
    assert match, f"no card for {relation}"
    return match.group(0)


def test_the_pipeline_shows_my_relations_in_their_status_column(logged_in, world):
    response = logged_in.get("/activities/pipeline/")
    assert response.status_code == 200
    content = response.content.decode()
    columns = _columns(content)
    assert set(columns) == set(BusinessStatus.objects.values_list("pk", flat=True))
    lead, customer = columns[_status("lead").pk], columns[_status("customer").pk]
    assert f'id="card-{world["alpha"].pk}"' in lead
    assert f'id="card-{world["beta"].pk}"' in customer
    assert f'id="card-{world["beta"].pk}"' not in lead
    # the colleague's relation only shows for "everyone"
    assert f'id="card-{world["gamma"].pk}"' not in content
    counts = {c["status"].code: c["count"] for c in response.context["columns"]}
    assert (counts["lead"], counts["customer"], counts["prospect"]) == (1, 1, 0)


def test_each_card_shows_its_next_activity_with_its_state(logged_in, world):
    content = logged_in.get("/activities/pipeline/").content.decode()
    alpha = _card(content, world["alpha"])
    assert re.search(r'class="state state-overdue">Mail · 8 Jun<', alpha)
    beta = _card(content, world["beta"])
    assert re.search(r'class="state state-planned">Mail · 13 Jun<', beta)


def test_a_card_without_open_activity_says_no_next_step(logged_in, user):
    quiet = RelationFactory(name="Stil", representative=user)
    card = _card(logged_in.get("/activities/pipeline/").content.decode(), quiet)
    assert 'class="state state-none"' in card and "No next step" in card


def test_the_pipeline_for_everyone_shows_colleagues_relations(logged_in, world):
    content = logged_in.get("/activities/pipeline/?representative=").content.decode()
    gamma = _card(content, world["gamma"])
    assert "state-today" in gamma  # the colleague's call today is Gamma's next activity


def test_moving_a_card_changes_the_status_and_records_who(logged_in, user, world):
    alpha = world["alpha"]
    new_changes = NewStatusChanges()
    response = logged_in.post("/activities/pipeline/move/", {"relation": alpha.pk, "status": _status("prospect").pk})
    assert response.status_code == 204
    alpha.refresh_from_db()
    assert alpha.business_status == _status("prospect")
    change = new_changes().get()
    assert change.relation == alpha
    assert (change.from_status, change.to_status, change.user, change.activity) == (
        _status("lead"),
        _status("prospect"),
        user,
        None,
    )


def test_moving_a_card_to_its_own_column_records_nothing(logged_in, world):
    new_changes = NewStatusChanges()
    response = logged_in.post(
        "/activities/pipeline/move/", {"relation": world["alpha"].pk, "status": _status("lead").pk}
    )
    assert response.status_code == 204
    assert not new_changes().exists()


def test_a_manager_moves_a_card_of_their_team(client, team, world):
    client.force_login(UserFactory(role="manager", team=team))
    response = client.post("/activities/pipeline/move/", {"relation": world["beta"].pk, "status": _status("lost").pk})
    assert response.status_code == 204
    world["beta"].refresh_from_db()
    assert world["beta"].business_status == _status("lost")


def test_moving_someone_elses_card_is_forbidden_and_changes_nothing(logged_in, world):
    gamma = world["gamma"]
    new_changes = NewStatusChanges()
    response = logged_in.post("/activities/pipeline/move/", {"relation": gamma.pk, "status": _status("customer").pk})
    assert response.status_code == 403
    gamma.refresh_from_db()
    assert gamma.business_status == _status("lead")
    assert not new_changes().exists()


@pytest.mark.parametrize(
    ("data", "status_code"),
    [
        ({}, 400),
        ({"relation": "abc", "status": "1"}, 400),
        ({"relation": "{alpha}"}, 400),
        ({"relation": "{alpha}", "status": "-1"}, 400),
        ({"relation": "999999", "status": "{lead}"}, 404),
        ({"relation": "{alpha}", "status": "999999"}, 404),
    ],
)
def test_moving_with_bad_ids_is_refused(logged_in, world, data, status_code):
    values = {"alpha": world["alpha"].pk, "lead": _status("lead").pk}
    new_changes = NewStatusChanges()
    response = logged_in.post("/activities/pipeline/move/", {k: v.format(**values) for k, v in data.items()})
    assert response.status_code == status_code
    assert not new_changes().exists()


def test_moving_needs_a_post(logged_in):
    assert logged_in.get("/activities/pipeline/move/").status_code == 405


# -- overview -----------------------------------------------------------------------------------------------


def test_the_overview_shows_the_next_due_date_per_type(logged_in, world, mail, bellen):
    response = logged_in.get("/activities/overview/")
    assert response.status_code == 200
    rows = {
        row["relation"].name: {c["type"].name: (c["date"], c["state"]) for c in row["cells"]}
        for row in response.context["rows"]
    }
    assert set(rows) == {"Alpha", "Beta"}
    assert rows["Alpha"]["Mail"] == (D(2026, 6, 8), "overdue")
    assert rows["Alpha"]["Bellen"] == (D(2026, 6, 10), "today")
    assert rows["Beta"]["Mail"] == (D(2026, 6, 13), "planned")
    assert rows["Beta"]["Bellen"] == (None, "none")
    content = response.content.decode()
    cell = r'class="state state-{}" href="/activities/new/\?relation={}&amp;type={}">{}<'
    alpha = world["alpha"].pk
    assert re.search(cell.format("overdue", alpha, mail.pk, "8 Jun"), content)
    assert re.search(cell.format("today", alpha, bellen.pk, "10 Jun"), content)


def test_the_overview_has_a_column_per_active_type(logged_in, world, mail):
    ActivityTypeFactory(name="Oud type", active=False)
    response = logged_in.get("/activities/overview/")
    names = [t.name for t in response.context["types"]]
    assert "Mail" in names and "Oud type" not in names


# -- my activities ------------------------------------------------------------------------------------------


def _rows(response) -> list[int]:
    assert response.status_code == 200
    return [a.pk for a in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["overdue", "today", "participant", "in_3_days", "in_20_days"]),
        ("?period=overdue", ["overdue"]),
        ("?period=today", ["today"]),
        ("?period=week", ["today", "participant", "in_3_days"]),
        ("?period=month", ["today", "participant", "in_3_days", "in_20_days"]),
        ("?type={bellen}", ["today"]),
        ("?relation=bet", ["in_3_days", "in_20_days"]),
        ("?relation=ALPHA&period=overdue", ["overdue"]),
        ("?type={mail}&period=week", ["participant", "in_3_days"]),
        ("?relation=nobody", []),
        ("?period=bogus", ["overdue", "today", "participant", "in_3_days", "in_20_days"]),
    ],
)
def test_my_activities_filters(logged_in, world, mail, bellen, query, expected):
    response = logged_in.get("/activities/" + query.format(mail=mail.pk, bellen=bellen.pk))
    assert _rows(response) == [world[name].pk for name in expected]


def test_my_activities_shows_the_rows_and_counters(logged_in, world):
    response = logged_in.get("/activities/")
    counters = response.context["nav_counters"]
    assert (counters["overdue"], counters["today"], counters["upcoming"]) == (1, 1, 3)
    content = response.content.decode()
    assert f'id="activity-row-{world["overdue"].pk}" class="row-overdue"' in content
    assert f'id="activity-row-{world["today"].pk}" class="row-today"' in content
    assert f'id="activity-row-{world["colleagues"].pk}"' not in content
    assert "Overdue: 1" in content and "Today: 1" in content and "Upcoming: 3" in content


def test_counters_follow_a_completed_activity(logged_in, world, user):
    activity_complete(activity=world["overdue"], user=user)
    response = logged_in.get("/activities/counters/")
    assert response.status_code == 200
    counters = response.context["nav_counters"]
    assert (counters["overdue"], counters["today"], counters["upcoming"]) == (0, 1, 3)


def test_other_pages_get_the_counters_with_the_bell(logged_in, world):
    """A page other than "my activities" does not wait for the counters: its navigation holds an empty
    placeholder that the bell's request (on load, then each minute) fills out of band."""
    page = logged_in.get("/relations/").content.decode()
    assert '<span class="nav-counters" id="nav-counters"' in page and "state-overdue" not in page.split("</nav>")[0]
    bell = logged_in.get("/notifications/bell/").content.decode()
    assert 'id="nav-counters"' in bell and 'hx-swap-oob="true"' in bell
    assert '<span class="state state-overdue" title="Overdue">1</span>' in bell
    assert '<span class="state state-today" title="Today">1</span>' in bell
    assert '<span class="state state-planned" title="Upcoming">3</span>' in bell


# -- action type settings: the chain drawing and validation -------------------------------------------------


def test_the_action_types_page_draws_the_chains(admin_client):
    response = admin_client.get("/settings/action-types/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<svg class="chain"' in content
    # the default chains: e-mail suggests call and meeting, both trigger "create quote"
    assert content.count("<path d=") >= 7
    assert "E-mail suggests Call" in content and "Call triggers Create quote" in content
    assert not response.context["chain"]["has_cycle"]
    assert "comes back to where it started" not in content


def test_the_action_types_page_marks_a_cycle(admin_client):
    follow_up = ActivityType.objects.get(name="Follow-up")
    follow_up.chaining, follow_up.triggered_type = (
        ActivityType.Chaining.TRIGGER,
        ActivityType.objects.get(name="E-mail"),
    )
    follow_up.save()
    response = admin_client.get("/settings/action-types/")
    content = response.content.decode()
    assert response.context["chain"]["has_cycle"]
    assert "a chain that comes back to where it started (a cycle)" in content
    assert "Follow-up triggers E-mail" in content and "↻" in content
    assert 'stroke="#dc2626"' in content


ACTION_TYPE = {
    "name": "Proeverij",
    "kind": "todo",
    "color": "#112233",
    "order": "0",
    "active": "on",
    "delay_count": "0",
    "delay_unit": "days",
    "delay_from": "completion",
}


@pytest.mark.parametrize(
    ("data", "error_field"),
    [
        ({"chaining": "trigger"}, "triggered_type"),
        ({"chaining": "suggest"}, "suggested_types"),
        ({"chaining": "none", "delay_count": "-1"}, "delay_count"),
        ({"chaining": "trigger", "triggered_type": "999999"}, "triggered_type"),
        ({"chaining": "none", "delay_unit": "years"}, "delay_unit"),
    ],
    ids=["trigger-without-type", "suggest-without-types", "negative-delay", "unknown-type", "unknown-unit"],
)
def test_bad_chaining_settings_show_a_field_error(admin_client, data, error_field):
    count = ActivityType.objects.count()
    response = admin_client.post("/settings/action-types/new/", {**ACTION_TYPE, **data})
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert ActivityType.objects.count() == count


def test_good_chaining_settings_are_saved(admin_client):
    call, meeting = ActivityType.objects.get(name="Call"), ActivityType.objects.get(name="Meeting")
    response = admin_client.post(
        "/settings/action-types/new/",
        {
            **ACTION_TYPE,
            "chaining": "suggest",
            "suggested_types": [call.pk, meeting.pk],
            "delay_count": "2",
            "delay_unit": "weeks",
            "delay_from": "deadline",
        },
    )
    assert response.status_code == 302
    saved = ActivityType.objects.get(name="Proeverij")
    assert (saved.chaining, saved.delay_count, saved.delay_unit, saved.delay_from) == (
        "suggest",
        2,
        "weeks",
        "deadline",
    )
    assert set(saved.suggested_types.all()) == {call, meeting}


def test_deleting_a_type_in_use_keeps_it_and_says_so(admin_client, world, bellen):
    response = admin_client.post(f"/settings/action-types/{bellen.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert ActivityType.objects.filter(pk=bellen.pk).exists()
    assert any(m.startswith("error:") and "Bellen" in m for m in _messages(response))


def test_deleting_a_type_another_type_triggers_keeps_it(admin_client):
    quote = ActivityType.objects.get(name="Create quote")
    response = admin_client.post(f"/settings/action-types/{quote.pk}/delete/", follow=True)
    assert ActivityType.objects.filter(pk=quote.pk).exists()
    assert any(m.startswith("error:") for m in _messages(response))


def test_deleting_an_unused_type_deletes_it(admin_client):
    unused = ActivityTypeFactory(name="Ongebruikt")
    response = admin_client.post(f"/settings/action-types/{unused.pk}/delete/", follow=True)
    assert not ActivityType.objects.filter(pk=unused.pk).exists()
    assert any(m.startswith("success:") for m in _messages(response))


def test_action_type_settings_are_for_administrators(logged_in):
    assert logged_in.get("/settings/action-types/").status_code == 403
    quote = ActivityType.objects.get(name="Create quote")
    assert logged_in.post(f"/settings/action-types/{quote.pk}/delete/").status_code == 403


# -- done & schedule next -----------------------------------------------------------------------------------


def _suggestion_links(content: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/activities/new/\?[^"]*)"', content)]


def test_done_and_schedule_next_offers_the_suggestions(logged_in, user):
    relation = RelationFactory(name="Delta", representative=user)
    email_type = ActivityType.objects.get(name="E-mail")
    call, meeting = ActivityType.objects.get(name="Call"), ActivityType.objects.get(name="Meeting")
    email = make_activity(user=user, relation=relation, activity_type=email_type, start=TODAY)

    response = logged_in.post(f"/activities/{email.pk}/complete/", {"schedule_next": "1"})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "activities/schedule_next.html"
    email.refresh_from_db()
    assert email.status == Activity.Status.DONE
    links = _suggestion_links(response.content.decode())
    next_part = "&next=" + relation.get_absolute_url()
    for t in (call, meeting):
        expected = (
            f"/activities/new/?relation={relation.pk}&type={t.pk}&start=2026-06-12&time=09:00"
            f"&previous={email.pk}{next_part}"
        )
        assert expected in links
    assert f"/activities/new/?relation={relation.pk}&previous={email.pk}{next_part}" in links  # another action
    assert Activity.objects.filter(relation=relation).count() == 1


def test_a_suggestion_link_prefills_the_form_and_saving_links_the_previous(logged_in, user):
    relation = RelationFactory(name="Delta", representative=user)
    email = make_activity(
        user=user, relation=relation, activity_type=ActivityType.objects.get(name="E-mail"), start=TODAY
    )
    meeting = ActivityType.objects.get(name="Meeting")
    response = logged_in.post(f"/activities/{email.pk}/complete/", {"schedule_next": "1"})
    link = next(h for h in _suggestion_links(response.content.decode()) if f"type={meeting.pk}&" in h)

    page = logged_in.get(link)
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert (initial["type"], initial["start_date"], initial["previous"]) == (meeting.pk, D(2026, 6, 12), email.pk)
    assert (initial["start_time"], initial["all_day"], initial["relation"]) == (datetime.time(9, 0), False, relation.pk)

    created = logged_in.post(
        link,
        {
            "relation": relation.pk,
            "type": meeting.pk,
            "status": "planned",
            "start_date": "2026-06-12",
            "start_time": "09:00",
            "summary": "Proeverij",
            "previous": email.pk,
            "costs-TOTAL_FORMS": "0",
            "costs-INITIAL_FORMS": "0",
            "costs-MIN_NUM_FORMS": "0",
            "costs-MAX_NUM_FORMS": "50",
        },
    )
    assert created.status_code == 302
    assert created["Location"] == relation.get_absolute_url()
    nxt = Activity.objects.get(previous=email)
    assert (nxt.type, nxt.all_day, nxt.start) == (meeting, False, datetime.datetime(2026, 6, 12, 9, 0, tzinfo=BXL))


def test_a_previous_of_another_relation_is_not_linked(logged_in, user):
    relation = RelationFactory(representative=user)
    foreign = make_activity(relation=RelationFactory())
    todo = ActivityType.objects.get(name="To Do")
    logged_in.post(
        "/activities/new/",
        {
            "relation": relation.pk,
            "type": todo.pk,
            "status": "planned",
            "start_date": "2026-06-12",
            "all_day": "on",
            "previous": foreign.pk,
            "costs-TOTAL_FORMS": "0",
            "costs-INITIAL_FORMS": "0",
            "costs-MIN_NUM_FORMS": "0",
            "costs-MAX_NUM_FORMS": "50",
        },
    )
    assert Activity.objects.get(relation=relation).previous is None


def test_done_and_schedule_next_on_a_trigger_type_just_triggers(logged_in, user):
    relation = RelationFactory(representative=user)
    call = make_activity(user=user, relation=relation, activity_type=ActivityType.objects.get(name="Call"), start=TODAY)
    response = logged_in.post(f"/activities/{call.pk}/complete/", {"schedule_next": "1"})
    assert response.status_code == 302
    assert Activity.objects.get(previous=call).type.name == "Create quote"


def test_done_and_schedule_next_on_an_already_done_activity_shows_no_suggestions(logged_in, user):
    relation = RelationFactory(representative=user)
    email = make_activity(
        user=user, relation=relation, activity_type=ActivityType.objects.get(name="E-mail"), start=TODAY
    )
    activity_complete(activity=email, user=user)
    response = logged_in.post(f"/activities/{email.pk}/complete/", {"schedule_next": "1"}, follow=True)
    assert "activities/schedule_next.html" not in [t.name for t in response.templates]
    assert any(m.startswith("warning:") for m in _messages(response))


def test_done_and_schedule_next_is_forbidden_to_others(client, world):
    client.force_login(UserFactory(team=TeamFactory()))
    response = client.post(f"/activities/{world['overdue'].pk}/complete/", {"schedule_next": "1"})
    assert response.status_code == 403
    world["overdue"].refresh_from_db()
    assert world["overdue"].status == Activity.Status.PLANNED


# -- a user west of the company time zone -------------------------------------------------------------------


@pytest.fixture
def new_yorker(client, team):
    """At noon in Brussels it is 06:00 on the same day in New York."""
    user = UserFactory(language="en", team=team, time_zone="America/New_York")
    client.force_login(user)
    return user


def test_an_all_day_activity_due_today_counts_as_today_west_of_brussels(client, new_yorker, mail):
    relation = RelationFactory(representative=new_yorker)
    due_today = make_activity(user=new_yorker, relation=relation, activity_type=mail, start=TODAY)
    response = client.get("/activities/")
    assert f'id="activity-row-{due_today.pk}" class="row-today"' in response.content.decode()
    counters = response.context["nav_counters"]
    assert (counters["overdue"], counters["today"]) == (0, 1)
    assert _rows(client.get("/activities/?period=today")) == [due_today.pk]


def test_the_overview_shows_an_all_day_date_as_stored_west_of_brussels(client, new_yorker, mail):
    relation = RelationFactory(name="West", representative=new_yorker)
    make_activity(user=new_yorker, relation=relation, activity_type=mail, start=TODAY)
    response = client.get("/activities/overview/")
    (row,) = response.context["rows"]
    cell = next(c for c in row["cells"] if c["type"] == mail)
    assert (cell["date"], cell["state"]) == (TODAY, "today")
