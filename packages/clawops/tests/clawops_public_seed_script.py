"""Run by the public clawops 0.1.0 (the seed), unmodified, against our emulator
(test_public_compat.py): calls, numbers and SIP credentials on the seed's wire, which the
emulator serves beside 0.70.0's. Prints a JSON object of what each step saw."""

from __future__ import annotations

import json
from typing import Any

from clawops_public_common import FROM

import clawops
from clawops import ClawOps


def main() -> dict[str, Any]:
    client = ClawOps()
    out: dict[str, Any] = {"version": clawops.__version__}
    out["numbers.list"] = [(n.number, n.source) for n in client.numbers.list()]
    number = client.numbers.create(source="pool")
    updated = client.numbers.update(number.number, webhook_url="https://my-app.com/in")
    out["numbers.update"] = [updated.webhook_url, updated.webhook_method]
    client.numbers.delete(number.number)
    cred = client.sip.credentials.create(display_name="Desk")
    out["sip.credentials"] = [c.display_name for c in client.sip.credentials.list()]
    client.sip.credentials.delete(cred.id)
    call = client.calls.create(to="01012345678", from_=FROM, url="https://my-app.com/twiml")
    out["calls.get"] = client.calls.get(call.call_id).call_id == call.call_id
    out["calls.list"] = client.calls.list(page_size=1).meta.total
    return out


if __name__ == "__main__":
    print(json.dumps(main()))
