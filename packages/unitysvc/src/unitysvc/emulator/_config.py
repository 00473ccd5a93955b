"""Settings of one emulator instance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

__all__ = ["EmulatorConfig", "customer_id_for"]


def customer_id_for(api_key: str) -> str:
    """The customer a ``svcpass_`` key encodes (stable, so persisted state stays reachable)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "unitysvc-customer:" + api_key))


@dataclass(frozen=True)
class EmulatorConfig:
    """What an emulator app needs to know.

    Attributes:
        api_keys: Accepted ``svcpass_`` keys; each is one customer.
        db: SQLite file, or ":memory:".
        activation_delay: Seconds before the worker activates a pending enrollment.
        tick: Seconds between runs of the background workers (activation, scheduler).
        upstream_timeout: Seconds the gateway waits for an upstream's response headers.
        upstream_url: Base URL of the catalogue's upstream services (set once they serve).
        files_dir: Folder for the bytes of account files; empty: ``<db>.files`` beside a
            database file, a temporary folder for ":memory:".
    """

    api_keys: tuple[str, ...] = ("svcpass_test_emulator",)
    db: str = ":memory:"
    activation_delay: float = 0.5
    tick: float = 0.05
    upstream_timeout: float = 10.0
    upstream_url: str = ""
    files_dir: str = ""

    def customers(self) -> dict[str, str]:
        """``{api_key: customer_id}``."""
        return {key: customer_id_for(key) for key in self.api_keys}
