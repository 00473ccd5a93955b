"""Run by test_compat with the public unitysvc-py 0.2.1 (unmodified) against our emulator.

Prints one JSON line per checked step; any exception fails the run. The first argument picks
the part: ``core`` (the resources the seed names), ``routes`` (broadcasts and chains),
``issue22`` (preferences, files, service extras, cycle usage) or ``cli`` (the public
``usvc`` console script).
"""

import json
import os
import subprocess
import sys
import tempfile
import uuid
from importlib import metadata
from pathlib import Path
from uuid import UUID

from unitysvc import Client, NotFoundError
from unitysvc._generated.api.customer import customer_get_cycle_usage
from unitysvc._generated.api.customer_services import (
    customer_services_list_customer_group_membership,
    customer_services_set_customer_group_membership,
)
from unitysvc._generated.models.customer_group_membership_update import (
    CustomerGroupMembershipUpdate,
)
from unitysvc._http import unwrap


def step(name, value):
    print(json.dumps({"step": name, "value": value}, default=str), flush=True)


def core(client):
    """Everything the seed shares with 0.2.1."""
    step("version", metadata.version("unitysvc-py"))
    groups = client.groups.list()
    step("groups.list", sorted(g.name for g in groups.data))
    llm = client.groups.get("llm")
    step("groups.get", llm.name)
    page = client.groups.services("llm")
    names = sorted(s.name for s in page.data)
    step("groups.services", names)
    svc_id = next(s.id for s in page.data if s.name == "chat-small")
    svc = client.services.get(str(svc_id))
    step("services.get", svc.name)
    step("services.interfaces", [i.name for i in client.services.interfaces(str(svc_id))])
    body = {"messages": [{"role": "user", "content": "from 0.2.1"}]}
    response = client.services.dispatch(str(svc_id), json=body)
    step("services.dispatch", [response.status_code, response.json()["served_by"]])
    response = client.groups.dispatch("llm", json={"model": "large", **body})
    step("groups.dispatch", [response.status_code, response.json()["served_by"]])
    with client.services.stream(str(svc_id), json={"stream": True, **body}) as r:
        kinds = [e.kind for e in r.iter_events()]
    step("services.stream", kinds[-1])
    with client.groups.stream("streams", json={"format": "ndjson", "count": 3}) as r:
        step("groups.stream", [e.parsed["seq"] for e in r.iter_events()])
    resolved = client.resolve(path="g/llm", routing_key={"model": "large"})
    step("resolve", [c.service_name for c in resolved.candidates])
    enr = client.enrollments.create(service_id=str(svc_id), parameters={"api_key": "k"})
    step("enrollments.create", enr.status)
    step("enrollments.get", client.enrollments.get(str(enr.id)).id == enr.id)
    step("enrollments.list", any(e.id == enr.id for e in client.enrollments.list().data))
    step("enrollments.cancel", client.enrollments.cancel(str(enr.id)).status)
    step("secrets.set", client.secrets.set("COMPAT_SECRET", "value").name)
    step("secrets.get", client.secrets.get("COMPAT_SECRET").name)
    step("secrets.list", [s.name for s in client.secrets.list().data])
    step("secrets.delete", bool(client.secrets.delete("COMPAT_SECRET").message))
    try:
        client.secrets.get("COMPAT_SECRET")
        step("not_found", False)
    except NotFoundError as exc:
        step("not_found", exc.status_code)
    alias = client.aliases.create({"name": "compat", "target_path": f"p/{svc_id}"})
    alias_id = alias["id"] if isinstance(alias, dict) else alias.id
    step("aliases.create", bool(alias_id))
    step("aliases.list", len(client.aliases.list().data) >= 1)
    switched = client.aliases.switch(str(alias_id), on=True)
    step("aliases.switch", str(switched.alias.id) == str(alias_id))
    client.aliases.delete(str(alias_id))
    step("aliases.delete", True)
    rr = client.services.schedule(
        str(svc_id), recurrence={"schedule_type": "interval", "interval_seconds": 3600}, json=body
    )
    step("services.schedule", str(rr.status))
    step("recurrent_requests.get", str(client.recurrent_requests.get(str(rr.id)).id) == str(rr.id))
    client.recurrent_requests.delete(str(rr.id))
    logs = client.request_logs.list()
    step("request_logs.list", logs.total_count > 0)
    step("request_logs.get", str(client.request_logs.get(str(logs.items[0].log_id)).log_id))


def _sid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "unitysvc-catalogue:" + name))


