"""The kit's OpenAPI truthfulness: error statuses documented, request bodies documented, and
405 answers that list every method of the path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel, Field

from sdkcore.emulator import (
    STANDARD_ERROR_STATUSES,
    document_error_responses,
    install_error_handlers,
    json_request_body,
    serve,
)


class Problem(BaseModel):
    """The test API's error body."""

    error: str


class _NewThing(BaseModel):
    name: str | None = Field(default=None, json_schema_extra={"pattern": "^[a-z]+$"})
    colour: str | None = Field(default=None, json_schema_extra={"enum": ["red", "blue"]})


def create_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app, lambda status, message, details: {"error": message})
    router = APIRouter(prefix="/things")

    @router.get("/{thing_id}")
    def get_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @router.put("/{thing_id}", responses={409: {"model": Problem, "description": "Taken"}})
    def put_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @router.post("", openapi_extra=json_request_body(_NewThing, required=("name",)))
    async def create_thing(request: Request) -> dict[str, Any]:
        return {"raw": (await request.body()).decode()}

    app.include_router(router)
    document_error_responses(app, Problem)
    return app


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with serve(create_app()) as server, httpx.Client(base_url=server.url) as http:
        yield http


def test_405_allow_lists_every_method_of_the_path(client: httpx.Client) -> None:
    response = client.delete("/things/1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PUT"
    assert response.json() == {"error": "Method Not Allowed"}
    assert client.request("OPTIONS", "/things").headers["allow"] == "POST"


def test_every_operation_documents_the_standard_errors_with_the_error_body() -> None:
    document = create_app().openapi()
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert len(operations) == 3
    problem = {"$ref": "#/components/schemas/Problem"}
    for operation in operations:
        responses = operation["responses"]
        for status in STANDARD_ERROR_STATUSES:
            assert responses[str(status)]["content"]["application/json"]["schema"] == problem
        assert set(responses["429"]["headers"]) == {"Retry-After", "retry-after-ms"}
    put = document["paths"]["/things/{thing_id}"]["put"]["responses"]
    assert put["409"]["description"] == "Taken"
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert document["components"]["schemas"]["Problem"]["required"] == ["error"]


def test_json_request_body_documents_required_fields_and_constraints() -> None:
    body = create_app().openapi()["paths"]["/things"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert body["required"] is True
    assert schema["required"] == ["name"]
    assert schema["properties"]["name"]["type"] == "string"
    assert schema["properties"]["name"]["pattern"] == "^[a-z]+$"
    assert schema["properties"]["colour"]["enum"] == ["red", "blue"]
    assert {"type": "null"} in schema["properties"]["colour"]["anyOf"]


def test_json_request_body_refuses_nested_models() -> None:
    class Outer(BaseModel):
        inner: Problem

    with pytest.raises(ValueError, match="nested"):
        json_request_body(Outer)
