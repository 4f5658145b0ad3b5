"""The defaults of a new activity (services.activity_defaults): who is its representative (explicit, else
the type's default user, else the relation's, else the creator), its summary and note, timed or all day;
the same for the service, the form's initial values and what the form's script receives."""

import pytest

from kadans.activities.models import ActivityType
from kadans.activities.services import activity_defaults
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {name: UserFactory(username=name) for name in ("explicit", "type_default", "relation_rep", "creator")}


def _pick(people, *, explicit=True, type_default=True, relation_rep=True):
    activity_type = ActivityTypeFactory(default_user=people["type_default"] if type_default else None)
    relation = RelationFactory(representative=people["relation_rep"] if relation_rep else None)
    return activity_defaults(
        representative=people["explicit"] if explicit else None,
        activity_type=activity_type,
        relation=relation,
        user=people["creator"],
    ).representative


def test_explicit_choice_wins_over_everything(people):
    assert _pick(people) == people["explicit"]


def test_without_explicit_choice_the_type_default_user_is_used(people):
    assert _pick(people, explicit=False) == people["type_default"]


def test_without_type_default_the_relation_representative_is_used(people):
    assert _pick(people, explicit=False, type_default=False) == people["relation_rep"]


def test_without_anyone_else_the_creating_user_is_used(people):
    assert _pick(people, explicit=False, type_default=False, relation_rep=False) == people["creator"]


def test_activity_create_stores_the_explicit_representative(people):
    activity = make_activity(
        user=people["creator"],
        relation=RelationFactory(representative=people["relation_rep"]),
        activity_type=ActivityTypeFactory(default_user=people["type_default"]),
        representative=people["explicit"],
    )
    assert activity.representative == people["explicit"]


def test_activity_create_falls_back_to_the_type_default_user(people):
    activity = make_activity(
        user=people["creator"],
        relation=RelationFactory(representative=people["relation_rep"]),
        activity_type=ActivityTypeFactory(default_user=people["type_default"]),
    )
    assert activity.representative == people["type_default"]


def test_activity_create_falls_back_to_the_relation_representative(people):
    activity = make_activity(user=people["creator"], relation=RelationFactory(representative=people["relation_rep"]))
    assert activity.representative == people["relation_rep"]


def test_activity_create_falls_back_to_the_creating_user(people):
    activity = make_activity(user=people["creator"], relation=RelationFactory(representative=None))
    assert activity.representative == people["creator"]


@pytest.mark.parametrize(("kind", "all_day"), [
    (ActivityType.Kind.CALL, False), (ActivityType.Kind.MEETING, False), (ActivityType.Kind.TODO, True),
    (ActivityType.Kind.EMAIL, True), (None, True),
])
def test_calls_and_meetings_are_timed_the_rest_all_day(people, kind, all_day):
    activity_type = ActivityTypeFactory(kind=kind) if kind else None
    assert activity_defaults(user=people["creator"], activity_type=activity_type).all_day is all_day


def test_summary_and_note_come_from_the_type(people):
    activity_type = ActivityTypeFactory(default_summary="Follow up", default_note="Ask about the order")
    defaults = activity_defaults(user=people["creator"], activity_type=activity_type)
    assert (defaults.summary, defaults.note) == ("Follow up", "Ask about the order")
    untyped = activity_defaults(user=people["creator"])
    assert (untyped.summary, untyped.note) == ("", "")


def test_a_call_planned_on_a_date_alone_is_timed(people):
    activity = make_activity(user=people["creator"], relation=RelationFactory(),
                             activity_type=ActivityTypeFactory(kind=ActivityType.Kind.CALL), all_day=None)
    assert activity.all_day is False


def test_the_new_action_form_starts_from_the_same_defaults(client, people):
    """The bug this rule fixed: the page filled the representative from the relation first, so a type's
    default user never applied in the browser."""
    relation = RelationFactory(representative=people["relation_rep"])
    activity_type = ActivityTypeFactory(default_user=people["type_default"], kind=ActivityType.Kind.CALL,
                                        default_summary="Call back")
    client.force_login(people["creator"])
    form = client.get(f"/activities/new/?relation={relation.pk}&type={activity_type.pk}").context["form"]
    assert form.initial["representative"] == people["type_default"].pk
    assert (form.initial["summary"], form.initial["all_day"]) == ("Call back", False)
    assert client.get(f"/activities/new/?relation={relation.pk}").context["form"].initial["representative"] == (
        people["relation_rep"].pk)


def test_the_forms_script_receives_the_defaults_for_the_type_and_relation_chosen(client, people):
    relation = RelationFactory(representative=people["relation_rep"])
    activity_type = ActivityTypeFactory(default_user=people["type_default"], default_note="Bring samples")
    client.force_login(people["creator"])
    got = client.get(f"/activities/defaults/?type={activity_type.pk}&relation={relation.pk}").json()
    assert got == {"representative": people["type_default"].pk, "summary": "", "note": "Bring samples",
                   "all_day": True}
    assert client.get(f"/activities/defaults/?relation={relation.pk}").json()["representative"] == (
        people["relation_rep"].pk)
    assert client.get("/activities/defaults/?type=x&relation=").json()["representative"] == people["creator"].pk


def test_choosing_a_relation_keeps_the_types_default_user_and_an_explicit_choice(client, people):
    relation = RelationFactory(representative=people["relation_rep"])
    activity_type = ActivityTypeFactory(default_user=people["type_default"])
    client.force_login(people["creator"])
    url = f"/activities/relation-fields/?relation={relation.pk}&type={activity_type.pk}"
    assert client.get(url).context["form"].initial["representative"] == people["type_default"].pk
    chosen = client.get(url + f"&representative={people['explicit'].pk}").context["form"]
    assert chosen.initial["representative"] == people["explicit"].pk
    assert client.get("/activities/relation-fields/?relation=0").status_code == 404
