"""``/recordings/{call_id}``: the recording of an answered call, as a short WAV file.

Every call that was answered and has ended has one (PCM 16-bit mono 8 kHz, a tone as long
as the call, at most a second), made from the call's stored data so that it is the same on
every download and after a restart. Deleting one only records that it is gone.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from typing import Any

from fastapi import APIRouter, Response

from sdkcore.emulator import EmulatorError

from ._calls import find_call, has_recording
from ._deps import ACCOUNT_PREFIX, AccountId, State
from ._lifecycle import call_duration
from ._store import now

__all__ = ["router"]

SAMPLE_RATE = 8000
_TONE_HZ = 440.0
_MAX_SECONDS = 1.0
_MIN_SECONDS = 0.25

router = APIRouter(prefix=f"{ACCOUNT_PREFIX}/recordings", tags=["recordings"])


def _wav(call: dict[str, Any]) -> bytes:
    seconds = min(max(call_duration(call), _MIN_SECONDS), _MAX_SECONDS)
    frames = int(SAMPLE_RATE * seconds)
    samples = (
        int(8000 * math.sin(2 * math.pi * _TONE_HZ * index / SAMPLE_RATE))
        for index in range(frames)
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(struct.pack(f"<{frames}h", *samples))
    return buffer.getvalue()


@router.get(
    "/{call_id}",
    response_class=Response,
    responses={
        200: {
            "description": "The recording (WAV, PCM 16-bit mono 8 kHz)",
            "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def download_recording(account_id: AccountId, state: State, call_id: str) -> Response:
    """Download the recording of a call; 404 if the call has none (yet, or any more)."""
    call = find_call(state, account_id, call_id)
    if not has_recording(call):
        raise EmulatorError(404, f"Call {call_id} has no recording")
    return Response(
        _wav(call),
        media_type="audio/wav",
        headers={"Content-Disposition": f'attachment; filename="{call_id}.wav"'},
    )


@router.delete("/{call_id}", status_code=204)
async def delete_recording(account_id: AccountId, state: State, call_id: str) -> Response:
    """Delete the recording of a call; deleting one that is already gone succeeds too."""
    find_call(state, account_id, call_id)
    state.db.execute(
        "INSERT INTO call_media (call_id, recording_deleted_at) VALUES (?, ?)"
        " ON CONFLICT (call_id) DO UPDATE SET"
        " recording_deleted_at = COALESCE(recording_deleted_at, excluded.recording_deleted_at)",
        (call_id, now()),
    )
    return Response(status_code=204)
