"""Gateway-native wrapper primitives, composed as path prefixes and query parameters.

``/l/`` request-log capture (``?_complete`` for full bodies), ``/m/`` memoize (``?_ttl=1h``,
``?_renew``), ``/f/`` failover on 5xx/429/timeout (``?_else=<relative path>``), ``/t/`` tee
(``?_to=<relative path>``). They are emitted in the canonical order l, m, f, t; the gateway
treats the order as cosmetic.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlencode

__all__ = ["WrappedTarget", "build_wrapped_path", "check_relative"]


def check_relative(value: str, argument: str) -> str:
    """``value`` as a gateway-relative path (no scheme, no leading ``//``), else ValueError."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{argument} must be a non-empty gateway-relative path")
    if "://" in value or value.startswith("//"):
        raise ValueError(
            f"{argument}={value!r} must be a gateway-relative path (e.g. 'p/<service-id>'), "
            "not an absolute URL"
        )
    return value.lstrip("/")


def _split(path: str) -> tuple[list[str], dict[str, str], str]:
    """A wrapped path's wrapper letters, their query parameters, and the bare target path."""
    base, _, query = path.partition("?")
    letters: list[str] = []
    parts = base.lstrip("/").split("/")
    while len(parts) > 1 and parts[0] in ("l", "m", "f", "t"):
        letters.append(parts.pop(0))
    params: dict[str, str] = {}
    for item in filter(None, query.split("&")):
        key, _, value = item.partition("=")
        params[key] = value
    return letters, params, "/".join(parts)


def build_wrapped_path(
    base_path: str,
    *,
    log: bool | str = False,
    cache: bool = False,
    cache_ttl: str | None = None,
    cache_renew: bool = False,
    failover_to: str | None = None,
    tee_to: str | None = None,
) -> str:
    """Add wrappers to ``base_path`` (which may already carry some), in canonical order.

    ``log="complete"`` asks for full-body capture. Secondary paths must be gateway-relative.
    """
    letters, params, target = _split(base_path)
    params = {k: unquote(v) for k, v in params.items()}
    wanted = set(letters)
    if log:
        wanted.add("l")
        if log == "complete":
            params["_complete"] = ""
    if cache or cache_ttl is not None or cache_renew:
        wanted.add("m")
        if cache_ttl is not None:
            params["_ttl"] = cache_ttl
        if cache_renew:
            params["_renew"] = ""
    if failover_to is not None:
        wanted.add("f")
        params["_else"] = check_relative(failover_to, "secondary")
    if tee_to is not None:
        wanted.add("t")
        params["_to"] = check_relative(tee_to, "secondary")
    prefix = "".join(f"{letter}/" for letter in "lmft" if letter in wanted)
    path = prefix + target
    if params:
        path += "?" + urlencode(params).replace("=&", "&").rstrip("=")
    return path


class Wrappable:
    """Mixin giving the fluent wrapper builders to anything with a gateway ``path``."""

    @property
    def path(self) -> str:
        """Gateway-relative path of this target (``p/<id>``, ``g/<name>``, ...)."""
        raise NotImplementedError

    def _get_client(self) -> Any:
        raise NotImplementedError

    def logged(self, *, complete: bool = False) -> WrappedTarget:
        """Capture this call in the request log (``/l/``); ``complete`` keeps full bodies."""
        return WrappedTarget(
            build_wrapped_path(self.path, log="complete" if complete else True), self._get_client()
        )

    def cached(self, *, ttl: str | None = None, renew: bool = False) -> WrappedTarget:
        """Memoize the response in the gateway (``/m/``) for ``ttl`` ("60s", "5m", "1h", "1d";
        default 1 h, max 7 d); ``renew`` forces a fresh upstream call."""
        return WrappedTarget(
            build_wrapped_path(self.path, cache=True, cache_ttl=ttl, cache_renew=renew),
            self._get_client(),
        )

    def with_failover(self, secondary: Wrappable | str) -> WrappedTarget:
        """On a 5xx, 429 or timeout from this target, the gateway calls ``secondary``."""
        other = secondary if isinstance(secondary, str) else secondary.path
        return WrappedTarget(build_wrapped_path(self.path, failover_to=other), self._get_client())

    def with_tee(self, secondary: Wrappable | str) -> WrappedTarget:
        """Also send a fire-and-forget copy of the call to ``secondary``."""
        other = secondary if isinstance(secondary, str) else secondary.path
        return WrappedTarget(build_wrapped_path(self.path, tee_to=other), self._get_client())


class WrappedTarget(Wrappable):
    """A gateway-relative path with wrappers applied; dispatch or stream it directly.

    Sent to the client's ``api_base_url`` (see `Client.dispatch`).
    """

    __slots__ = ("_client", "_path")

    def __init__(self, path: str, client: Any) -> None:
        self._path = path
        self._client = client

    @property
    def path(self) -> str:
        """The wrapped gateway-relative path."""
        return self._path

    def _get_client(self) -> Any:
        return self._client

    def __repr__(self) -> str:
        return f"<WrappedTarget path={self._path!r}>"

    def dispatch(
        self,
        *,
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Send one request through the wrapped path; returns the `httpx.Response`
        (awaitable on the async client)."""
        return self._client.dispatch(
            self._path, method=method, json=json, data=data, headers=headers, timeout=timeout
        )

    def stream(
        self,
        *,
        method: str = "POST",
        json: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Open a streaming request through the wrapped path (see `Client.stream`)."""
        return self._client.stream(
            self._path, method=method, json=json, data=data, headers=headers, timeout=timeout
        )
