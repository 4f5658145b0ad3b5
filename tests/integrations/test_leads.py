"""Lead intake from a website form: a public endpoint per form, honeypot, rate limit, round-robin."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from kadans.activities.models import Activity, ActivityPlan, ActivityPlanStep, ActivityType
from kadans.integrations.leads import LeadData, lead_intake
from kadans.integrations.models import WebForm
from kadans.relations.models import Contact, Relation
from tests.factories import ContactFactory, RelationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_plan():
    plan = ActivityPlan.objects.create(name="Web lead")
    ActivityPlanStep.objects.create(
        plan=plan, type=ActivityType.objects.get(name="Call"), summary="Call the web lead", delay_count=1
    )
    return plan


@pytest.fixture
def web_form(rep, call_plan):
    return WebForm.objects.create(name="Website", representative=rep, plan=call_plan)


def post(client, web_form, data, **extra):
    return client.post(reverse("intake", args=[web_form.key]), data, **extra)


LEAD = {"company": "Brouwerij Het Anker", "first_name": "An", "last_name": "Peeters",
        "email": "an@hetanker.be", "phone": "015 28 71 41", "message": "Send me a price list"}


def test_a_website_form_creates_a_lead_with_a_scheduled_first_call(client, web_form, rep):
    response = post(client, web_form, LEAD)
    assert response.status_code == 201
    relation = Relation.objects.get(name="Brouwerij Het Anker")
    assert relation.business_status.code == "lead"
    assert relation.representative == rep
    assert relation.contacts.get().email == "an@hetanker.be"
    call = Activity.objects.get(relation=relation)
    assert call.type.name == "Call" and call.status == Activity.Status.PLANNED
    assert call.representative == rep and call.plan == web_form.plan
    assert call.due_date == timezone.localdate(timezone=rep.tzinfo) + datetime.timedelta(days=1)
    assert call.note == "Send me a price list"


def test_it_takes_json_too(client, web_form):
    response = post(client, web_form, json.dumps(LEAD), content_type="application/json")
    assert response.status_code == 201
    assert Relation.objects.filter(name="Brouwerij Het Anker").exists()


def test_a_known_email_attaches_to_the_existing_relation(client, web_form):
    existing = RelationFactory(name="Het Anker")
    ContactFactory(relation=existing, email="AN@hetanker.be")
    assert post(client, web_form, LEAD).status_code == 201
    assert Relation.objects.count() == 1
    assert Contact.objects.filter(relation=existing).count() == 1
    assert Activity.objects.get().relation == existing


def test_a_known_vat_number_attaches_to_the_existing_relation(client, web_form):
    existing = RelationFactory(name="Het Anker", vat_number="BE 0401.234.567")
    assert post(client, web_form, {**LEAD, "vat_number": "be0401234567"}).status_code == 201
    assert list(Relation.objects.all()) == [existing]
    assert existing.contacts.get().last_name == "Peeters"


def test_a_filled_honeypot_is_answered_as_accepted_but_stores_nothing(client, web_form):
    response = post(client, web_form, {**LEAD, "website": "http://spam.example"})
    assert response.status_code == 201
    assert not Relation.objects.exists() and not Activity.objects.exists()


def test_it_limits_submissions_per_address(client, web_form):
    web_form.rate_limit = 2
    web_form.save()
    assert post(client, web_form, {**LEAD, "email": "a@x.be"}).status_code == 201
    assert post(client, web_form, {**LEAD, "email": "b@x.be"}).status_code == 201
    response = post(client, web_form, {**LEAD, "email": "c@x.be"})
    assert response.status_code == 429
    assert post(client, web_form, {**LEAD, "email": "d@x.be"}, REMOTE_ADDR="10.0.0.9").status_code == 201
    assert Relation.objects.count() == 3


def test_round_robin_gives_the_lead_to_who_waited_longest(call_plan):
    team = TeamFactory()
    first, second = UserFactory(team=team), UserFactory(team=team)
    UserFactory(team=team, is_active=False)
    web_form = WebForm.objects.create(name="Team form", team=team, plan=call_plan)
    reps = [
        lead_intake(web_form=web_form, data=LeadData(company=f"Lead {i}")).relation.representative
        for i in range(4)
    ]
    assert reps == [first, second, first, second]
    assert {a.representative_id for a in Activity.objects.filter(relation__name="Lead 1")} == {second.pk}


@pytest.mark.parametrize(("body", "content_type", "message"), [
    ("{not json", "application/json", "not valid JSON"),
    ("[1, 2]", "application/json", "JSON object"),
    (json.dumps({**LEAD, "colour": "red"}), "application/json", "Unknown fields: colour"),
    (json.dumps({**LEAD, "company": 12}), "application/json", "company must be text"),
    (json.dumps({**LEAD, "email": "not an address"}), "application/json", "e-mail address is not valid"),
    (json.dumps({"message": "hello"}), "application/json", "at least a company"),
])
def test_bad_input_is_refused_with_a_message_and_writes_nothing(client, web_form, body, content_type, message):
    response = post(client, web_form, body, content_type=content_type)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Relation.objects.exists()


def test_an_unknown_or_inactive_key_is_not_found(client, web_form):
    assert client.post(reverse("intake", args=["nope"]), LEAD).status_code == 404
    web_form.active = False
    web_form.save()
    assert post(client, web_form, LEAD).status_code == 404


def test_it_redirects_a_browser_to_the_forms_page(client, web_form):
    web_form.success_url = "https://www.example.be/bedankt"
    web_form.save()
    response = post(client, web_form, LEAD)
    assert response.status_code == 303 and response["Location"] == "https://www.example.be/bedankt"


def test_only_administrators_manage_web_forms(client, rep, call_plan):
    client.force_login(rep)
    assert client.get(reverse("integrations:webform_list")).status_code == 403
    admin = UserFactory(role="administrator")
    client.force_login(admin)
    response = client.post(reverse("integrations:webform_create"), {
        "name": "Contact page", "active": "on", "representative": rep.pk, "plan": call_plan.pk, "rate_limit": 5,
    })
    assert response.status_code == 302
    web_form = WebForm.objects.get(name="Contact page")
    page = client.get(reverse("integrations:webform_edit", args=[web_form.pk]))
    assert web_form.key in page.content.decode()
