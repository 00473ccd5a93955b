"""The Prefactor emulator as the bench serves it: ``python -m bench.prefactor_server PORT TOKEN
AGENT``.

The app `prefactor-emulator serve` runs (`create_app`, the kit's body limit, its HTTP
protocol), with one difference: idle connections are kept for 300 s, not uvicorn's 5 s. Both
client pools drop an idle connection after 5 s as well (httpx's `keepalive_expiry`, which the
raw pool copies), so a connection left idle that long by the other contender's round was at
times closed by the server as the client sent a span on it; the raw client, which does not
retry, then failed the whole run (as `servers._uvicorn` explains for the other suites).
"""

from __future__ import annotations

import sys

import uvicorn

from prefactor_http.emulator import EmulatorConfig, create_app
from sdkcore.emulator import DEFAULT_MAX_BODY_SIZE, EmulatorHTTPProtocol, install_body_limit

from .servers import HOST

_ACCOUNT = "acct_bench"


def main() -> None:
    """Serve until terminated."""
    port, token, agent = sys.argv[1:4]
    app = create_app(
        EmulatorConfig(tokens={token: _ACCOUNT}, agents={_ACCOUNT: (agent,)}, db=":memory:")
    )
    install_body_limit(app, DEFAULT_MAX_BODY_SIZE)
    uvicorn.run(
        app,
        host=HOST,
        port=int(port),
        http=EmulatorHTTPProtocol,
        log_level="warning",
        proxy_headers=False,
        timeout_keep_alive=300,
    )


if __name__ == "__main__":
    main()