def routes(client):
    """0.2.1's broadcasts (/b/) and chains (/c/), every management call and a dispatch."""
    small, flaky = f"p/{_sid('chat-small')}", f"p/{_sid('flaky-svc')}"
    body = {"messages": [{"role": "user", "content": "from 0.2.1"}]}
    bc = client.broadcasts.create(
        name="compat-fan",
        targets=[
            {"name": "small", "target_path": small},
            {"name": "llm", "target_path": "g/llm", "routing_key_override": {"model": "large"}},
        ],
    )
    step("broadcasts.create", [t.name for t in bc.targets])
    step("broadcasts.get", client.broadcasts.get(bc.id).name)
    step("broadcasts.list", [b.name for b in client.broadcasts.list().data])
    envelope = bc.dispatch(json=body).json()
    step("broadcasts.dispatch", sorted(r["body"]["served_by"] for r in envelope["results"]))
    logged = bc.logged().dispatch(json=body)
    step("broadcasts.logged", logged.status_code)
    target = bc.add_target(name="flaky", target_path=flaky)
    step("broadcasts.add_target", target.name)
    client.broadcasts.remove_target(bc.id, target.id)
    replaced = bc.replace_targets([{"name": "only", "target_path": small}])
    step("broadcasts.replace_targets", [t.name for t in replaced.targets])
    step("broadcasts.update", bc.update(mode="async").mode)
    step("broadcasts.async", bc.dispatch(json=body).status_code)
    bc.delete()
    step("broadcasts.delete", [b.name for b in client.broadcasts.list().data])

    ch = client.chains.create(
        name="compat-chain",
        steps=[
            {"name": "primary", "target_path": flaky, "on_failure": "continue"},
            {"name": "backup", "target_path": small},
        ],
    )
    step("chains.create", [s.name for s in ch.steps])
    step("chains.get", client.chains.get(ch.id).name)
    step("chains.list", [c.name for c in client.chains.list().data])
    healthy = ch.dispatch(json=body)
    failed_over = ch.dispatch(json=body, headers={"X-Upstream-Fail": "503"})
    step(
        "chains.dispatch",
        [
            healthy.json()["served_by"],
            failed_over.json()["served_by"],
            failed_over.headers["x-unitysvc-chain-trace"],
        ],
    )
    added = ch.add_step(name="third", target_path="g/llm", sort_order=5)
    step("chains.add_step", added.name)
    step("chains.update_step", ch.update_step(added.id, timeout_ms=500).timeout_ms)
    ch.remove_step(added.id)
    replaced = ch.replace_steps([{"name": "solo", "target_path": small}])
    step("chains.replace_steps", [s.name for s in replaced.steps])
    step("chains.update", ch.update(default_timeout_ms=2000).default_timeout_ms)
    ch.delete()
    step("chains.delete", [c.name for c in client.chains.list().data])


def _usvc(*args, stdin=None):
    usvc = os.path.join(os.path.dirname(sys.executable), "usvc")
    # 0.2.1 prints its JSON through rich, which wraps lines at the terminal width.
    env = {**os.environ, "COLUMNS": "100000"}
    run = subprocess.run(
        [usvc, *args], input=stdin, capture_output=True, text=True, timeout=120, env=env
    )
    if run.returncode != 0:
        raise RuntimeError(f"usvc {' '.join(args)} failed: {run.stderr[-2000:]}")
    return run.stdout


def cli(client):
    """The public ``usvc`` 0.2.1 console script, unmodified, against our emulator."""
    step("cli.env", "UNITYSVC_API_KEY" in _usvc("env"))
    step("cli.groups.list", [g["name"] for g in json.loads(_usvc("groups", "list", "-f", "json"))])
    step("cli.groups.show", "llm" in _usvc("groups", "show", "llm"))
    services = json.loads(_usvc("groups", "services", "llm", "-f", "json"))
    services = services["data"] if isinstance(services, dict) else services
    step("cli.groups.services", sorted(s["name"] for s in services))
    step("cli.services.show", json.loads(_usvc("services", "show", _sid("chat-small")))["name"])
    step("cli.services.interfaces", bool(_usvc("services", "interfaces", _sid("chat-small"))))
    resolved = json.loads(
        _usvc("resolve", "--path", "g/llm", "--routing-key", '{"model": "large"}')
    )
    step("cli.resolve", [c["service_name"] for c in resolved["candidates"]])
    _usvc("secrets", "set", "CLI_COMPAT", "--value", "v")
    _usvc("secrets", "set", "CLI_PIPED", stdin="piped\n")
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "secrets.env"
        manifest.write_text("# a key\nCLI_UPLOADED=${CLI_UPLOADED:-x}\n")
        _usvc("secrets", "upload", str(manifest))
    _usvc("secrets", "upload", stdin="CLI_STDIN=y\n")
    names = [s["name"] for s in json.loads(_usvc("secrets", "list", "-f", "json"))]
    step("cli.secrets", sorted(n for n in names if n.startswith("CLI_")))
    for name in ("CLI_COMPAT", "CLI_PIPED", "CLI_UPLOADED", "CLI_STDIN"):
        _usvc("secrets", "delete", name, "--yes")
    small = _sid("chat-small")
    alias = client.aliases.create({"name": "cli-compat", "target_path": f"p/{small}"})
    rows = json.loads(_usvc("aliases", "list", "-f", "json"))
    step("cli.aliases.list", [a["name"] for a in rows])
    _usvc("aliases", "delete", str(alias.id), "--yes")
    rr = client.services.schedule(
        small, recurrence={"schedule_type": "interval", "interval_seconds": 3600}, json={}
    )
    rows = json.loads(_usvc("recurrent-requests", "list", "-f", "json"))
    step("cli.recurrent_requests.list", [r["id"] == str(rr.id) for r in rows])
    _usvc("recurrent-requests", "delete", str(rr.id), "--yes")
    enr = client.enrollments.create(service_id=small, parameters={})
    rows = json.loads(_usvc("enrollments", "list", "-f", "json"))
    step("cli.enrollments.list", any(e["id"] == str(enr.id) for e in rows))
    _usvc("enrollments", "cancel", str(enr.id), "--yes")
    out = _usvc("groups", "dispatch", "llm", "--json", '{"model": "large", "messages": []}')
    step("cli.groups.dispatch", json.loads(out)["served_by"])


