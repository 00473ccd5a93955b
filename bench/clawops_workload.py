"""The ClawOps workloads, one file for every contender: this SDK, the public `clawops` releases
(each in its own virtual environment) and raw `httpx.Client` + `response.json()`.

Run as a worker, ``python -I clawops_workload.py --contender sdk|httpx --target mock|URL``: it
answers one JSON line per command line on stdin, so the parent can interleave contenders that
live in different environments. It imports only httpx, clawops and the standard library, and
also serves the fixed wire bytes (``python -m uvicorn bench.clawops_workload:app``), so the
mock transport and the loopback server answer exactly the same bodies.

Commands (JSON objects, one per line), for the workloads ``get`` and ``list`` (calls),
``send`` and ``messages`` (`messages.create` and `messages.list`, which clawops 0.1.0 lacks):
- ``{"run": WORKLOAD, "n": N}``: N calls; answers ``{"wall": seconds, "cpu": seconds}``
  (the CPU time of this thread only, which time spent preempted by other processes on a busy
  machine does not inflate).
- ``{"sample": WORKLOAD}``: one call; answers ``{"values": [...]}``, the attributes read.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

API_KEY = "sk_test_bench0123456789"
ACCOUNT_ID = "AC0123456789abcdef0123456789abcdef"
CALL_ID = "CA" + "5" * 32
PAGE_SIZE = 20
MOCK_URL = "https://api.claw-ops.com"
CALLS_PATH = f"/v1/accounts/{ACCOUNT_ID}/calls"
MESSAGES_PATH = f"/v1/accounts/{ACCOUNT_ID}/messages"

# The wire shape of the ClawOps spec; every field set, so every attribute is parsed.
CALL = {
    "callId": CALL_ID,
    "status": "completed",
    "to": "01012345678",
    "from": "07052358010",
    "direction": "outbound",
    "duration": 42,
    "accountId": ACCOUNT_ID,
    "dateCreated": "2026-11-25T12:00:00.000Z",
    "dateUpdated": "2026-11-25T12:00:42.000Z",
}
CALL_BYTES = json.dumps(CALL).encode()
PAGE_BYTES = json.dumps(
    {"data": [CALL] * PAGE_SIZE, "meta": {"total": 1000, "page": 0, "pageSize": PAGE_SIZE}}
).encode()
_WIRE_KEYS = tuple(CALL)
_ATTRIBUTES = (
    "call_id",
    "status",
    "to",
    "from_",
    "direction",
    "duration",
    "account_id",
    "date_created",
    "date_updated",
)


# A sent SMS as the 0.70.0 wire answers it; every field set but the MMS ones.
MESSAGE = {
    "messageId": "MG" + "7" * 32,
    "status": "queued",
    "type": "sms",
    "to": "01012345678",
    "from": "07052358010",
    "subject": None,
    "body": "Your order has shipped.",
    "numMedia": 0,
    "mediaUrl": None,
    "direction": "outbound",
    "accountId": ACCOUNT_ID,
    "dateCreated": "2026-11-25T12:00:00.000Z",
    "dateUpdated": "2026-11-25T12:00:01.000Z",
}
MESSAGE_BYTES = json.dumps(MESSAGE).encode()
MESSAGE_PAGE_BYTES = json.dumps(
    {"data": [MESSAGE] * PAGE_SIZE, "meta": {"total": 1000, "page": 0, "pageSize": PAGE_SIZE}}
).encode()
SEND = {"to": "01012345678", "from_": "07052358010", "body": "Your order has shipped."}
_MESSAGE_KEYS = tuple(MESSAGE)
_MESSAGE_ATTRIBUTES = (
    "message_id",
    "status",
    "type",
    "to",
    "from_",
    "subject",
    "body",
    "num_media",
    "media_url",
    "direction",
    "account_id",
    "date_created",
    "date_updated",
)


def body_for(path: str, method: str = "GET") -> bytes | None:
    """The fixed body the bench answers for `method` `path`, or None (404)."""
    if path == MESSAGES_PATH:
        return MESSAGE_BYTES if method == "POST" else MESSAGE_PAGE_BYTES
    if path == CALLS_PATH:
        return PAGE_BYTES
    if path == f"{CALLS_PATH}/{CALL_ID}":
        return CALL_BYTES
    return None


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A plain ASGI app answering the fixed bytes: as little server work as possible."""
    body = body_for(scope["path"], scope["method"])
    status, headers = (200, [(b"content-type", b"application/json")]) if body else (404, [])
    body = body or b""
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _mock(request: httpx.Request) -> httpx.Response:
    body = body_for(request.url.path, request.method)
    if body is None:
        return httpx.Response(404)
    return httpx.Response(200, content=body, headers={"content-type": "application/json"})


