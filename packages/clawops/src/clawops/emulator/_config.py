"""Settings of one emulated ClawOps service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_POOL",
    "DEFAULT_SIGNING_KEY",
    "EmulatorConfig",
    "default_pool",
]

DEFAULT_SIGNING_KEY = "whsec_emulator"
"""Signing key of accounts that `EmulatorConfig.signing_keys` does not name."""


def default_pool(size: int = 50, prefix: str = "0705235") -> tuple[str, ...]:
    """Return ``size`` purchasable numbers ``<prefix>0001``, ``<prefix>0002``, ..."""
    return tuple(f"{prefix}{index:04d}" for index in range(1, size + 1))


DEFAULT_POOL = default_pool()
"""The purchasable numbers of an emulator whose config gives none: 07052350001-0050."""


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything `create_app` needs to emulate the ClawOps Voice API.

    Accounts exist implicitly: every account id named in ``api_keys`` can hold calls,
    numbers and SIP credentials. A key listed with a subset of the accounts is a
    "restricted" key; using it on any other account answers 403.
    """

    api_keys: Mapping[str, Sequence[str]]
    """API key -> the account ids it may access."""
    signing_keys: Mapping[str, str] = field(default_factory=dict)
    """Account id -> webhook signing key (`DEFAULT_SIGNING_KEY` when absent)."""
    numbers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Account id -> numbers registered on it at startup (usable as ``From`` at once)."""
    db: str = ":memory:"
    """SQLite path; a file keeps calls, numbers, credentials and deliveries across restarts."""
    pool: Sequence[str] = DEFAULT_POOL
    """Numbers ``source: "pool"`` hands out, in this order."""
    ring_after: float = 0.5
    """Seconds from creation until a call rings."""
    answer_after: float = 1.0
    """Seconds from ringing until the callee answers."""
    call_duration: float = 3.0
    """Seconds an answered call lasts unless it is ended first."""
    callback_retries: int = 3
    """Extra delivery attempts for a status callback that fails."""
    callback_backoff: float = 1.0
    """Delay before the first retry; it doubles for each further retry."""
    callback_timeout: float = 5.0
    """Seconds one status-callback attempt may take."""
    message_delay: float = 0.5
    """Seconds a new message stays ``queued``, then ``sending``, before it is ``sent``."""
    max_numbers: int = 20
    """Numbers one account may hold; creating one more answers 422."""
    max_sip_credentials: int = 10
    """SIP credentials one account may hold; creating one more answers 422."""
    sip_server: str = "sip.claw-ops.com"
    """``sipServer`` of new SIP credentials; ``sip:`` calls to unknown users there fail."""
    transcript_after: float = 0.5
    """Seconds from a transcript request until the transcript (and summary) are ready."""

    def __post_init__(self) -> None:
        """Reject settings the emulator cannot honour."""
        if not self.api_keys:
            raise ValueError("at least one API key is required")
        for name in (
            "ring_after",
            "answer_after",
            "call_duration",
            "callback_backoff",
            "transcript_after",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.callback_retries < 0:
            raise ValueError("callback_retries must not be negative")
        if self.callback_timeout <= 0:
            raise ValueError("callback_timeout must be positive")
        if self.message_delay < 0:
            raise ValueError("message_delay must not be negative")

    @property
    def account_ids(self) -> tuple[str, ...]:
        """Every account id some key can access, in first-mention order."""
        seen: dict[str, None] = {}
        for accounts in self.api_keys.values():
            seen.update(dict.fromkeys(accounts))
        return tuple(seen)

    def signing_key(self, account_id: str) -> str:
        """Return the webhook signing key of ``account_id``."""
        return self.signing_keys.get(account_id, DEFAULT_SIGNING_KEY)

    def can_access(self, api_key: str, account_id: str) -> bool:
        """Whether ``api_key`` is known and may act on ``account_id``."""
        return account_id in self.api_keys.get(api_key, ())
