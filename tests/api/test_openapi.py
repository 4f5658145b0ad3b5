"""The OpenAPI document describes every endpoint: its operation, its parameters and bodies, its errors."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

OWN_PAGES = {"openapi-json", "openapi-view", "api-root"}  # the document, its docs page, a redirect to them


def _api_routes() -> set[str]:
    """The API's URL patterns, as OpenAPI paths ("/api/v1/relations/{relation_id}")."""
    resolver = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/v1/"
    )
    routes = set()
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if pattern.name not in OWN_PAGES:
            routes.add("/api/v1/" + route.replace("<", "{").replace(">", "}"))
    return routes


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def test_every_route_of_the_api_is_in_the_document(document):
    paths = {path.rstrip("/") for path in document["paths"]}
    routes = {route.rstrip("/").replace("{int:", "{").replace("{str:", "{") for route in _api_routes()}
    assert routes == paths


def test_every_operation_is_named_described_secured_and_lists_its_errors(document):
    seen_ids = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            assert operation.get("summary"), label
            assert operation["operationId"] not in seen_ids, label
            seen_ids.add(operation["operationId"])
            assert {"TokenAuth": []} in operation["security"], label
            assert {"400", "401", "403", "422"} <= set(operation["responses"]), label
            if "{" in path:
                assert "404" in operation["responses"], label


def test_every_request_body_refuses_unknown_fields(document):
    schemas = document["components"]["schemas"]
    bodies = [
        op["requestBody"]["content"]["application/json"]["schema"]
        for ops in document["paths"].values() for op in ops.values() if "requestBody" in op
    ]
    assert bodies
    for body in bodies:
        ref = body.get("$ref") or body["allOf"][0]["$ref"]
        assert schemas[ref.rsplit("/", 1)[-1]]["additionalProperties"] is False, ref