# -- preferences, files, service extras and cycle usage (issue 22) -------------------------


def _service(value):
    """A preference value as plain data: a service name, a mode string or None."""
    return getattr(value, "service", value)


def check_preferences(client):
    listed = client.preferences.list()
    step("preferences.list", sorted(p.name for p in listed.data))
    ai = client.preferences.get("ai")
    step("preferences.get", [_service(ai.effective), ai.source])
    chosen = client.preferences.set_ai("chat-large")
    step("preferences.set_ai", [_service(chosen.value), chosen.source])
    step("preferences.set", _service(client.preferences.set("ai", "chat-small").value))
    step("preferences.clear", client.preferences.clear("ai").source)
    step("preferences.set_notification", client.preferences.set_notification("b/alerts").source)
    client.preferences.set_notification(None)
    mode = client.preferences.set_request_log_mode("complete")
    step("preferences.set_request_log_mode", [mode.value, mode.effective])
    off = client.preferences.set_request_log_mode(None)
    step("preferences.request_log_off", [off.value, off.effective])
    client.preferences.set_request_log_mode("truncated")


def check_files(client, workdir):
    source = workdir / "compat.bin"
    payload = bytes(range(256)) * 4096 + b"tail"
    source.write_bytes(payload)
    key = client.files.upload(source, "compat/dir", scope="personal")
    step("files.upload", key)
    listing = client.files.list("compat", scope="personal")
    step("files.list", [listing.common_prefixes, listing.shared_enabled])
    inner = client.files.list("compat/dir", scope="personal")
    step("files.list.objects", [(o.key, o.size) for o in inner.objects])
    step("files.download_url", client.files.download_url(key).url.startswith("http"))
    written = client.files.download(key, workdir / "back.bin")
    step("files.download", Path(written).read_bytes() == payload)
    shared = client.files.upload(source, "", scope="shared", filename="team.bin")
    step("files.shared", [o.key for o in client.files.list("", scope="shared").objects] == [shared])


def check_service_extras(client, service_id):
    plan = client.services.access_plan(service_id)
    step("services.access_plan", [str(plan.enrollment_mode), len(plan.routing_endpoints)])
    docs = client.services.documents(service_id, include_content=True)
    step("services.documents", sorted(str(d.category) for d in docs.documents))
    one = client.services.document(service_id, docs.documents[0].id)
    step("services.document", one.documents[0].content == docs.documents[0].content)
    low = client._client
    membership = unwrap(
        customer_services_list_customer_group_membership.sync_detailed(UUID(service_id), client=low)
    )
    step("services.groups", [g.name for g in membership.groups if g.is_default])
    saved = unwrap(
        customer_services_set_customer_group_membership.sync_detailed(
            UUID(service_id),
            client=low,
            body=CustomerGroupMembershipUpdate(group_ids=[], include_default=True),
        )
    )
    step("services.set_groups", [g.display_name for g in saved.groups if g.member])
    usage = unwrap(customer_get_cycle_usage.sync_detailed(client=low))
    used = any(str(s.service_id) == service_id for s in usage.services)
    step("usage.cycle", [usage.currency, used])


def issue22(client):
    """Preferences, account files, service extras and cycle usage (issue 22)."""
    page = client.groups.services("llm")
    svc_id = next(s.id for s in page.data if s.name == "chat-small")
    with tempfile.TemporaryDirectory() as tmp:
        check_preferences(client)
        check_files(client, Path(tmp))
        check_service_extras(client, str(svc_id))


PARTS = {"core": core, "routes": routes, "cli": cli, "issue22": issue22}

if __name__ == "__main__":
    client = Client(
        os.environ["UNITYSVC_API_KEY"],
        base_url=os.environ["UNITYSVC_API_URL"],
        api_base_url=os.environ["UNITYSVC_API_BASE_URL"],
    )
    for part in sys.argv[1:] or ["core"]:
        PARTS[part](client)
    client.close()
    sys.exit(0)
