import datetime
import zoneinfo
from decimal import Decimal

import pytest

from kadans.planner.models import OpeningHours, RelationPlanning, WorkingDay
from kadans.planner.services import plan_week
from tests.factories import RelationFactory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MECHELEN = (Decimal("51.025900"), Decimal("4.477600"))
WEEK = datetime.date(2030, 3, 4)  # a Monday, far from any clock change


def local(dt: datetime.datetime) -> datetime.datetime:
    return dt.astimezone(BRUSSELS)


@pytest.fixture
def week():
    return WEEK


def works(rep, weekdays=range(5), starts=datetime.time(8), ends=datetime.time(18), home=MECHELEN):
    WorkingDay.objects.bulk_create([
        WorkingDay(representative=rep, weekday=d, starts=starts, ends=ends, start_latitude=home[0],
                   start_longitude=home[1])
        for d in weekdays
    ])


def customer(rep, name, lat=None, lon=None, *, minutes=30, hours=(), **kwargs):
    """A relation of rep, due now (nothing planned); `hours`: (weekday, opens, closes, lunch_from, lunch_until)."""
    relation = RelationFactory(
        # to the field's six decimals, as a form or an import gives them
        representative=rep, name=name, latitude=None if lat is None else round(Decimal(str(lat)), 6),
        longitude=None if lon is None else round(Decimal(str(lon)), 6), **kwargs,
    )
    RelationPlanning.objects.create(relation=relation, visit_minutes=minutes)
    for weekday, opens, closes, *lunch in hours:
        OpeningHours.objects.create(
            relation=relation, weekday=weekday, opens=opens, closes=closes,
            lunch_from=lunch[0] if lunch else None, lunch_until=lunch[1] if lunch else None,
        )
    return relation


def plan(rep, week=WEEK, **kwargs):
    now = datetime.datetime.combine(week - datetime.timedelta(days=3), datetime.time(12), tzinfo=BRUSSELS)
    return plan_week(representative=rep, week=week, user=rep, now=now, **kwargs)


def proposals(plan_):
    return {p.relation.name: p for p in plan_.proposals.select_related("relation")}
