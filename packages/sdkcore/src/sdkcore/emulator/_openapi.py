"""Make an emulator's OpenAPI document name every error status its operations can answer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from ._errors import status_phrase

__all__ = [
    "STANDARD_ERROR_STATUSES",
    "document_bearer_auth",
    "document_error_responses",
    "document_response",
    "inline_definitions",
    "json_request_body",
]

STANDARD_ERROR_STATUSES: tuple[int, ...] = (400, 401, 403, 404, 422, 429, 500, 502, 503, 504)
"""What any authenticated emulator operation can answer: bad input (400, and 422 from request
validation), authentication (401) and authorisation (403), an unknown resource (404), and the
statuses fault injection produces on every route (429 and 5xx)."""

_RETRY_AFTER_STATUSES = frozenset({429, 503})
_RETRY_AFTER_HEADERS: dict[str, Any] = {
    "Retry-After": {
        "description": "Seconds, or an HTTP-date, to wait before trying again.",
        "schema": {"type": "string"},
    },
    "retry-after-ms": {
        "description": "Milliseconds to wait before trying again.",
        "schema": {"type": "string"},
    },
}
_OPERATION_KEYS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def document_error_responses(
    app: FastAPI,
    error_model: type[BaseModel],
    *,
    statuses: Iterable[int] = STANDARD_ERROR_STATUSES,
) -> None:
    """Document ``statuses`` on every operation of ``app``, each with the body ``error_model``.

    A status an operation documents itself (``responses=`` on its route) is kept, except 422:
    FastAPI documents it with its own validation shape, while `install_error_handlers`
    answers request validation in the API's error shape. 429 and 503 also document
    ``Retry-After`` and ``retry-after-ms``. Works on the generated document, so it may be
    called before or after the routers are included.
    """
    wanted = tuple(statuses)
    name = error_model.__name__
    reference = {"$ref": f"#/components/schemas/{name}"}

    def add_errors(document: dict[str, Any]) -> None:
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas[name] = error_model.model_json_schema(ref_template="#/components/schemas/{model}")
        if 422 in wanted:
            # Only FastAPI's own 422 responses referred to these, and they were replaced.
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
        for operation in _operations(document):
            _add_errors(operation.setdefault("responses", {}), wanted, reference)

    _extend_openapi(app, add_errors)


def document_bearer_auth(app: FastAPI, *, scheme_name: str = "bearerAuth") -> None:
    """Declare that every operation of ``app`` needs ``Authorization: Bearer <key>``.

    For emulators that authenticate in a dependency of their own (`bearer_token`) rather than
    through FastAPI's security classes, which would otherwise leave the document silent on it.
    Schema-based testers then also check that a request without valid credentials is refused.
    """

    def add_security(document: dict[str, Any]) -> None:
        components = document.setdefault("components", {})
        components.setdefault("securitySchemes", {})[scheme_name] = {
            "type": "http",
            "scheme": "bearer",
        }
        for operation in _operations(document):
            operation.setdefault("security", [{scheme_name: []}])

    _extend_openapi(app, add_security)


def _extend_openapi(app: FastAPI, transform: Callable[[dict[str, Any]], None]) -> None:
    """Make ``app.openapi()`` apply ``transform`` to the document it generates (once, cached)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        transform(document)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
    app.openapi_schema = None


def _operations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in _OPERATION_KEYS:
                yield operation


def _add_errors(responses: dict[str, Any], statuses: tuple[int, ...], body: Any) -> None:
    for status in statuses:
        key = str(status)
        if key in responses and status != 422:
            continue
        response: dict[str, Any] = {
            "description": status_phrase(status),
            "content": {"application/json": {"schema": body}},
        }
        if status in _RETRY_AFTER_STATUSES:
            response["headers"] = _RETRY_AFTER_HEADERS
        responses[key] = response


def json_request_body(
    model: type[BaseModel],
    *,
    required: Iterable[str] = (),
    at_least_one_of: Iterable[str] = (),
    body_required: bool = True,
) -> dict[str, Any]:
    """``openapi_extra`` for a route that reads its JSON body itself (to authenticate first).

    ``model`` is the lenient parsing model (optional fields, so a missing one can answer the
    API's own 400); the fields named in ``required`` (wire names) are documented as required
    and non-null; of the fields in ``at_least_one_of``, one or more must be given (non-null).
    Constraints the endpoint enforces belong on the model's fields
    (``json_schema_extra={"pattern": ...}`` or ``{"enum": [...]}``) so the document states them.
    """
    schema = model.model_json_schema(by_alias=True)
    if "$defs" in schema:
        raise ValueError(f"{model.__name__}: nested models are not supported in a request body")
    properties: dict[str, Any] = schema.get("properties", {})
    names = list(required)
    for name in names:
        properties[name] = _without_null(properties[name])
    schema["required"] = names
    alternatives = [
        {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
        for name in at_least_one_of
    ]
    if alternatives:
        schema["anyOf"] = alternatives
    return {
        "requestBody": {
            "required": body_required,
            "content": {"application/json": {"schema": schema}},
        }
    }


def inline_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with every ``$ref`` into its ``$defs`` replaced by the
    definition itself (and no ``$defs`` left), so an operation's body reads on its own in the
    document instead of pointing into definitions FastAPI does not publish."""
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str):
                return resolve(definitions[reference.rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    branches = [b for b in schema.get("anyOf", ()) if b.get("type") != "null"]
    if len(branches) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**branches[0], **rest}


def document_response(
    model: type[BaseModel],
    *,
    status_code: int = 200,
    other_responses: Mapping[int, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Route keyword arguments documenting the success body as ``model`` (its docstring is the
    description) while the endpoint keeps returning plain dicts: nothing is re-serialised, so
    a schema-based tester compares what the emulator really sends with the document.
    ``other_responses`` adds route-specific ones (a 409, say) in FastAPI's ``responses`` form.
    """
    description = (model.__doc__ or model.__name__).strip().splitlines()[0]
    return {
        "status_code": status_code,
        "response_model": None,
        "responses": {
            **(other_responses or {}),
            status_code: {"model": model, "description": description},
        },
    }
