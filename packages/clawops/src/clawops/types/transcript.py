"""Call transcript and summary objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sdkcore import CamelModel

__all__ = [
    "AnalysisStatus",
    "SummaryStatus",
    "TranscriptRequestAccepted",
    "TranscriptSegment",
    "TranscriptStatus",
]

AnalysisStatus = Literal["completed", "pending", "failed", "not_requested"]


class TranscriptSegment(CamelModel):
    """One utterance: who spoke (`speaker_0`, `speaker_1`, ...; older ones `AGENT`/`CUSTOMER`),
    from when to when (seconds into the call), and what was said."""

    speaker: str
    start: float
    end: float
    text: str


class TranscriptStatus(CamelModel):
    """Where a call's transcript stands: `segments` once `completed`, `started_at` while
    `pending`, `stage` and `error` when `failed` (a `stage` of "trigger" may be requested
    again)."""

    status: AnalysisStatus | str
    call_id: str | None = None
    segment_count: int | None = None
    segments: list[TranscriptSegment] | None = None
    started_at: datetime | None = None
    stage: str | None = None
    error: str | None = None


class TranscriptRequestAccepted(CamelModel):
    """A transcript request was accepted: it is `pending`."""

    status: str
    call_id: str


class SummaryStatus(CamelModel):
    """Where a call's summary stands: `result_json` (and who made it) once `completed`,
    `failed_reason` when `failed`."""

    status: AnalysisStatus | str
    call_id: str | None = None
    result_json: dict[str, Any] | None = None
    provider: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    schema_version: str | None = None
    failed_reason: str | None = None
    updated_at: datetime | None = None
