"""A stateful local emulator of the ClawOps Voice API, for tests and offline development.

``with ClawOpsEmulator() as emu: ClawOps(**emu.client_kwargs())`` gives the SDK a real
HTTP server on 127.0.0.1 implementing calls (with a simulated lifecycle and signed status
callbacks), numbers and SIP credentials, plus the 0.70.0 wire's routing, SIP endpoints,
assignment links, recordings, transcripts, summaries and webhook logs, stored in SQLite.
``create_app`` builds the same app for any `EmulatorConfig`; ``clawops-emulator serve`` runs
it from a shell.

Choices where the API leaves room:

- Auth: a missing or unknown key answers 401; a known key used on an account it may not
  access, or on an account that does not exist, answers 403 (account mismatch).
- Calls and SIP credentials of another account answer 404, as if they did not exist;
  numbers owned by another account answer 403, as the API documents.
- Ending an already ended call is idempotent: 200 with its final status.
- ``To`` as ``sip:<user>@<sip_server>`` for a user without credentials fails the call.
- Messaging (messages, Kakao channels and templates, sender numbers, blocked recipients)
  lives in the same store. Every account has a connected demo Kakao channel
  (`demo_channel_id`) with templates (`demo_template_ids`); `request_token` always "sends"
  `DEMO_KAKAO_TOKEN`.
"""

from ._app import app_state, create_app
from ._callbacks import list_deliveries
from ._config import DEFAULT_POOL, DEFAULT_SIGNING_KEY, EmulatorConfig, default_pool
from ._deps import EmulatorState
from ._messaging_store import DEMO_KAKAO_TOKEN, demo_channel_id, demo_template_ids
from ._server import DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_NUMBER, ClawOpsEmulator
from ._sink import WebhookDelivery, WebhookSink
from ._webhook_logs import webhook_id

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_API_KEY",
    "DEFAULT_NUMBER",
    "DEFAULT_POOL",
    "DEFAULT_SIGNING_KEY",
    "DEMO_KAKAO_TOKEN",
    "ClawOpsEmulator",
    "EmulatorConfig",
    "EmulatorState",
    "WebhookDelivery",
    "WebhookSink",
    "app_state",
    "create_app",
    "default_pool",
    "demo_channel_id",
    "demo_template_ids",
    "list_deliveries",
    "webhook_id",
]
