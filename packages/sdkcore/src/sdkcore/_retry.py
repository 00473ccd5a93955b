"""Retry policy: which failures are retried, and how long to wait before the next attempt."""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

__all__ = ["IDEMPOTENT_METHODS", "RetryPolicy", "parse_retry_after"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait: `retry-after-ms`, else `Retry-After` in seconds or as
    an HTTP-date. None when absent or unparsable."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(float(raw_ms) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 5322 "-0000" parses as naive; HTTP dates are always GMT.
        when = when.replace(tzinfo=datetime.timezone.utc)
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how an SDK retries.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retrying).
        initial_delay: Backoff before the first retry, in seconds.
        max_delay: Cap on any backoff delay.
        multiplier: Growth factor per retry.
        jitter: Relative spread; the delay is multiplied by a uniform factor in [1-j, 1+j].
        retry_statuses: Statuses retried for requests that are safe to repeat.
        unprocessed_statuses: Statuses that prove the server did not act on the request, so even
            an unsafe request (a POST without idempotency key) may be sent again.
        retry_unsafe: Treat every request as safe to repeat (for APIs that dedupe server-side).
        max_retry_after: A `Retry-After` longer than this is not honoured (we give up instead of
            hanging); shorter values replace the computed backoff.
        deadline: Optional overall budget in seconds across all attempts and waits.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    multiplier: float = 2.0
    jitter: float = 0.25
    retry_statuses: frozenset[int] = frozenset({408, 409, 429, 500, 502, 503, 504})
    unprocessed_statuses: frozenset[int] = frozenset({408, 429})
    retry_server_errors: bool = True
    retry_unsafe: bool = False
    max_retry_after: float = 60.0
    deadline: float | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        delays = (self.initial_delay, self.max_delay, self.max_retry_after)
        if not all(math.isfinite(d) and d >= 0 for d in delays):
            raise ValueError("retry delays must be finite and >= 0")
        if self.multiplier < 1:
            raise ValueError(f"multiplier must be >= 1, got {self.multiplier}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be within [0, 1], got {self.jitter}")
        if self.deadline is not None and self.deadline <= 0:
            raise ValueError(f"deadline must be > 0, got {self.deadline}")

    def with_changes(self, **changes: object) -> RetryPolicy:
        """A copy with some fields replaced (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def is_retryable_status(self, status_code: int, *, safe: bool) -> bool:
        """Whether a response with this status may be retried."""
        if not safe and not self.retry_unsafe:
            return status_code in self.unprocessed_statuses
        if status_code in self.retry_statuses:
            return True
        return self.retry_server_errors and status_code >= 500

    def backoff(self, retry_number: int) -> float:
        """Delay before retry `retry_number` (0-based), with jitter, capped at max_delay."""
        base = min(self.initial_delay * self.multiplier**retry_number, self.max_delay)
        spread = random.uniform(1.0 - self.jitter, 1.0 + self.jitter)
        return min(base * spread, self.max_delay)

    def delay(self, retry_number: int, headers: Mapping[str, str] | None) -> float | None:
        """Delay before the next attempt, honouring Retry-After; None means do not retry."""
        if headers is not None:
            asked = parse_retry_after(headers)
            if asked is not None:
                return asked if asked <= self.max_retry_after else None
        return self.backoff(retry_number)
