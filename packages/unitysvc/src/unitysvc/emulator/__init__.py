"""A local emulator of the UnitySVC customer API: control plane, API/S3/SMTP gateways and a
catalogue of real upstream services (extra ``unitysvc[emulator]``).

- `UnitysvcEmulator`: serve it for the length of a ``with`` block (tests, demos).
- `create_app` / `EmulatorConfig`: the FastAPI app itself.
- ``unitysvc-emulator serve``: the console script.
"""

from ._app import app_state, create_app
from ._config import EmulatorConfig, customer_id_for
from ._server import DEFAULT_API_KEY, UnitysvcEmulator, base_urls
from ._store import catalogue_id
from ._upstreams import create_upstream_app, release_upstream

__all__ = [
    "DEFAULT_API_KEY",
    "EmulatorConfig",
    "UnitysvcEmulator",
    "app_state",
    "base_urls",
    "catalogue_id",
    "create_app",
    "create_upstream_app",
    "customer_id_for",
    "release_upstream",
]
