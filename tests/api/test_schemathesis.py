"""A property-based run over the whole OpenAPI document (schemathesis): generated valid and invalid
requests to every operation, as an administrator and as a representative, must get no server error and
only responses that the document describes.

The administrator run has every phase, the coverage phase's boundary and invalid values included; the
representative run (who is refused most changes) fuzzes only. Bounded and deterministic: a fixed seed,
derandomised Hypothesis, a few examples per operation. No network: requests go to the WSGI app in process.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kadans.accounts.services import token_create
from tests.factories import (
    ActivityTypeFactory,
    ContactFactory,
    ProductFactory,
    RelationFactory,
    TeamFactory,
    UserFactory,
    make_activity,
)

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, response_schema_conformance]
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(HealthCheck),
)


def _schema(phases: dict):
    config = schemathesis.Config.from_dict({
        "seed": 20251107,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": phases,
    })
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=config)


every_phase = _schema({"coverage": {"unexpected-methods": []}})
fuzzing_only = _schema({"coverage": {"enabled": False}})


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, as in production; the test's
    transaction lives on that connection, so keep it open (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token_with_data(role: str) -> str:
    """A token of a user with this role, and a little data around them: a relation of theirs and one of a
    colleague's, each with a contact and an activity, one they take part in, a product."""
    team = TeamFactory()
    user = UserFactory(role=role, team=team)
    colleague = UserFactory(team=team)
    ProductFactory()
    for owner in (user, colleague):
        relation = RelationFactory(representative=owner)
        ContactFactory(relation=relation)
        make_activity(user=owner, relation=relation, activity_type=ActivityTypeFactory())
    make_activity(user=colleague, relation=relation, participants=[user])
    return token_create(user=user, name="schemathesis")[1]


@pytest.fixture
def administrator_token(db):
    return _token_with_data("administrator")


@pytest.fixture
def representative_token(db):
    return _token_with_data("representative")


@every_phase.parametrize()
@HYPOTHESIS
def test_the_api_answers_an_administrator_as_documented(case, administrator_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {administrator_token}"}, checks=CHECKS)


@fuzzing_only.parametrize()
@HYPOTHESIS
def test_the_api_answers_a_representative_as_documented(case, representative_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {representative_token}"}, checks=CHECKS)
