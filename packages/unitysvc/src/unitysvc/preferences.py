"""``client.preferences``: named preferences of the account the key acts for.

Every call answers with the preference as the account sees it: its own ``value``, the
``effective`` value that applies and the ``source`` of that (``account``, ``user`` or
``default``; None when nothing applies), so a caller never re-derives a fallback.

- ``notification``: where notices are forwarded (a service, ``b/<name>`` or ``e/<CODE>``).
- ``ai``: the AI behind ``/ai`` (a service name or ``a/<name>``; enrollment-only services
  are refused).
- ``request-log``: gateway request logging, ``truncated`` or ``complete``; clearing it turns
  logging off. `RequestLogs.start` / `RequestLogs.stop` set and clear this same preference.
"""

from __future__ import annotations

import re
from typing import Any, Literal, TypeVar

from sdkcore import Async, BaseModel, DualOp, Mode, Resource, Sync, as_json, dual

from ._args import name_segment
from ._records import Bound, BoundList, Record

__all__ = [
    "AsyncPreferences",
    "Preference",
    "PreferenceAccount",
    "PreferenceList",
    "PreferenceValue",
    "Preferences",
    "RequestLogMode",
]

M = TypeVar("M", bound=Mode)
RequestLogMode = Literal["truncated", "complete"]
_NAME = re.compile(r"[a-z][a-z0-9-]{0,63}")


class PreferenceValue(BaseModel):
    """A service preference: ``service``, and the ``gateway`` it is reached through."""

    service: str
    gateway: str | None = None


class PreferenceAccount(BaseModel):
    """The account a preference belongs to."""

    type: str
    id: str
    name: str


class Preference(Record):
    """One preference as the account sees it, bound to its client: ``pref.set(value)``,
    ``pref.clear()`` and ``pref.refresh()`` act on it by name.

    ``request-log`` answers also carry ``enabled``, ``mode`` and ``message``.
    """

    name: str
    account: PreferenceAccount
    can_edit: bool
    value: PreferenceValue | str | None = None
    effective: PreferenceValue | str | None = None
    source: str | None = None
    enabled: bool | None = None
    mode: str | None = None
    message: str | None = None

    def __repr__(self) -> str:
        return f"<Preference name={self.name!r} effective={self.effective!r} ({self.source})>"

    def set(self, value: str | dict[str, Any] | None) -> Any:
        """Set this preference (see `Preferences.set`)."""
        return self._client.preferences.set(self.name, value)

    def clear(self) -> Any:
        """Clear this preference (see `Preferences.clear`)."""
        return self._client.preferences.clear(self.name)

    def refresh(self) -> Any:
        """Fetch this preference again."""
        return self._client.preferences.get(self.name)


class PreferenceList(BaseModel):
    """Every preference of the account."""

    data: list[Preference]


def _path(name: Any) -> str:
    return "/preferences/" + name_segment(name, "name", _NAME, "a preference name (request-log)")


def _value(value: Any) -> str | dict[str, Any]:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, dict) and isinstance(value.get("service"), str) and value["service"]:
        return value
    raise ValueError(f"value must be a non-empty str or {{'service': ...}}, got {value!r}")


class _Preferences(Resource[M]):
    """Operations on the account's preferences (``/v1/preferences``), for either face."""

    @dual
    def list(self) -> DualOp[PreferenceList, PreferenceList]:
        """Every preference, as the account sees it."""
        return DualOp(
            "GET", "/preferences/", as_json, factory=BoundList(PreferenceList, Preference)
        )

    @dual
    def get(self, name: str) -> DualOp[Preference, Preference]:
        """One preference, as the account sees it."""
        return DualOp("GET", _path(name), as_json, factory=Bound(Preference))

    @dual
    def set(self, name: str, value: str | dict[str, Any] | None) -> DualOp[Preference, Preference]:
        """Set one preference; ``value=None`` clears it (see `clear`).

        ``value`` is a service (``"chat-small"`` or ``{"service": "chat-small"}``) for
        ``notification`` / ``ai``, or a mode for ``request-log``; the server checks it.
        """
        return self._set(name, value)

    @dual
    def clear(self, name: str) -> DualOp[Preference, Preference]:
        """Clear one preference back to its fallback (``request-log``: logging off).
        Idempotent."""
        return self._clear(name)

    def _clear(self, name: str) -> DualOp[Preference, Preference]:
        return DualOp("DELETE", _path(name), as_json, factory=Bound(Preference))

    def _set(self, name: str, value: Any) -> DualOp[Preference, Preference]:
        if value is None:
            return self._clear(name)
        body = {"value": _value(value)}
        return DualOp("PUT", _path(name), as_json, body=body, factory=Bound(Preference))

    @dual
    def set_notification(self, service: str | None) -> DualOp[Preference, Preference]:
        """Where notices are forwarded: a service, ``"b/<name>"`` or ``"e/<CODE>"``; None
        clears it (in-app delivery only)."""
        return self._set("notification", service)

    @dual
    def set_ai(self, service: str | None) -> DualOp[Preference, Preference]:
        """The AI ``/ai`` uses: a service name or ``"a/<name>"``; None restores the default."""
        return self._set("ai", service)

    @dual
    def set_request_log_mode(self, mode: RequestLogMode | None) -> DualOp[Preference, Preference]:
        """Log every gateway request (``"truncated"``: bodies clipped at 8 KB;
        ``"complete"``: full bodies), or stop logging with None. Stored rows stay."""
        if mode is not None and mode not in ("truncated", "complete"):
            raise ValueError(f"mode must be 'truncated', 'complete' or None, got {mode!r}")
        return self._set("request-log", mode)


class Preferences(_Preferences[Sync]):
    """Operations on the account's preferences (``/v1/preferences``).

    Example::

        client.preferences.set_ai("chat-large").effective   # PreferenceValue(service=...)
        client.preferences.get("request-log").source        # "default"
    """


class AsyncPreferences(_Preferences[Async]):
    """Async sibling of `Preferences`: the same methods, awaited."""
