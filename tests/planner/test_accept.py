import datetime

import pytest
from django.core.exceptions import ValidationError

from kadans.activities.models import Activity, ActivityType
from kadans.activities.services import activity_create
from kadans.planner import services
from kadans.planner.models import Proposal
from kadans.planner.services import proposal_drop, proposal_move, week_plan_accept
from tests.planner.conftest import customer, local, plan, proposals, works


def test_accepting_makes_one_planned_timed_visit_per_proposal(rep):
    works(rep)
    customer(rep, "A", 51.03, 4.48)
    customer(rep, "B", 51.05, 4.50)
    result = plan(rep)
    created = week_plan_accept(plan=result, user=rep)
    assert len(created) == 2
    for p in result.proposals.select_related("activity"):
        assert p.status == Proposal.Status.ACCEPTED
        assert (p.activity.start, p.activity.end, p.activity.all_day) == (p.start, p.end, False)
        assert p.activity.status == Activity.Status.PLANNED and p.activity.representative == rep
        assert p.activity.type.kind == ActivityType.Kind.MEETING


def test_accepting_twice_makes_each_visit_once(rep):
    works(rep)
    customer(rep, "A", 51.03, 4.48)
    result = plan(rep)
    week_plan_accept(plan=result, user=rep)
    assert week_plan_accept(plan=result, user=rep) == []
    assert Activity.objects.filter(representative=rep).count() == 1


def test_planning_again_keeps_the_accepted_visits_and_replaces_the_rest(rep, week):
    works(rep)
    customer(rep, "A", 51.03, 4.48)
    first = plan(rep)
    week_plan_accept(plan=first, user=rep)
    accepted = first.proposals.get()
    customer(rep, "B", 51.05, 4.50)
    again = plan(rep)
    assert again.pk == first.pk
    assert set(proposals(again)) == {"A", "B"}
    assert proposals(again)["A"].pk == accepted.pk and proposals(again)["A"].status == "accepted"
    # the accepted visit is an appointment now: the new proposal does not overlap it
    b = proposals(again)["B"]
    assert b.end <= accepted.start or b.start >= accepted.end


def test_a_failure_while_accepting_makes_no_visit_at_all(rep, monkeypatch):
    works(rep)
    customer(rep, "A", 51.03, 4.48)
    customer(rep, "B", 51.05, 4.50)
    result = plan(rep)
    made = []

    def second_one_fails(**kwargs):
        if made:
            raise ValidationError("refused")
        made.append(activity_create(**kwargs))
        return made[-1]

    monkeypatch.setattr(services, "activity_create", second_one_fails)
    with pytest.raises(ValidationError):
        week_plan_accept(plan=result, user=rep)
    assert len(made) == 1
    assert Activity.objects.count() == 0
    assert result.proposals.filter(status="proposed").count() == 2


def test_dropping_a_proposal_moves_the_rest_of_its_day_up(rep):
    works(rep, weekdays=[0])
    customer(rep, "A", 51.03, 4.48)
    customer(rep, "B", 51.20, 4.48)
    result = plan(rep)
    first, second = result.proposals.select_related("relation").order_by("start")
    proposal_drop(proposal=first, user=rep)
    second.refresh_from_db()
    assert list(result.proposals.all()) == [second]
    assert second.position == 0


def test_moving_a_proposal_to_another_day(rep, week):
    works(rep, weekdays=[0, 1])
    customer(rep, "A", 51.03, 4.48)
    visit = plan(rep).proposals.get()
    other = week + datetime.timedelta(days=1) if local(visit.start).date() == week else week
    moved = proposal_move(proposal=visit, user=rep, day=other)
    assert local(moved.start).date() == other


def test_a_proposal_cannot_move_to_a_day_off(rep, week):
    works(rep, weekdays=[0])
    customer(rep, "A", 51.03, 4.48)
    visit = plan(rep).proposals.get()
    with pytest.raises(ValidationError):
        proposal_move(proposal=visit, user=rep, day=week + datetime.timedelta(days=2))
