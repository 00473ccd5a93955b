"""A stateful local emulator of the Prefactor API, for tests and offline development.

``with PrefactorEmulator() as emu: PrefactorHttpClient(emu.config())`` gives the SDK a real
HTTP server on 127.0.0.1 implementing agents (with owners, teams, risk profiles, listing
filters and sorting, ``show`` with counts and a data risk rollup), agent instances (register,
start, finish, record_quality), spans and quality payloads validated against their JSON
Schemas, idempotency keys and bulk actions, stored in SQLite: the wire of prefactor-http 0.1.0
and of 0.4.3. ``create_app`` builds the same app for any `EmulatorConfig`;
``prefactor-emulator serve`` runs it from a shell.

Choices where the API leaves room:

- Auth: a missing or unknown token answers 401; a resource of another account answers 403.
- Illegal lifecycle transitions (start twice, finish before start, a span on a finished
  instance, finishing a finished span) answer 409 with code ``invalid_transition``.
- Malformed JSON answers 400 (code ``malformed_json``); invalid fields answer 422 with
  ``errors`` keyed by the failing field's path (``payload.model``).
- Spans may be created on pending and active instances; an instance has one environment.
- Idempotency keys are read from the body (``idempotency_key``, inside ``details`` for
  spans) or the ``Idempotency-Key`` header, and scoped per account and action; only
  successful writes are remembered, so a failed call may be retried with its key. One key
  twice in a bulk request is refused as a whole with 409 (``idempotency_conflict``).
- ``emu.terminate(instance_id, reason)`` stands in for terminating an instance in the app:
  spans may still be created and finished on it, and their answers carry ``control``.
- One environment per account (``env_<account>``) and one deployment per agent in it; an
  instance's ``agent_deployment_id`` follows from the pair.
- ``agents/show`` with neither identifier, or two naming different agents, answers 404.
- The app's OpenAPI document is generated from the request-body models (`_bodies`) and the
  SDK's response models; schemathesis checks the emulator against it.
"""

from ._app import app_state, create_app
from ._config import EmulatorConfig
from ._routes import EmulatorState
from ._server import DEFAULT_ACCOUNT_ID, DEFAULT_AGENT_ID, DEFAULT_API_TOKEN, PrefactorEmulator

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_AGENT_ID",
    "DEFAULT_API_TOKEN",
    "EmulatorConfig",
    "EmulatorState",
    "PrefactorEmulator",
    "app_state",
    "create_app",
]
