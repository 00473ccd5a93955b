"""Property: SSE and NDJSON bodies cut at arbitrary byte boundaries by the upstream, relayed
through the gateway, give the same events as the same body sent in one piece."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unitysvc import Client

_REPLAY = "p/" + str(uuid.uuid5(uuid.NAMESPACE_URL, "unitysvc-catalogue:replay-svc"))
_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_values = st.dictionaries(
    st.text(min_size=1, max_size=5),
    st.one_of(st.integers(), st.text(max_size=12), st.booleans(), st.none()),
    max_size=3,
)


@st.composite
def _sse_body(draw: st.DrawFn) -> bytes:
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    frames = []
    for value in draw(st.lists(_values, min_size=1, max_size=6)):
        if draw(st.booleans()):
            frames.append(f": comment{eol}")
        frames.append(f"data: {json.dumps(value, ensure_ascii=False)}{eol}{eol}")
    frames.append(f"data: [DONE]{eol}{eol}")
    return "".join(frames).encode()


@st.composite
def _ndjson_body(draw: st.DrawFn) -> bytes:
    values = draw(st.lists(_values, min_size=1, max_size=6))
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values).encode()


@st.composite
def _split(draw: st.DrawFn, body: bytes) -> list[bytes]:
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(body) - 1)), max_size=12)))
    bounds = [0, *cuts, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def _events(client: Client, content_type: str, chunks: list[bytes]) -> list[tuple[str, Any]]:
    body = {"content_type": content_type, "chunks": [c.hex() for c in chunks]}
    with client.stream(_REPLAY, json=body) as r:
        return [(e.kind, e.parsed) for e in r.iter_events()]


@_SETTINGS
@given(data=st.data(), body=_sse_body())
def test_sse_split_anywhere(client: Client, data: st.DataObject, body: bytes) -> None:
    chunks = data.draw(_split(body))
    whole = _events(client, "text/event-stream", [body])
    assert _events(client, "text/event-stream", chunks) == whole
    assert whole[-1] == ("done", None)
    assert len(whole) == body.count(b"data: ")


@_SETTINGS
@given(data=st.data(), body=_ndjson_body())
def test_ndjson_split_anywhere(client: Client, data: st.DataObject, body: bytes) -> None:
    chunks = data.draw(_split(body))
    whole = _events(client, "application/x-ndjson", [body])
    assert _events(client, "application/x-ndjson", chunks) == whole
    assert [parsed for _, parsed in whole] == [json.loads(line) for line in body.splitlines()]
