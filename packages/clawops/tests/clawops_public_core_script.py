"""Run by the public clawops 0.70.0, unmodified, against our emulator (test_public_compat.py):
numbers with routing, SIP credentials and endpoints, assignment links, recordings, transcripts,
summaries and webhook logs. Prints a JSON object of what each step saw; any failure exits
non-zero.

The environment gives the emulator (CLAWOPS_BASE_URL, CLAWOPS_API_KEY, CLAWOPS_ACCOUNT_ID) and
a receiver for status callbacks (COMPAT_CALLBACK_URL).
"""

from __future__ import annotations

import json
import os
from typing import Any

import httpx
from clawops_public_common import FROM, wait

import clawops
from clawops import ClawOps, ConflictError, NotFoundError


def main() -> dict[str, Any]:
    client = ClawOps()
    base = os.environ["CLAWOPS_BASE_URL"]
    account = os.environ["CLAWOPS_ACCOUNT_ID"]
    raw = httpx.Client(
        base_url=f"{base}/v1/accounts/{account}",
        headers={"Authorization": f"Bearer {os.environ['CLAWOPS_API_KEY']}"},
    )
    out: dict[str, Any] = {"version": clawops.__version__}

    # Numbers: the 0.70.0 list shape, then each routing type.
    out["numbers.list"] = [(n.number, n.routing_type) for n in client.numbers.list()]
    bought = client.numbers.create(webhook_url="https://my-app.com/in", webhook_method="GET")
    out["numbers.create"] = bought.number
    # 0.70.0 cannot create SIP credentials; the seed's route can.
    cred = raw.post("/sip/credentials", json={"displayName": "Desk"}).json()
    endpoints = client.sip_endpoints.list()
    out["sip_endpoints.list"] = len(endpoints)
    out["sip_endpoints.get"] = client.sip_endpoints.get(endpoints[0].id).id == endpoints[0].id
    creds = client.sip_credentials.list(status="active", page=0, page_size=10)
    out["sip_credentials.list"] = [(c.id == cred["id"], c.name, c.status) for c in creds]
    out["sip_credentials.get"] = client.sip_credentials.get(cred["id"]).username == cred["username"]
    routes = []
    for kwargs in (
        {"routing_type": "sip", "sip_endpoint_id": endpoints[0].id},
        {"routing_type": "softphone", "sip_credential_id": cred["id"]},
        {"routing_type": "forward", "forward_to": FROM},
        {"routing_type": "agent", "agent_id": "ag_demo", "call_context_url": "https://x.test/c"},
        {"routing_type": "webhook", "webhook_headers": {"X-Tenant": "t1"}, "dictionary_id": "d1"},
    ):
        updated = client.numbers.update(bought.number, **kwargs)
        routes.append(
            [updated.routing_type, updated.sip_endpoint_id is not None, updated.forward_to]
        )
    out["numbers.update"] = routes
    listed = {n.number: n for n in client.numbers.list()}[bought.number]
    out["numbers.listed"] = [listed.webhook_method, listed.webhook_headers, listed.agent_id]
    client.numbers.delete(bought.number)
    out["numbers.delete"] = bought.number not in {n.number for n in client.numbers.list()}

    # Assignment links.
    link = client.assignment_links.create(webhook_url="https://my-app.com/in", note="compat")
    second = client.assignment_links.create()
    out["assignment_links.retrieve"] = client.assignment_links.retrieve(link.token).status
    client.assignment_links.revoke(second.token)
    try:
        client.assignment_links.revoke(second.token)
        out["assignment_links.revoke_again"] = None
    except ConflictError as exc:
        out["assignment_links.revoke_again"] = [exc.status_code, exc.code]
    page = client.assignment_links.list(page_size=1)
    out["assignment_links.list"] = [item.status for item in page.auto_paging_iter()]
    out["assignment_links.pending"] = len(client.assignment_links.list(status="pending").data)

    # A call that ends: recording, transcript, summary; its status callbacks: webhook logs.
    callback = os.environ["COMPAT_CALLBACK_URL"]
    call = client.calls.create(
        to="01012345678", from_=FROM, url="https://my-app.com/twiml", status_callback=callback
    )
    wait(lambda: client.calls.get(call.call_id).status == "completed")
    out["calls.recording_url"] = client.calls.get(call.call_id).recording_url == (
        f"/v1/accounts/{account}/recordings/{call.call_id}"
    )
    recording = client.recordings.download(call.call_id)
    out["recordings.download"] = [
        recording.data[:4].decode(),
        recording.content_type,
        recording.filename == f"{call.call_id}.wav",
    ]
    out["calls.get_transcript"] = client.calls.get_transcript(call.call_id).status
    out["calls.request_transcript"] = client.calls.request_transcript(call.call_id).status
    transcript = wait(
        lambda: (t := client.calls.get_transcript(call.call_id)).status == "completed" and t
    )
    out["transcript.segments"] = [s.speaker for s in transcript.segments]
    summary = client.calls.get_summary(call.call_id)
    out["calls.get_summary"] = [summary.status, sorted(summary.result_json or {})]
    client.recordings.delete(call.call_id)
    try:
        client.recordings.download(call.call_id)
        out["recordings.deleted"] = None
    except NotFoundError as exc:
        out["recordings.deleted"] = exc.status_code
    hooks = wait(lambda: raw.get("/webhooks").json()["data"])
    hook = next(h["id"] for h in hooks if h["url"] == callback)
    logs = wait(lambda: (p := client.webhook_logs.list(hook, page_size=2)).meta.total >= 4 and p)
    out["webhook_logs.list"] = sorted(log.event for log in logs.auto_paging_iter())
    return out


if __name__ == "__main__":
    print(json.dumps(main()))
