"""Requests on the wire, responses decoded, errors mapped, raw access: sync and async."""

from __future__ import annotations

import json
import pickle
from typing import Any

import httpx
import pydantic
import pytest
from sdkcore_demo import (
    API_KEY,
    AsyncDemo,
    Demo,
    DemoNotFound,
    DemoServerError,
    DemoStatusError,
    DemoValidation,
    Item,
)

import sdkcore
from sdkcore._casts import adapter_at


def test_get_decodes_model_and_sends_headers(client: Demo, journal: Any) -> None:
    item = client.items.get("it_001")
    assert item == Item(item_id="it_001", display_name="Item 1", extraField=1)
    sent = journal.last()
    headers = dict(sent.headers)
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["user-agent"] == "demo-python/9.9.9"
    assert headers["accept"] == "application/json"
    assert sent.path == "/items/it_001"
    assert sent.body == b""


def test_an_op_without_a_body_still_sends_none_after_pickling(client: Demo, journal: Any) -> None:
    # MISSING must come back as itself: a copy would fail `is MISSING` and be sent as a body.
    op = pickle.loads(pickle.dumps(sdkcore.Op("POST", "/echo", dict)))
    assert op.body is sdkcore.MISSING
    client._execute(op)
    sent = journal.last()
    assert sent.body == b""
    assert "content-type" not in dict(sent.headers)


def test_body_query_and_extras_are_exact_on_the_wire(client: Demo, journal: Any) -> None:
    client.items.echo(
        method="POST",
        query={"b": 2, "a": "x y", "skip": None, "flag": True},
        body={"Name": "é", "Nested": {"k": [1, 2]}},
        extra_query={"z": "1"},
        extra_body={"Extra": 1},
        extra_headers={"X-Custom": "v"},
        idempotency_key="key-12345678",
    )
    sent = journal.last()
    assert sent.query == "b=2&a=x+y&flag=true&z=1"
    assert sent.body == '{"Name":"é","Nested":{"k":[1,2]},"Extra":1}'.encode()
    headers = dict(sent.headers)
    assert headers["content-type"] == "application/json"
    assert headers["x-custom"] == "v"
    assert headers["idempotency-key"] == "key-12345678"


def test_headers_of_a_supplied_pool_are_read_at_each_request(
    demo_server: Any, journal: Any
) -> None:
    with httpx.Client(headers={"X-Pool": "one", "User-Agent": "pool"}) as pool:
        client = Demo(base_url=demo_server.url, http_client=pool)
        client.items.get("it_001")
        first = dict(journal.last().headers)
        pool.headers["X-Pool"] = "two"
        pool.cookies.set("session", "s1")
        client.items.get("it_001", extra_headers={"X-Call": "c"})
        second = dict(journal.last().headers)
        client.items.get("it_001")
        third = dict(journal.last().headers)
    assert first["x-pool"] == "one"
    # The SDK's own headers win over the pool's, as with httpx's own merge.
    assert first["user-agent"] == "demo-python/9.9.9"
    assert second["x-pool"] == "two"
    assert second["cookie"] == "session=s1"
    assert second["x-call"] == "c"
    assert third["x-pool"] == "two"
    assert "x-call" not in third
    assert third["authorization"] == f"Bearer {API_KEY}"


def test_with_options_headers_apply_to_the_copy_only(client: Demo, journal: Any) -> None:
    client.items.get("it_001")
    client.with_options(default_headers={"X-Copy": "1"}).items.get("it_001")
    assert dict(journal.last().headers)["x-copy"] == "1"
    client.items.get("it_001")
    assert "x-copy" not in dict(journal.last().headers)


def test_path_parameters_are_percent_encoded(client: Demo, journal: Any) -> None:
    with pytest.raises(DemoNotFound):
        client.items.get("a/b?c")
    assert journal.last().path == "/items/a/b?c" or journal.last().path == "/items/a%2Fb%3Fc"


async def test_async_get_and_raw_response(aclient: AsyncDemo) -> None:
    item = await aclient.items.get("it_002")
    assert item.display_name == "Item 2"
    raw = await aclient.items.with_raw_response.get("it_003")
    assert raw.status_code == 200
    assert raw.request_id == "req_123"
    assert raw.retries_taken == 0
    assert raw.parse() is raw.parse()
    assert raw.parse().item_id == "it_003"
    assert raw.json()["itemId"] == "it_003"
    assert raw.headers["content-type"] == "application/json"
    assert b"it_003" in raw.content
    assert raw.url.path == "/items/it_003"
    assert "APIResponse [200] GET /items/it_003" in repr(raw)


def test_empty_response_casts_to_none(client: Demo) -> None:
    assert client.items.empty() is None


@pytest.mark.parametrize(("code", "cls"), [(404, DemoNotFound), (418, DemoStatusError)])
def test_status_errors_carry_everything(client: Demo, code: int, cls: type[Exception]) -> None:
    with pytest.raises(cls) as info:
        client.items.path(f"/status/{code}")
    error: Any = info.value
    assert error.status_code == code
    assert error.body == {"error": f"status {code}"}
    assert error.message == f"status {code}"
    assert error.response.status_code == code
    assert error.request.url.path == f"/status/{code}"
    assert isinstance(error, sdkcore.APIStatusError)


