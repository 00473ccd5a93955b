"""UnitySVC tour: enroll, wait for activation, set a secret, dispatch and stream a chat
completion through a group, fan a call out with a broadcast, fail over with a chain, schedule
a recurrent request and see it run, read the logs; then account files (a presigned upload and
download) and preferences."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from unitysvc import Client
from unitysvc.emulator import UnitysvcEmulator, catalogue_id

_CHAT = [{"role": "user", "content": "what is a service gateway?"}]


def run(say: Callable[[str], None]) -> None:
    """Run the tour against an emulator served for its duration."""
    with UnitysvcEmulator(activation_delay=0.2) as emu, Client(**emu.client_kwargs()) as client:
        say(f"emulator at {emu.url} (upstream services at {emu.upstream_url})")
        llm = client.groups.get("llm")
        services = llm.services()
        say(f"group {llm.name!r}: {[s.name for s in services.data]} ({llm.routing_policy})")

        large = next(s for s in services.data if s.name == "chat-large")
        enrollment = large.enroll(parameters={"model": "large", "api_key": "sk-demo"})
        while enrollment.status == "pending":
            time.sleep(0.05)
            enrollment = enrollment.refresh()
        say(f"enrolled in {large.name}: {enrollment.status}, parameters {enrollment.parameters}")

        secret = client.secrets.set("DEMO_TOKEN", "t0ps3cret")
        say(f"secret {secret.name} stored (the value is never returned)")

        reply = llm.dispatch(json={"model": "large", "messages": _CHAT})
        answer = reply.json()
        say(
            f"dispatch -> {reply.status_code} from {answer['served_by']}: "
            f"{answer['choices'][0]['message']['content']!r}"
        )

        words = []
        with client.groups.stream("llm", json={"messages": _CHAT, "stream": True}) as stream:
            for event in stream.iter_events():
                if event.kind == "done":
                    break
                words.append(event.parsed["choices"][0]["delta"]["content"])
        say(f"stream -> {len(words)} SSE chunks: {''.join(words).strip()!r}")

        small, flaky = f"p/{catalogue_id('chat-small')}", f"p/{catalogue_id('flaky-svc')}"
        fan = client.broadcasts.create(
            name="compare-models",
            targets=[
                {"name": "small", "target_path": small},
                {
                    "name": "large",
                    "target_path": "g/llm",
                    "routing_key_override": {"model": "large"},
                },
            ],
        )
        envelope = fan.dispatch(json={"messages": _CHAT}).json()
        results = ", ".join(
            f"{r['target']}={r['status_code']} ({r['body']['served_by']}, {r['elapsed_ms']:.0f} ms)"
            for r in envelope["results"]
        )
        say(f"broadcast /b/{fan.name} -> {envelope['succeeded']} of 2 targets: {results}")

        chain = client.chains.create(
            name="chat-failover",
            steps=[
                {"name": "primary", "target_path": flaky, "on_failure": "continue"},
                {"name": "backup", "target_path": small},
            ],
        )
        for fail in (None, "503"):
            headers = {"X-Upstream-Fail": fail} if fail else None
            reply = chain.dispatch(json={"messages": _CHAT}, headers=headers)
            say(
                f"chain /c/{chain.name} (primary {'failing' if fail else 'healthy'}) -> "
                f"{reply.status_code} from {reply.json()['served_by']}, "
                f"steps {reply.headers['x-unitysvc-chain-trace']}"
            )

        recurring = large.schedule(
            recurrence={"schedule_type": "interval", "interval_seconds": 0.2},
            json={"messages": _CHAT},
            name="demo-heartbeat",
        )
        deadline = time.monotonic() + 10
        while (client.recurrent_requests.get(recurring.id).state or {}).get("run_count", 0) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("the recurrent request did not run")
            time.sleep(0.05)
        state = client.recurrent_requests.get(recurring.id).state or {}
        say(
            f"recurrent request {recurring.name!r} ran {state['run_count']} times, "
            f"last status {state['last_status_code']}"
        )
        client.recurrent_requests.delete(recurring.id)

        logs = client.request_logs.list(limit=5)
        say(f"request log: {logs.total_count} gateway requests; newest:")
        for item in logs.items[:3]:
            say(
                f"  {item.user_request_method} {item.user_request_path} -> "
                f"{item.upstream_response_status_code} in {item.upstream_response_time_ms:.1f} ms"
            )
        _files_and_preferences(client, say)


def _files_and_preferences(client: Client, say: Callable[[str], None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp, "q2-report.csv")
        report.write_text("region,revenue\nnorth,120\nsouth,95\n" * 2000)
        key = client.files.upload(report, "personal/reports")
        listing = client.files.list("personal/reports")
        sizes = {o.key: o.size for o in listing.objects}
        say(f"files: uploaded {key!r} straight to storage ({sizes[key]} bytes, no API key sent)")
        copy = client.files.download(f"personal/{key}", Path(tmp, "copy.csv"))
        same = copy.read_bytes() == report.read_bytes()
        say(f"files: downloaded it back through a presigned GET; identical: {same}")
    ai = client.preferences.set_ai("chat-large")
    log = client.preferences.get("request-log")
    say(
        f"preferences: ai -> {ai.effective} ({ai.source}); "
        f"request-log -> {log.effective} ({log.source})"
    )
