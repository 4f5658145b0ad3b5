from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.planner.conftest import WEEK, customer, plan, works


def _page_queries(client, rep):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("planner:week"), {"week": WEEK.isoformat()})
    assert response.status_code == 200
    return len(queries)


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_visits(client, rep):
    works(rep)
    client.force_login(rep)
    customer(rep, "First", 51.03, 4.48)
    plan(rep)
    small = _page_queries(client, rep)
    for i in range(12):
        customer(rep, f"Café {i}", 51.0 + i / 50, 4.3 + i / 50)
    plan(rep)
    assert _page_queries(client, rep) == small
