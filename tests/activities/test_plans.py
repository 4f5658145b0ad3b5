"""Activity plans: step dates, who is responsible, applying to many relations all or nothing, and the
plan pages (settings and applying)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from kadans.activities.models import Activity, ActivityPlan, ActivityPlanStep, ActivityType, PlanRun
from kadans.activities.plans import plan_apply, plan_needs_user, plan_preview, step_due_date
from tests.factories import ActivityTypeFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db

BXL = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date
PLAN_DATE = D(2026, 1, 31)
REP, USER, ASK = (
    ActivityPlanStep.Responsible.REPRESENTATIVE,
    ActivityPlanStep.Responsible.USER,
    ActivityPlanStep.Responsible.ASK,
)


def _step(plan, activity_type, *, order=0, count=0, unit="days", direction="after", **fields):
    return ActivityPlanStep.objects.create(
        plan=plan, type=activity_type, order=order, delay_count=count, delay_unit=unit, direction=direction, **fields
    )


@pytest.fixture
def types():
    return {
        "call": ActivityTypeFactory(name="Bellen", kind=ActivityType.Kind.CALL),
        "mail": ActivityTypeFactory(name="Welkomstmail", kind=ActivityType.Kind.EMAIL, default_summary="Welkom!"),
        "visit": ActivityTypeFactory(name="Bezoek", kind=ActivityType.Kind.MEETING),
    }


@pytest.fixture
def back_office():
    return UserFactory(username="backoffice")


@pytest.fixture
def plan(types, back_office):
    plan = ActivityPlan.objects.create(name="Onboarding")
    _step(plan, types["mail"], order=1, summary="Welkomstmail sturen")
    _step(plan, types["call"], order=2, count=1, unit="weeks", summary="Eerste bestelling opvolgen")
    _step(
        plan,
        types["visit"],
        order=3,
        count=1,
        unit="months",
        responsible=USER,
        user=back_office,
        summary="Kennismakingsbezoek",
    )
    return plan


# -- step_due_date ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "unit", "direction", "expected"),
    [
        (0, "days", "after", D(2026, 1, 31)),
        (3, "days", "after", D(2026, 2, 3)),
        (3, "days", "before", D(2026, 1, 28)),
        (2, "weeks", "after", D(2026, 2, 14)),
        (5, "weeks", "before", D(2025, 12, 27)),
        (1, "months", "after", D(2026, 2, 28)),
        (2, "months", "before", D(2025, 11, 30)),
        (13, "months", "after", D(2027, 2, 28)),
        (0, "months", "before", D(2026, 1, 31)),
    ],
)
def test_step_due_date(count, unit, direction, expected, types):
    step = ActivityPlanStep(type=types["mail"], delay_count=count, delay_unit=unit, direction=direction)
    assert step_due_date(step, PLAN_DATE) == expected


# -- plan_preview -------------------------------------------------------------------------------------------


def test_preview_lists_every_step_for_every_relation_with_its_responsible(plan, back_office):
    first, second = RelationFactory(), RelationFactory()
    rows = plan_preview(plan=plan, relations=[first, second], plan_date=PLAN_DATE)
    assert [(r.relation, r.step.summary, r.due_date, r.representative) for r in rows] == [
        (first, "Welkomstmail sturen", D(2026, 1, 31), first.representative),
        (first, "Eerste bestelling opvolgen", D(2026, 2, 7), first.representative),
        (first, "Kennismakingsbezoek", D(2026, 2, 28), back_office),
        (second, "Welkomstmail sturen", D(2026, 1, 31), second.representative),
        (second, "Eerste bestelling opvolgen", D(2026, 2, 7), second.representative),
        (second, "Kennismakingsbezoek", D(2026, 2, 28), back_office),
    ]
    assert not Activity.objects.exists()


def test_preview_of_a_relation_without_representative_leaves_it_to_the_type_rules(plan):
    rows = plan_preview(plan=plan, relations=[RelationFactory(representative=None)], plan_date=PLAN_DATE)
    assert rows[0].representative is None


def test_a_step_that_asks_takes_the_asked_user(plan, types):
    _step(plan, types["call"], order=4, responsible=ASK)
    assert plan_needs_user(plan)
    asked = UserFactory()
    rows = plan_preview(plan=plan, relations=[RelationFactory()], plan_date=PLAN_DATE, asked_user=asked)
    assert rows[-1].representative == asked


def test_a_step_that_asks_without_an_asked_user_is_refused(plan, types):
    _step(plan, types["call"], order=4, responsible=ASK)
    with pytest.raises(ValidationError) as exc:
        plan_preview(plan=plan, relations=[RelationFactory()], plan_date=PLAN_DATE)
    assert "asked_user" in exc.value.message_dict


def test_a_plan_without_steps_is_refused():
    with pytest.raises(ValidationError):
        plan_preview(plan=ActivityPlan.objects.create(name="Leeg"), relations=[RelationFactory()], plan_date=PLAN_DATE)


# -- plan_apply ---------------------------------------------------------------------------------------------


def test_applying_creates_every_step_on_every_relation(plan, back_office, types):
    applier = UserFactory()
    relations = [RelationFactory(), RelationFactory(), RelationFactory()]
    created = plan_apply(plan=plan, relations=relations, plan_date=PLAN_DATE, user=applier)
    assert len(created) == 9
    for relation in relations:
        activities = Activity.objects.filter(relation=relation).order_by("start")
        assert [(a.type, a.due_date, a.representative, a.plan, a.status) for a in activities] == [
            (types["mail"], D(2026, 1, 31), relation.representative, plan, Activity.Status.PLANNED),
            (types["call"], D(2026, 2, 7), relation.representative, plan, Activity.Status.PLANNED),
            (types["visit"], D(2026, 2, 28), back_office, plan, Activity.Status.PLANNED),
        ]
    assert all(a.plan == plan for a in created)
    runs = PlanRun.objects.filter(plan=plan)
    assert sorted(r.relation_id for r in runs) == sorted(r.pk for r in relations)
    assert {(r.plan_date, r.user_id) for r in runs} == {(PLAN_DATE, applier.pk)}


def test_applied_steps_take_the_step_summary_and_calendar_types_are_timed(plan, types):
    relation = RelationFactory()
    plan_apply(plan=plan, relations=[relation], plan_date=PLAN_DATE, user=relation.representative)
    mail, call, visit = Activity.objects.filter(relation=relation).order_by("start")
    assert (mail.summary, mail.all_day) == ("Welkomstmail sturen", True)
    assert (call.summary, call.all_day) == ("Eerste bestelling opvolgen", False)
    assert call.start == datetime.datetime(2026, 2, 7, 9, 0, tzinfo=BXL)


def test_a_step_without_summary_takes_the_types_default(types):
    plan = ActivityPlan.objects.create(name="Mail")
    _step(plan, types["mail"])
    relation = RelationFactory()
    (activity,) = plan_apply(plan=plan, relations=[relation], plan_date=PLAN_DATE, user=relation.representative)
    assert activity.summary == "Welkom!"


def test_a_plan_whose_step_type_was_archived_creates_nothing(plan, types):
    types["visit"].active = False
    types["visit"].save()
    with pytest.raises(ValidationError):
        plan_apply(plan=plan, relations=[RelationFactory(), RelationFactory()], plan_date=PLAN_DATE, user=UserFactory())
    assert not Activity.objects.exists()
    assert not PlanRun.objects.exists()


def test_an_archived_plan_is_not_applied(plan):
    plan.active = False
    plan.save()
    with pytest.raises(ValidationError):
        plan_apply(plan=plan, relations=[RelationFactory()], plan_date=PLAN_DATE, user=UserFactory())
    assert not Activity.objects.exists()


def test_a_plan_that_asks_without_a_user_creates_nothing(plan, types):
    _step(plan, types["call"], order=4, responsible=ASK)
    with pytest.raises(ValidationError):
        plan_apply(plan=plan, relations=[RelationFactory()], plan_date=PLAN_DATE, user=UserFactory())
    assert not Activity.objects.exists()
    assert not PlanRun.objects.exists()


def test_the_plan_run_shows_in_the_relation_history(client, plan):
    relation = RelationFactory()
    plan_apply(plan=plan, relations=[relation], plan_date=PLAN_DATE, user=relation.representative)
    client.force_login(UserFactory(language="en"))
    response = client.get(f"/relations/{relation.pk}/")
    assert response.status_code == 200
    assert "Plan Onboarding started" in response.content.decode()


# -- applying from the pages --------------------------------------------------------------------------------


@pytest.fixture
def rep_client(client, rep):
    rep.language = "en"
    rep.save()
    client.force_login(rep)
    return client


def _apply_data(plan, *relations, **extra):
    return {"plan": plan.pk, "plan_date": "2026-01-31", "relations": [r.pk for r in relations], **extra}


def test_the_apply_page_opens_for_the_selected_relations(rep_client, relation, plan):
    response = rep_client.get(f"/activities/plans/apply/?relations={relation.pk}")
    assert response.status_code == 200
    assert list(response.context["selected"]) == [relation]
    assert relation.name in response.content.decode()


def test_posting_the_apply_form_shows_the_preview_and_creates_nothing(rep_client, relation, plan):
    other = RelationFactory()
    response = rep_client.post("/activities/plans/apply/", _apply_data(plan, relation, other))
    assert response.status_code == 200
    assert len(response.context["preview"]) == 6
    html = response.content.decode()
    assert 'id="plan-preview"' in html
    assert html.count("Kennismakingsbezoek") == 2
    assert not Activity.objects.exists()


def test_confirming_the_apply_form_creates_the_activities(rep_client, relation, plan):
    response = rep_client.post("/activities/plans/apply/", _apply_data(plan, relation, confirm="1"))
    assert response.status_code == 302
    assert response["Location"] == relation.get_absolute_url()
    assert Activity.objects.filter(relation=relation, plan=plan).count() == 3
    assert PlanRun.objects.filter(relation=relation, plan=plan).count() == 1


def test_confirming_for_several_relations_goes_to_the_relation_list(rep_client, relation, plan):
    other = RelationFactory()
    response = rep_client.post("/activities/plans/apply/", _apply_data(plan, relation, other, confirm="1"))
    assert response.status_code == 302
    assert Activity.objects.filter(plan=plan).count() == 6


def test_applying_a_plan_that_asks_without_a_user_shows_an_error(rep_client, relation, plan, types):
    _step(plan, types["call"], order=4, responsible=ASK)
    response = rep_client.post("/activities/plans/apply/", _apply_data(plan, relation, confirm="1"))
    assert response.status_code == 200
    assert "asked_user" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_applying_a_plan_with_an_archived_type_shows_an_error(rep_client, relation, plan, types):
    types["call"].active = False
    types["call"].save()
    response = rep_client.post("/activities/plans/apply/", _apply_data(plan, relation, confirm="1"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Activity.objects.exists()


# -- the plan settings pages --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role="administrator", language="en"))
    return client


@pytest.mark.parametrize("url", ["/activities/plans/", "/activities/plans/new/"])
def test_plan_settings_are_for_administrators(admin_client, url, plan):
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/activities/plans/", "/activities/plans/new/", "/activities/plans/{plan}/"])
def test_plan_settings_are_forbidden_to_representatives(rep_client, url, plan):
    assert rep_client.get(url.format(plan=plan.pk)).status_code == 403
    assert rep_client.post(url.format(plan=plan.pk), {"name": "Gekaapt"}).status_code == 403
    assert not ActivityPlan.objects.filter(name="Gekaapt").exists()


def test_the_plan_list_shows_the_plans(admin_client, plan):
    assert "Onboarding" in admin_client.get("/activities/plans/").content.decode()


def _plan_data(name, *steps, initial=0, **extra):
    data = {
        "name": name,
        "description": "",
        "active": "on",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
    }
    for i, step in enumerate(steps):
        data.update({f"steps-{i}-{k}": v for k, v in step.items()})
    data.update(extra)
    return data


def _step_data(activity_type, order, **fields):
    return {
        "order": str(order),
        "type": str(activity_type.pk),
        "summary": "",
        "responsible": "representative",
        "user": "",
        "delay_count": "0",
        "delay_unit": "days",
        "direction": "after",
        **fields,
    }


def test_saving_a_new_plan_with_its_steps(admin_client, types, back_office):
    data = _plan_data(
        "Herfstactie",
        _step_data(types["mail"], 1, summary="Mail"),
        _step_data(
            types["visit"], 2, responsible="user", user=str(back_office.pk), delay_count="2", delay_unit="weeks"
        ),
    )
    response = admin_client.post("/activities/plans/new/", data)
    assert response.status_code == 302
    plan = ActivityPlan.objects.get(name="Herfstactie")
    assert [(s.type, s.responsible, s.user, s.delay_count, s.delay_unit) for s in plan.steps.all()] == [
        (types["mail"], "representative", None, 0, "days"),
        (types["visit"], "user", back_office, 2, "weeks"),
    ]


def test_editing_a_plan_deletes_and_adds_steps(admin_client, plan, types):
    steps = list(plan.steps.all())
    existing = [
        {
            **_step_data(
                s.type,
                s.order,
                summary=s.summary,
                responsible=s.responsible,
                user=str(s.user_id or ""),
                delay_count=str(s.delay_count),
                delay_unit=s.delay_unit,
            ),
            "id": str(s.pk),
        }
        for s in steps
    ]
    existing[0]["DELETE"] = "on"
    data = _plan_data("Onboarding", *existing, _step_data(types["call"], 9, summary="Nabellen"), initial=len(steps))
    response = admin_client.post(f"/activities/plans/{plan.pk}/", data)
    assert response.status_code == 302
    assert [s.summary for s in plan.steps.all()] == ["Eerste bestelling opvolgen", "Kennismakingsbezoek", "Nabellen"]


def test_a_step_for_a_named_user_without_user_shows_a_field_error(admin_client, types):
    data = _plan_data("Zonder gebruiker", _step_data(types["visit"], 1, responsible="user"))
    response = admin_client.post("/activities/plans/new/", data)
    assert response.status_code == 200
    assert "user" in response.context["formset"].forms[0].errors
    assert not ActivityPlan.objects.filter(name="Zonder gebruiker").exists()


def test_a_step_with_an_archived_type_cannot_be_saved(admin_client, types):
    types["call"].active = False
    types["call"].save()
    response = admin_client.post("/activities/plans/new/", _plan_data("Oud", _step_data(types["call"], 1)))
    assert response.status_code == 200
    assert "type" in response.context["formset"].forms[0].errors
    assert not ActivityPlan.objects.filter(name="Oud").exists()
