"""The seed's public names, signatures and defaults, and client configuration."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

import unitysvc
from unitysvc import (
    APIError,
    AsyncClient,
    AuthenticationError,
    Client,
    ConflictError,
    NotFoundError,
    PermissionError,
    RateLimitError,
    ServerError,
    StreamEvent,
    UnitysvcSDKError,
    ValidationError,
)
from unitysvc.aliases import Aliases
from unitysvc.enrollments import Enrollments
from unitysvc.groups import Groups
from unitysvc.recurrent_requests import RecurrentRequests
from unitysvc.request_logs import RequestLogs
from unitysvc.secrets import Secrets
from unitysvc.services import Services

_UNSET = object()

# (callable, {parameter: default}) exactly as the seed reference lists them.
SEED_SIGNATURES: list[tuple[Any, dict[str, Any]]] = [
    (
        Client.__init__,
        {
            "api_key": _UNSET,
            "base_url": None,
            "api_base_url": None,
            "s3_base_url": None,
            "smtp_base_url": None,
            "timeout": 30.0,
            "verify_ssl": True,
        },
    ),
    (
        AsyncClient.__init__,
        {
            "api_key": _UNSET,
            "base_url": None,
            "api_base_url": None,
            "s3_base_url": None,
            "smtp_base_url": None,
            "timeout": 30.0,
            "verify_ssl": True,
        },
    ),
    (Groups.list, {"owner": "all", "name": None}),
    (Groups.get, {"name": _UNSET}),
    (Groups.create, {"name": _UNSET, "display_name": None, "description": None}),
    (
        Groups.add_member,
        {"group_id": _UNSET, "service_id": _UNSET, "routing_key": None, "sort_order": 0},
    ),
    (Groups.members, {"group_id": _UNSET}),
    (Groups.remove_member, {"group_id": _UNSET, "service_id": _UNSET}),
    (Groups.services, {"name": _UNSET, "cursor": None, "limit": 50, "search": None}),
    (
        Groups.dispatch,
        {
            "name": _UNSET,
            "path": "",
            "method": "POST",
            "json": None,
            "data": None,
            "headers": None,
            "timeout": None,
        },
    ),
    (
        Groups.stream,
        {
            "name": _UNSET,
            "path": "",
            "method": "POST",
            "json": None,
            "data": None,
            "headers": None,
            "timeout": None,
        },
    ),
    (Services.get, {"service_id": _UNSET}),
    (Services.interfaces, {"service_id": _UNSET}),
    (
        Services.dispatch,
        {
            "service_id": _UNSET,
            "interface": None,
            "enrollment": None,
            "path": "",
            "method": "POST",
            "json": None,
            "data": None,
            "headers": None,
            "timeout": None,
        },
    ),
    (
        Services.stream,
        {
            "service_id": _UNSET,
            "interface": None,
            "enrollment": None,
            "path": "",
            "method": "POST",
            "json": None,
            "data": None,
            "headers": None,
            "timeout": None,
        },
    ),
    (
        Services.schedule,
        {
            "service_id": _UNSET,
            "recurrence": _UNSET,
            "interface": None,
            "enrollment": None,
            "path": "",
            "method": "POST",
            "json": None,
            "headers": None,
            "name": None,
        },
    ),
    (Enrollments.list, {"skip": 0, "limit": 100, "include_service_details": True}),
    (Enrollments.get, {"enrollment_id": _UNSET, "include_service_details": True}),
    (Enrollments.create, {"service_id": _UNSET, "parameters": None}),
    (Enrollments.cancel, {"enrollment_id": _UNSET}),
    (Secrets.list, {"skip": 0, "limit": 100}),
    (Secrets.get, {"name": _UNSET}),
    (Secrets.set, {"name": _UNSET, "value": _UNSET}),
    (Secrets.delete, {"name": _UNSET}),
    (Aliases.list, {"skip": 0, "limit": 100, "name": None, "include_deactivated": False}),
    (Aliases.get, {"alias_id": _UNSET}),
    (Aliases.create, {"body": _UNSET}),
    (Aliases.update, {"alias_id": _UNSET, "body": _UNSET}),
    (Aliases.switch_routing, {"alias_id": _UNSET, "on": True}),
    (Aliases.delete, {"alias_id": _UNSET}),
    (
        RecurrentRequests.list,
        {"service_id": None, "enrollment_id": None, "status": None, "skip": 0, "limit": 100},
    ),
    (RecurrentRequests.get, {"request_id": _UNSET}),
    (RecurrentRequests.create, {"body": _UNSET}),
    (RecurrentRequests.update, {"request_id": _UNSET, "body": _UNSET}),
    (RecurrentRequests.trigger, {"request_id": _UNSET}),
    (RecurrentRequests.delete, {"request_id": _UNSET}),
    (RequestLogs.start, {"truncate_long_message": None}),
    (RequestLogs.stop, {}),
    (
        RequestLogs.list,
        {
            "skip": 0,
            "limit": 50,
            "service_id": None,
            "service_enrollment_id": None,
            "status_min": None,
            "status_max": None,
            "start_time": None,
            "end_time": None,
            "user_request_path": None,
            "error_source": None,
            "error_type": None,
            "gateway_source": None,
        },
    ),
    (RequestLogs.get, {"log_id": _UNSET}),
    (Client.resolve, {"path": _UNSET, "routing_key": None, "gateway": "api", "strategy": None}),
]


def _build(member: Any) -> Any:
    return getattr(member, "_build", member)


@pytest.mark.parametrize(
    ("member", "expected"), SEED_SIGNATURES, ids=lambda v: getattr(v, "__name__", "")
)
def test_seed_signature(member: Any, expected: dict[str, Any]) -> None:
    params = [p for p in inspect.signature(_build(member)).parameters.values() if p.name != "self"]
    assert [p.name for p in params] == list(expected)
    for param in params:
        want = expected[param.name]
        assert param.default is (inspect.Parameter.empty if want is _UNSET else param.default)
        if want is not _UNSET:
            assert param.default == want, param.name


def test_update_defaults_are_unset_not_none() -> None:
    params = inspect.signature(_build(Groups.update)).parameters
    assert [n for n in params if n != "self"] == [
        "group_id",
        "display_name",
        "description",
        "enabled",
    ]
    assert all(params[n].default is not None for n in ("display_name", "description", "enabled"))


def test_exception_hierarchy() -> None:
    for cls in (
        AuthenticationError,
        PermissionError,
        NotFoundError,
        ValidationError,
        ConflictError,
        RateLimitError,
        ServerError,
    ):
        assert issubclass(cls, APIError)
    assert issubclass(APIError, UnitysvcSDKError)
    assert issubclass(UnitysvcSDKError, Exception)
    error = NotFoundError("gone", status_code=404, detail={"detail": "x"}, response_body=b"{}")
    assert (error.status_code, error.detail, error.response_body) == (404, {"detail": "x"}, b"{}")
    assert str(error) == "gone"
    assert unitysvc.APIConnectionError().status_code == 0


def test_stream_event_fields() -> None:
    event = StreamEvent("line", text="x")
    assert (event.kind, event.parsed, event.raw, event.text) == ("line", None, b"", "x")


def test_client_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "UNITYSVC_API_URL",
        "UNITYSVC_API_BASE_URL",
        "UNITYSVC_S3_BASE_URL",
        "UNITYSVC_SMTP_BASE_URL",
        "UNITYSVC_API_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
    with Client("svcpass_abc") as client:
        assert client._base == "https://api.unitysvc.com/v1"
        assert client.api_base_url is None
        assert client.timeout == httpx.Timeout(30.0)
        assert "svcpass_abc" not in repr(client)
    with pytest.raises(ValueError, match="UNITYSVC_API_KEY"):
        Client.from_env()
    with pytest.raises(ValueError, match="api_key"):
        Client("")
    monkeypatch.setenv("UNITYSVC_API_KEY", "svcpass_env")
    monkeypatch.setenv("UNITYSVC_API_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("UNITYSVC_API_BASE_URL", "http://127.0.0.1:9/gateway/api")
    with Client.from_env(timeout=5.0) as client:
        assert client.api_key == "svcpass_env"
        assert client._base == "http://127.0.0.1:9/v1"
        assert client.api_base_url == "http://127.0.0.1:9/gateway/api"
        assert client.timeout == httpx.Timeout(5.0)
    with pytest.raises(ValueError, match="s3_base_url"):
        Client("svcpass_abc", s3_base_url="ftp://nowhere")


async def test_async_client_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNITYSVC_API_KEY", "svcpass_env")
    async with AsyncClient.from_env(verify_ssl=False) as client:
        assert isinstance(client, AsyncClient)
        assert client.api_key == "svcpass_env"


def test_dispatch_needs_api_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNITYSVC_API_BASE_URL", raising=False)
    with Client("svcpass_abc") as client, pytest.raises(ValueError, match="UNITYSVC_API_BASE_URL"):
        client.dispatch("g/llm")
