"""The kit's OpenAPI truthfulness: error statuses documented, request bodies documented, and
405 answers that list every method of the path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sdkcore.emulator import (
    STANDARD_ERROR_STATUSES,
    EmulatorError,
    bearer_token,
    document_bearer_auth,
    document_error_responses,
    document_response,
    inline_definitions,
    install_error_handlers,
    json_request_body,
    serve,
)
from sdkcore.emulator.testing import openapi_conformance

KEY = "sk_test_kit"


class Problem(BaseModel):
    """The test API's error body."""

    error: str


class ThingOut(BaseModel):
    """A thing."""

    model_config = ConfigDict(extra="forbid")
    id: int


class _NewThing(BaseModel):
    name: str | None = Field(default=None, pattern="^[a-z]+$")
    colour: Literal["red", "blue"] | None = None


async def _read_thing(request: Request, *, required: str | None = None) -> _NewThing:
    """Parse the body the way emulators do (after auth), answering 400 to anything the
    document does not allow."""
    try:
        thing = _NewThing.model_validate_json(await request.body())
    except ValidationError:
        raise EmulatorError(400, "Invalid body") from None
    given = thing.model_dump(exclude_none=True)
    if (required is not None and required not in given) or not given:
        raise EmulatorError(400, "Missing field")
    return thing


def _require_key(request: Request) -> None:
    if bearer_token(request) != KEY:
        raise EmulatorError(401, "Invalid API key")


def create_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app, lambda status, message, details: {"error": message})
    router = APIRouter(prefix="/things", dependencies=[Depends(_require_key)])

    @router.get("/{thing_id}", **document_response(ThingOut))
    def get_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @router.put(
        "/{thing_id}",
        responses={
            409: {"model": Problem, "description": "Taken"},
            404: {"model": Problem, "description": "No such thing"},
        },
    )
    def put_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @router.post("", openapi_extra=json_request_body(_NewThing, required=("name",)))
    async def create_thing(request: Request) -> dict[str, Any]:
        return (await _read_thing(request, required="name")).model_dump()

    @router.patch(
        "/{thing_id}",
        openapi_extra=json_request_body(_NewThing, at_least_one_of=("name", "colour")),
    )
    async def patch_thing(thing_id: int, request: Request) -> dict[str, int]:
        await _read_thing(request)
        return {"id": thing_id}

    document_error_responses(app, Problem)  # before the routes: it acts on the document
    app.include_router(router)
    document_bearer_auth(app)
    return app


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    auth = {"Authorization": f"Bearer {KEY}"}
    with serve(create_app()) as server, httpx.Client(base_url=server.url, headers=auth) as http:
        yield http


def test_405_allow_lists_every_method_of_the_path(client: httpx.Client) -> None:
    response = client.delete("/things/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PUT, PATCH"
    assert response.json() == {"error": "Method Not Allowed"}
    assert client.request("OPTIONS", "/things").headers["allow"] == "POST"


def test_every_operation_documents_the_standard_errors_with_the_error_body() -> None:
    document = create_app().openapi()
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert len(operations) == 4
    problem = {"$ref": "#/components/schemas/Problem"}
    for operation in operations:
        responses = operation["responses"]
        for status in STANDARD_ERROR_STATUSES:
            assert responses[str(status)]["content"]["application/json"]["schema"] == problem
        assert set(responses["429"]["headers"]) == {"Retry-After", "retry-after-ms"}
    get = document["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]
    assert get["description"] == "A thing."
    assert get["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ThingOut"}
    put = document["paths"]["/things/{thing_id}"]["put"]["responses"]
    assert put["409"]["description"] == "Taken"
    assert put["404"]["description"] == "No such thing"  # the route's own words are kept
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert document["components"]["schemas"]["Problem"]["required"] == ["error"]


def test_json_request_body_documents_required_fields_and_constraints() -> None:
    body = create_app().openapi()["paths"]["/things"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert body["required"] is True
    assert schema["required"] == ["name"]
    assert schema["properties"]["name"]["type"] == "string"
    assert schema["properties"]["name"]["pattern"] == "^[a-z]+$"
    assert {"type": "null"} in schema["properties"]["colour"]["anyOf"]
    assert {"enum": ["red", "blue"], "type": "string"} in schema["properties"]["colour"]["anyOf"]
    assert "anyOf" not in schema


def test_json_request_body_at_least_one_of() -> None:
    body = create_app().openapi()["paths"]["/things/{thing_id}"]["patch"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == []
    assert schema["anyOf"] == [
        {"required": ["name"], "properties": {"name": {"not": {"type": "null"}}}},
        {"required": ["colour"], "properties": {"colour": {"not": {"type": "null"}}}},
    ]


def test_bearer_auth_is_declared_on_every_operation() -> None:
    document = create_app().openapi()
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["security"] == [{"bearerAuth": []}]


def test_the_document_is_built_once() -> None:
    app = create_app()
    assert app.openapi() is app.openapi()


def test_json_request_body_keeps_a_field_that_is_never_null() -> None:
    class Strict(BaseModel):
        code: str

    schema = json_request_body(Strict, required=("code",))["requestBody"]["content"]
    assert schema["application/json"]["schema"]["properties"]["code"]["type"] == "string"


def test_json_request_body_refuses_nested_models() -> None:
    class Outer(BaseModel):
        inner: Problem

    with pytest.raises(ValueError, match="nested"):
        json_request_body(Outer)


def test_inline_definitions_replaces_every_reference() -> None:
    class Leaf(BaseModel):
        code: str

    class Outer(BaseModel):
        first: Leaf
        rest: list[Leaf]

    schema = inline_definitions(Outer.model_json_schema())
    assert "$defs" not in schema
    assert schema["properties"]["first"] == Leaf.model_json_schema()
    assert schema["properties"]["rest"]["items"] == Leaf.model_json_schema()


conformance = openapi_conformance(
    create_app(), headers={"Authorization": f"Bearer {KEY}"}, max_examples=5
)


@conformance.parametrize()
def test_a_kit_app_passes_every_schemathesis_check(case: Any) -> None:
    case.call_and_validate()


def test_conformance_refuses_an_unknown_operation_name() -> None:
    with pytest.raises(ValueError, match="GET /nowhere"):
        openapi_conformance(create_app(), state_dependent_statuses={"GET /nowhere": (400,)})
