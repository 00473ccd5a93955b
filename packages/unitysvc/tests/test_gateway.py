"""The API gateway over real HTTP: streaming from each upstream kind, cuts, errors, routing,
secrets, wrappers and the request log."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from unitysvc_fixtures import CHAT, wait_for

from unitysvc import AsyncClient, Client, StreamInterruptedError
from unitysvc.emulator import UnitysvcEmulator, release_upstream


def _service(client: Client, group: str, name: str) -> str:
    return next(s.id for s in client.groups.services(group).data if s.name == name)


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [
        (
            {"format": "ndjson", "count": 4},
            "ndjson",
            [{"seq": i, "value": f"item-{i}"} for i in range(4)],
        ),
        ({"format": "lines", "count": 3}, "line", ["line 0", "line 1", "line 2"]),
    ],
)
def test_stream_each_upstream_kind(
    client: Client, body: dict[str, Any], kind: str, expected: list[Any]
) -> None:
    with client.groups.stream("streams", json=body) as r:
        events = list(r.iter_events())
    assert {e.kind for e in events} == {kind}
    assert [e.parsed if kind == "ndjson" else e.text for e in events] == expected


def test_sse_done_ends_iteration_and_comment_frames_are_skipped(client: Client) -> None:
    with client.groups.stream("llm", json={"messages": CHAT, "stream": True}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        events = list(r.iter_events())
    assert events[-1].kind == "done"
    assert events[-1].raw == b"[DONE]"
    assert all(e.kind == "sse" and isinstance(e.parsed, dict) for e in events[:-1])


def test_iter_bytes_and_lines_pass_the_upstream_bytes_unchanged(
    client: Client, emulator: UnitysvcEmulator
) -> None:
    import httpx

    direct = httpx.post(f"{emulator.upstream_url}/lines", json={"count": 50}).content
    with client.groups.stream("streams", json={"format": "lines", "count": 50}) as r:
        through = b"".join(r.iter_bytes())
    assert through == direct
    with client.groups.stream("streams", json={"format": "lines", "count": 2}) as r:
        assert list(r.iter_lines()) == ["line 0", "line 1"]


@pytest.mark.parametrize(
    "group_body",
    [
        ("llm", {"messages": CHAT, "stream": True}),
        ("streams", {"format": "ndjson", "count": 4}),
    ],
)
def test_stream_cut_mid_event_raises(client: Client, group_body: tuple[str, Any]) -> None:
    group, body = group_body
    seen: list[Any] = []
    with (
        client.groups.stream(group, json=body, headers={"X-Upstream-Cut": "2"}) as r,
        pytest.raises(StreamInterruptedError) as info,
    ):
        _drain(r.iter_events(), seen)
    assert len(seen) == 1
    assert info.value.status_code == 0


def _drain(events: Any, into: list[Any]) -> None:
    for event in events:
        into.append(event)


async def test_stream_cut_mid_event_raises_async(aclient: AsyncClient) -> None:
    async with await aclient.groups.stream(
        "llm", json={"messages": CHAT, "stream": True}, headers={"X-Upstream-Cut": "3"}
    ) as r:
        with pytest.raises(StreamInterruptedError):
            async for _ in r.iter_events():
                pass


async def test_async_streams_each_kind(aclient: AsyncClient) -> None:
    async with await aclient.groups.stream("streams", json={"format": "lines", "count": 2}) as r:
        assert [line async for line in r.iter_lines()] == ["line 0", "line 1"]
    async with await aclient.groups.stream("streams", json={"format": "ndjson", "count": 2}) as r:
        chunks = [c async for c in r.iter_bytes()]
    assert b"".join(chunks).count(b"\n") == 2


def test_stream_is_not_buffered_by_the_gateway(client: Client) -> None:
    # The upstream holds after its first event until released: the first event can only
    # arrive here if the gateway relays chunks as they come instead of buffering the body.
    token = uuid.uuid4().hex
    headers = {"X-Upstream-Hold": token}
    with client.groups.stream(
        "streams", json={"format": "ndjson", "count": 4}, headers=headers
    ) as r:
        events = r.iter_events()
        first = next(events)
        release_upstream(token)
        rest = list(events)
    assert first.parsed == {"seq": 0, "value": "item-0"}
    assert len(rest) == 3


def test_upstream_down_slow_and_failing(client: Client) -> None:
    offline = client.services.get(_service(client, "llm", "chat-small"))
    down = client.dispatch(f"p/{_catalogue_id(client, 'offline-svc')}")
    assert down.status_code == 502
    assert down.json() == {"detail": "Upstream service unavailable"}
    slow = client.dispatch(
        f"p/{_catalogue_id(client, 'slow-svc')}", headers={"X-Upstream-Delay": "3"}
    )
    assert slow.status_code == 504
    assert slow.json() == {"detail": "Upstream service timed out"}
    failing = client.dispatch(f"p/{_catalogue_id(client, 'unstable-svc')}")
    assert failing.status_code == 503  # upstream errors are returned, not raised
    recovered = client.dispatch(
        offline.with_failover(f"p/{_catalogue_id(client, 'chat-large')}").path.replace(
            f"p/{offline.id}", f"p/{_catalogue_id(client, 'unstable-svc')}"
        ),
        json={"messages": CHAT},
    )
    assert recovered.status_code == 200
    assert recovered.json()["served_by"] == "chat-large"


def _catalogue_id(client: Client, name: str) -> str:
    service_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "unitysvc-catalogue:" + name))
    assert client.services.get(service_id).name == name
    return service_id


def test_weighted_routing_matches_resolve(client: Client) -> None:
    served = []
    for _ in range(8):
        predicted = client.resolve(path="g/llm").selected
        response = client.groups.dispatch("llm", json={"messages": CHAT})
        assert predicted is not None
        assert response.json()["served_by"] == predicted.service_name
        served.append(predicted.service_name)
    assert served.count("chat-small") == 6
    assert served.count("chat-large") == 2


def test_routing_by_key_and_missing_member(client: Client) -> None:
    large = client.groups.dispatch("llm", json={"model": "large", "messages": CHAT})
    assert large.json()["served_by"] == "chat-large"
    none = client.groups.dispatch("llm", json={"model": "nope", "messages": CHAT})
    assert none.status_code == 404
    assert (
        client.resolve(path="g/streams", routing_key={"format": "lines"}).selected.service_name
        == "line-feed"
    )  # type: ignore[union-attr]


def test_secret_injection_for_byok_service(client: Client) -> None:
    echo_id = _catalogue_id(client, "byok-echo")
    assert client.dispatch(f"p/{echo_id}").status_code == 403  # needs an enrollment
    enr = client.enrollments.create(service_id=echo_id, parameters={"region": "eu"})
    wait_for(lambda: client.enrollments.get(enr.id).status == "active")
    missing = client.services.dispatch(echo_id, path="anything", json={"q": 1})
    assert missing.status_code == 400
    assert "UPSTREAM_API_KEY" in missing.json()["detail"]
    client.secrets.set("UPSTREAM_API_KEY", "sk-upstream-secret")
    ok = client.services.dispatch(echo_id, path="anything", json={"q": 1})
    assert ok.status_code == 200
    seen = ok.json()
    assert seen["headers"]["authorization"] == "Bearer sk-upstream-secret"
    assert seen["path"] == "/echo/anything"
    assert seen["body"] == '{"q":1}'
    assert client.secrets.get("UPSTREAM_API_KEY").last_used_at is not None
    [iface] = client.services.interfaces(echo_id)
    assert iface.enrollment_id == enr.id
    log = client.request_logs.list(service_id=echo_id, status_min=200, status_max=200).items[0]
    detail = client.request_logs.get(log.log_id)
    assert "sk-upstream-secret" not in detail.model_dump_json()
    client.enrollments.cancel(enr.id)


def test_incomplete_enrollment_when_parameter_missing(other_client: Client) -> None:
    echo_id = _catalogue_id(other_client, "byok-echo")
    enr = other_client.enrollments.create(service_id=echo_id)
    assert wait_for(lambda: other_client.enrollments.get(enr.id).status != "pending")
    assert other_client.enrollments.get(enr.id).status == "incomplete"


def test_request_log_records_every_dispatch_and_filters(client: Client) -> None:
    client.request_logs.start(truncate_long_message=True)
    small = _catalogue_id(client, "chat-small")
    client.services.dispatch(small, json={"messages": CHAT})
    client.dispatch(f"p/{_catalogue_id(client, 'offline-svc')}")
    logs = client.request_logs.list(service_id=small)  # type: ignore[arg-type]
    assert logs.total_count >= 1
    assert logs.items[0].upstream_response_status_code == 200
    assert logs.items[0].upstream_response_time_ms is not None
    errors = client.request_logs.list(error_source="upstream", error_type="connection_error")
    assert errors.items
    assert errors.items[0].upstream_response_status_code == 502
    detail = client.request_logs.get(logs.items[0].log_id)
    assert detail.user_request is not None
    assert "hello from the tests" in detail.user_request["body"]
    assert "authorization" not in detail.user_request["headers"]
    assert client.api_key not in detail.model_dump_json()
    before = client.request_logs.list(limit=200).total_count
    status = client.request_logs.stop()
    assert status.enabled is False
    client.services.dispatch(small, json={"messages": CHAT})
    assert client.request_logs.list(limit=200).total_count == before
    client.services.get(small).logged().dispatch(json={"messages": CHAT})  # /l/ forces a log
    assert client.request_logs.list(limit=200).total_count == before + 1
    assert client.request_logs.start().mode == "truncated"
    assert client.request_logs.list(user_request_path="/p/" + small).total_count >= 1


def test_tee_sends_a_copy(client: Client) -> None:
    small = _catalogue_id(client, "chat-small")
    echo = _catalogue_id(client, "chat-large")
    before = client.request_logs.list(service_id=echo, limit=200).total_count  # type: ignore[arg-type]
    resp = client.services.get(small).with_tee(f"p/{echo}").dispatch(json={"messages": CHAT})
    assert resp.json()["served_by"] == "chat-small"
    wait_for(lambda: client.request_logs.list(service_id=echo, limit=200).total_count > before)  # type: ignore[arg-type]


def test_wrapper_paths_are_canonical_and_reject_absolute_urls(client: Client) -> None:
    svc = client.services.get(_catalogue_id(client, "chat-small"))
    path = svc.logged(complete=True).cached(ttl="1h", renew=True).with_failover("p/x").path
    assert path == f"l/m/f/p/{svc.id}?_complete&_ttl=1h&_renew&_else=p%2Fx"
    with pytest.raises(ValueError, match="gateway-relative"):
        svc.with_tee("https://evil.example/x")


def test_gateway_rejects_unknown_key(emulator: UnitysvcEmulator) -> None:
    import httpx

    response = httpx.post(
        f"{emulator.url}/gateway/api/g/llm", headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or missing API key"}
