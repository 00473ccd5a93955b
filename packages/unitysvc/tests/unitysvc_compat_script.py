"""Run by test_compat with the public unitysvc-py 0.2.1 (unmodified) against our emulator.

Prints one JSON line per checked step; any exception fails the run.
"""

import json
import os
import sys
from importlib import metadata

from unitysvc import Client, NotFoundError


def step(name, value):
    print(json.dumps({"step": name, "value": value}, default=str), flush=True)


client = Client(
    os.environ["UNITYSVC_API_KEY"],
    base_url=os.environ["UNITYSVC_API_URL"],
    api_base_url=os.environ["UNITYSVC_API_BASE_URL"],
)
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
client.close()
sys.exit(0)
