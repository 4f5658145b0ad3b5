"""Every API list answers in a fixed number of queries, whatever its length: pinned at two sizes.

Each count is: 1 for the token, 1 COUNT for the page's total, 1 for the page, and 1 per prefetched list
(participants, cost lines, suggested types, plan steps). When a count grows, the change says why.

The rows of each size are made once for all the lists (tests/db_support.py); each test's writes (its
token) are rolled back after it.
"""

import pytest

from kadans.accounts.models import Team
from kadans.activities.models import ActivityPlan, ActivityPlanStep
from kadans.relations.services import relation_update
from tests.api_support import api_as
from tests.db_support import shared_rows
from tests.factories import (
    ActivityTypeFactory,
    BusinessStatusFactory,
    ContactFactory,
    PriorityFactory,
    ProductFactory,
    RelationFactory,
    UserFactory,
    make_activity,
)

pytestmark = pytest.mark.django_db

BASELINES = {
    "/relations": 3,
    "/contacts": 3,
    "/status-changes": 3,
    "/activities": 5,  # + participants, cost lines
    "/activities?mine=true": 5,
    "/users": 3,
    "/teams": 3,
    "/plans": 4,  # + steps
    "/business-statuses": 3,
    "/priorities": 3,
    "/products": 3,
    "/activity-types": 4,  # + suggested types
}


def _add_rows(user, n: int) -> None:
    for _ in range(n):
        colleague = UserFactory(team=Team.objects.create(name=f"Team {Team.objects.count()}"))
        relation = RelationFactory(representative=colleague)
        ContactFactory(relation=relation)
        relation_update(relation=relation, user=user, priority=PriorityFactory())
        activity_type = ActivityTypeFactory(chaining="suggest")
        activity_type.suggested_types.set([ActivityTypeFactory()])
        make_activity(user=user, relation=relation, activity_type=activity_type, representative=colleague,
                      participants=[user, UserFactory()], cost_lines=[])
        ProductFactory()
        BusinessStatusFactory()
        plan = ActivityPlan.objects.create(name=f"Plan {ActivityPlan.objects.count()}")
        ActivityPlanStep.objects.create(plan=plan, type=activity_type)
        ActivityPlanStep.objects.create(plan=plan, type=activity_type, order=2)


def _make_rows(size: int):
    user = UserFactory(role="manager")
    _add_rows(user, size)
    return user


SIZES = [2, 10]


@pytest.fixture(scope="module", params=SIZES, ids=[f"{n}-rows" for n in SIZES])
def rows(request, django_db_setup, django_db_blocker):
    with shared_rows(django_db_blocker, lambda: _make_rows(request.param)) as user:
        yield request.param, user


@pytest.mark.parametrize("path", list(BASELINES))
def test_a_list_costs_the_same_queries_for_few_and_many_rows(rows, path, django_assert_num_queries):
    size, user = rows
    api = api_as(user)
    api.get("/users/me")  # the token's first use records it; later ones within minutes do not
    with django_assert_num_queries(BASELINES[path]):
        response = api.get(path)
    assert response.status_code == 200
    assert response.json()["count"] >= size