def _pool(target: str, **kwargs: Any) -> httpx.Client:
    if target == "mock":
        return httpx.Client(base_url=MOCK_URL, transport=httpx.MockTransport(_mock), **kwargs)
    return httpx.Client(base_url=target, **kwargs)


Calls = Callable[[], list[Any]]


def httpx_calls(target: str) -> dict[str, Calls]:
    """What a user writing the calls by hand runs: request, status check, `response.json()`."""
    client = _pool(target, headers={"Authorization": f"Bearer {API_KEY}"})
    call_path = f"{CALLS_PATH}/{CALL_ID}"
    query = {"pageSize": PAGE_SIZE}
    send = {"To": SEND["to"], "From": SEND["from_"], "Body": SEND["body"]}

    def get() -> list[Any]:
        call = client.get(call_path).raise_for_status().json()
        return [call[key] for key in _WIRE_KEYS]

    def list_() -> list[Any]:
        page = client.get(CALLS_PATH, params=query).raise_for_status().json()
        return [call[key] for call in page["data"] for key in _WIRE_KEYS]

    def send_() -> list[Any]:
        message = client.post(MESSAGES_PATH, json=send).raise_for_status().json()
        return [message[key] for key in _MESSAGE_KEYS]

    def messages() -> list[Any]:
        page = client.get(MESSAGES_PATH, params=query).raise_for_status().json()
        return [message[key] for message in page["data"] for key in _MESSAGE_KEYS]

    return {"get": get, "list": list_, "send": send_, "messages": messages}


def sdk_calls(target: str) -> dict[str, Calls]:
    """`calls.get`, `calls.list`, `messages.create` and `messages.list` of whichever `clawops`
    this environment has (the message ones fail when run on a release without messages).

    Over the mock, every package gets the same injected `httpx.Client` (all three accept
    `http_client`); over loopback each uses the client it creates by default.
    """
    from clawops import ClawOps

    base_url = MOCK_URL if target == "mock" else target
    http_client = _pool(target) if target == "mock" else None
    client = ClawOps(
        api_key=API_KEY, account_id=ACCOUNT_ID, base_url=base_url, http_client=http_client
    )

    def get() -> list[Any]:
        call = client.calls.get(CALL_ID)
        return [getattr(call, name) for name in _ATTRIBUTES]

    def list_() -> list[Any]:
        page = client.calls.list(page_size=PAGE_SIZE)
        return [getattr(call, name) for call in page.data for name in _ATTRIBUTES]

    def send() -> list[Any]:
        message = client.messages.create(to=SEND["to"], from_=SEND["from_"], body=SEND["body"])
        return [getattr(message, name) for name in _MESSAGE_ATTRIBUTES]

    def messages() -> list[Any]:
        page = client.messages.list(page_size=PAGE_SIZE)
        return [getattr(m, name) for m in page.data for name in _MESSAGE_ATTRIBUTES]

    return {"get": get, "list": list_, "send": send, "messages": messages}


def _timed(call: Calls, n: int) -> dict[str, float]:
    # Garbage of the previous batch (or another contender) must not be collected on this clock.
    gc.collect()
    wall, cpu = time.perf_counter(), time.thread_time()
    for _ in range(n):
        call()
    return {"wall": time.perf_counter() - wall, "cpu": time.thread_time() - cpu}


def main() -> None:
    """Serve commands from stdin until it closes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contender", choices=["sdk", "httpx"], required=True)
    parser.add_argument("--target", required=True, help='"mock" or the loopback base URL')
    args = parser.parse_args()
    workloads = (sdk_calls if args.contender == "sdk" else httpx_calls)(args.target)
    version = "n/a"
    if args.contender == "sdk":
        import clawops

        version = clawops.__version__
    print(json.dumps({"ready": True, "version": version, "httpx": httpx.__version__}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if "run" in command:
            answer: dict[str, Any] = _timed(workloads[command["run"]], command["n"])
        else:
            answer = {"values": [repr(value) for value in workloads[command["sample"]]()]}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