def test_request_id_and_server_error_class(client: Demo) -> None:
    with pytest.raises(DemoNotFound) as info:
        client.items.get("missing")
    assert info.value.request_id == "req_404"
    with pytest.raises(DemoServerError):
        client.items.path("/status/599", max_retries=0)


def test_secret_in_error_message_is_redacted(demo_server: Any) -> None:
    with (
        Demo(base_url=demo_server.url, api_key=API_KEY + "x") as wrong,
        pytest.raises(DemoStatusError) as info,
    ):
        wrong.items.get("it_001")
    assert info.value.status_code == 401
    assert API_KEY not in str(info.value)
    assert "<redacted>" in str(info.value)


@pytest.mark.parametrize(
    ("path", "match"), [("/not-json", "not valid JSON"), ("/wrong-shape", "expected schema")]
)
def test_bad_success_bodies_raise_validation_error(client: Demo, path: str, match: str) -> None:
    with pytest.raises(DemoValidation, match=match) as info:
        client.items.shaped(path)
    assert info.value.status_code == 200
    assert info.value.response.request.url.path == path
    # Validated straight from the bytes, the error still carries the body as decoded JSON.
    expected = "<html>hello</html>" if path == "/not-json" else {"unexpected": True}
    assert info.value.body == expected


def test_json_casts_validate_decoded_bodies_and_raw_bytes_alike() -> None:
    body = {"itemId": "i1", "displayName": "One", "extra": [1]}
    one = sdkcore.as_model(Item)
    keyed = sdkcore.as_model(Item, key="item")
    many = sdkcore.as_list(Item, key="items")
    assert one(body) == one.validate_json(json.dumps(body).encode()) == Item.model_validate(body)
    assert keyed.validate_json(json.dumps({"item": body, "other": 1}).encode()) == one(body)
    assert many({"items": [body, body]}) == [one(body), one(body)]
    assert sdkcore.as_list(Item).validate_json(b"[]") == []
    with pytest.raises(pydantic.ValidationError):
        many({"items": {"itemId": "not a list"}})
    with pytest.raises(pydantic.ValidationError):
        keyed.validate_json(b'{"other": 1}')


def test_json_casts_build_their_validator_on_first_use_not_at_creation() -> None:
    # Resource modules make their casts at import; building schemas there slowed `import`.
    class Fresh(pydantic.BaseModel):
        n: int

    built = adapter_at.cache_info().currsize
    keyed, many = sdkcore.as_model(Fresh, key="x"), sdkcore.as_list(Fresh)
    assert adapter_at.cache_info().currsize == built
    assert keyed({"x": {"n": 1}}) == Fresh(n=1)
    assert many.validate_json(b'[{"n": 2}]') == [Fresh(n=2)]
    assert adapter_at.cache_info().currsize == built + 2


async def test_malformed_json_fault_is_a_validation_error(aclient: AsyncDemo) -> None:
    with pytest.raises(DemoValidation):
        await aclient.items.get("it_001", extra_headers={"X-Emulator-Fault": "malformed_json"})


def test_html_error_page_keeps_text_body(client: Demo) -> None:
    with pytest.raises(DemoServerError) as info:
        client.items.get("it_001", max_retries=0, extra_headers={"X-Emulator-Fault": "html"})
    assert info.value.status_code == 502
    assert isinstance(info.value.body, str)
    assert "<html" in info.value.body.lower()
    assert info.value.message == "HTTP 502"


def test_error_body_helpers() -> None:
    assert sdkcore.default_error_message(400, {"message": "m"}) == "m"
    assert sdkcore.default_error_message(400, {"detail": "d"}) == "d"
    assert sdkcore.default_error_message(400, {"error": {"message": "nested"}}) == "nested"
    assert sdkcore.default_error_message(400, ["x"]) == "HTTP 400"
    assert sdkcore.default_error_message(500, None) == "HTTP 500"


def test_client_repr_hides_the_key(client: Demo) -> None:
    assert API_KEY not in repr(client)
    assert "<redacted>" in repr(client)


def test_endpoint_descriptor_on_class_and_docs() -> None:
    from sdkcore_demo import Items

    assert isinstance(Items.get, sdkcore.Endpoint)
    assert isinstance(Items.numbered, sdkcore.Dual)
    assert Items.get.__doc__ == "Fetch an item."


def test_json_body_rejects_nan_before_sending(client: Demo) -> None:
    with pytest.raises(ValueError, match="JSON"):
        client.items.echo(method="POST", body={"x": float("nan")})
    assert json.dumps({"ok": 1})


def test_redirects_are_not_followed(client: Demo, journal: Any) -> None:
    with pytest.raises(DemoStatusError) as info:
        client.items.echo(method="POST", query={"go": "redirect"}, body={}, safe=False)
    assert info.value.status_code == 307
    assert [e.method for e in journal.entries] == ["POST"]


def test_errors_survive_pickling(client: Demo) -> None:
    import pickle

    with pytest.raises(DemoNotFound) as info:
        client.items.get("missing")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is DemoNotFound
    assert (copy.status_code, copy.body, copy.request_id) == (404, info.value.body, "req_404")
    assert str(copy) == str(info.value)
    assert copy.request.url == info.value.request.url


def test_validation_error_carries_the_request_id(client: Demo) -> None:
    with pytest.raises(DemoValidation) as info:
        client.items.shaped("/not-json")
    assert info.value.request_id == "req_bad"
