"""``/calls/{call_id}/transcript`` and ``/summary``: generated on request from the recording.

A transcript is asked for once (``POST``; again answers 409), is ``pending`` for
``transcript_after`` seconds and then ``completed``; the summary follows the transcript. Both
are made from the call's stored data, so they read the same every time and after a restart.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sdkcore.emulator import EmulatorError, document_response

from ._calls import find_call, has_recording
from ._core_schemas import SummaryOut, TranscriptAcceptedOut, TranscriptOut
from ._deps import ACCOUNT_PREFIX, AccountId, EmulatorState, ErrorBody, State
from ._lifecycle import call_duration
from ._store import now, timestamp

__all__ = ["router"]

SUMMARY_MODEL = "clawops-emulator-summary-1"

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/calls", tags=["calls"])


def _progress(state: EmulatorState, account_id: str, call_id: str) -> tuple[dict[str, Any], str]:
    """The call and where its transcript stands: not_requested, pending or completed."""
    call = find_call(state, account_id, call_id)
    requested = state.db.scalar(
        "SELECT transcript_requested_at FROM call_media WHERE call_id = ?", (call_id,)
    )
    if requested is None:
        return call, "not_requested"
    ready = requested + state.config.transcript_after <= now()
    return {**call, "requested_at": requested}, "completed" if ready else "pending"


def _segments(call: dict[str, Any]) -> list[dict[str, Any]]:
    length = float(max(call_duration(call), 3))
    lines = (
        ("speaker_0", "Hello, you have reached the ClawOps emulator."),
        ("speaker_1", f"Hi, this is {call['from_number']} calling {call['to_number']}."),
        ("speaker_0", "Thank you for calling. Goodbye."),
    )
    step = length / len(lines)
    return [
        {"speaker": speaker, "start": index * step, "end": (index + 1) * step, "text": text}
        for index, (speaker, text) in enumerate(lines)
    ]


@router.get("/{call_id}/transcript", **document_response(TranscriptOut))
async def get_transcript(account_id: AccountId, state: State, call_id: str) -> dict[str, Any]:
    """Where the call's transcript stands; its segments once ``completed``."""
    call, status = _progress(state, account_id, call_id)
    body: dict[str, Any] = {"status": status, "callId": call_id}
    if status == "pending":
        body["startedAt"] = timestamp(call["requested_at"])
    elif status == "completed":
        segments = _segments(call)
        body |= {"segmentCount": len(segments), "segments": segments}
    return body


@router.post(
    "/{call_id}/transcript",
    **document_response(
        TranscriptAcceptedOut,
        status_code=202,
        other_responses={
            409: {"model": ErrorBody, "description": "A transcript was already requested"}
        },
    ),
)
async def request_transcript(account_id: AccountId, state: State, call_id: str) -> dict[str, Any]:
    """Ask for the call's transcript (once); 400 if the call has no recording."""
    with state.db.transaction():
        call, status = _progress(state, account_id, call_id)
        if status != "not_requested":
            raise EmulatorError(409, f"Transcript of call {call_id} was already requested")
        if not has_recording(call):
            raise EmulatorError(400, f"Call {call_id} has no recording to transcribe")
        state.db.execute(
            "INSERT INTO call_media (call_id, transcript_requested_at) VALUES (?, ?)"
            " ON CONFLICT (call_id) DO UPDATE SET"
            " transcript_requested_at = excluded.transcript_requested_at",
            (call_id, now()),
        )
    return {"status": "pending", "callId": call_id}


@router.get("/{call_id}/summary", **document_response(SummaryOut))
async def get_summary(account_id: AccountId, state: State, call_id: str) -> dict[str, Any]:
    """The call's summary: made once its transcript is ``completed``."""
    call, status = _progress(state, account_id, call_id)
    body: dict[str, Any] = {"status": status, "callId": call_id}
    if status == "completed":
        body |= {
            "resultJson": {
                "summary": f"A {call_duration(call)} s call from {call['from_number']}"
                f" to {call['to_number']}; the caller was greeted and the call ended politely.",
                "speakers": 2,
                "sentiment": "neutral",
            },
            "provider": "emulator",
            "model": SUMMARY_MODEL,
            "promptVersion": "1",
            "schemaVersion": "1",
            "updatedAt": timestamp(call["requested_at"] + state.config.transcript_after),
        }
    return body
