"""What the service's steps hand each other: the error every refusal raises, the
authenticated caller, and a chat request checked and ready to run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._profiles import PROFILES, Profile
from ._records import BudgetReservation, KeyRecord
from ._runner import Run

__all__ = ["Caller", "Prepared", "ServiceError"]


class ServiceError(Exception):
    """A refusal or failure with its HTTP status and JSON body (`{"detail": ..., ...}`)."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        /,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.headers = headers or {}
        self.body: dict[str, Any] = {"detail": detail, **extra}


@dataclass(frozen=True)
class Caller:
    """An authenticated request: its key, the project it bills and the key's profile."""

    key: KeyRecord
    project_id: str

    @property
    def profile(self) -> Profile:
        """The key's profile."""
        return PROFILES[self.key.profile]


@dataclass
class Prepared:
    """A checked chat request with its budget reserved, ready to run."""

    caller: Caller
    run: Run
    reservation: BudgetReservation
    id: str
