"""Recordings, transcripts and summaries of finished calls, over loopback, on both faces."""

from __future__ import annotations

import asyncio
import struct
import time
from pathlib import Path
from typing import Any

import pytest
from clawops_core_helpers import FROM, afinished_call, finished_call

from clawops import (
    APIConnectionError,
    AsyncClawOps,
    BadRequestError,
    ClawOps,
    ConflictError,
    NotFoundError,
)
from clawops.emulator import ClawOpsEmulator


def _check_wav(data: bytes) -> None:
    assert data[:4] == b"RIFF"
    assert data[8:16] == b"WAVEfmt "
    channels, rate = struct.unpack("<HI", data[22:28])
    bits = struct.unpack("<H", data[34:36])[0]
    assert (channels, rate, bits) == (1, 8000, 16)
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    assert len(data) > 44


def test_download_and_delete_recording(client: ClawOps, emulator: ClawOpsEmulator) -> None:
    call = finished_call(client)
    assert call.recording_url == f"/v1/accounts/{emulator.account_id}/recordings/{call.call_id}"
    recording = client.recordings.download(call.call_id)
    assert recording.content_type == "audio/wav"
    assert recording.filename == f"{call.call_id}.wav"
    _check_wav(recording.data)
    assert "RIFF" not in repr(recording)
    assert client.recordings.download(call.call_id).data == recording.data
    raw = client.recordings.with_raw_response.download(call.call_id)
    assert raw.headers["content-type"] == "audio/wav"
    assert raw.parse().data == recording.data
    client.recordings.delete(call.call_id)
    client.recordings.delete(call.call_id)  # already gone: still fine
    with pytest.raises(NotFoundError, match="has no recording"):
        client.recordings.download(call.call_id)
    assert client.calls.get(call.call_id).recording_url is None
    assert emulator.journal.last().method == "GET"


def test_no_recording_before_the_call_ends(client: ClawOps) -> None:
    call = client.calls.create(to="01012345678", from_=FROM, url="https://my-app.com/twiml")
    assert call.recording_url is None
    with pytest.raises(NotFoundError):
        client.recordings.download(call.call_id)
    with pytest.raises(BadRequestError, match="no recording"):
        client.calls.request_transcript(call.call_id)
    with pytest.raises(NotFoundError):
        client.recordings.delete("CA_missing")


def test_transcript_and_summary_on_request(client: ClawOps) -> None:
    call = finished_call(client)
    assert client.calls.get_transcript(call.call_id).status == "not_requested"
    assert client.calls.get_summary(call.call_id).status == "not_requested"
    accepted = client.calls.request_transcript(call.call_id)
    assert (accepted.status, accepted.call_id) == ("pending", call.call_id)
    pending = client.calls.get_transcript(call.call_id)
    assert pending.status == "pending"
    assert pending.started_at is not None
    assert client.calls.get_summary(call.call_id).status == "pending"
    with pytest.raises(ConflictError, match="already requested"):
        client.calls.request_transcript(call.call_id)
    deadline = time.monotonic() + 10
    while (transcript := client.calls.get_transcript(call.call_id)).status != "completed":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert transcript.segments is not None
    assert transcript.segment_count == len(transcript.segments) == 3
    assert [s.speaker for s in transcript.segments] == ["speaker_0", "speaker_1", "speaker_0"]
    assert FROM in transcript.segments[1].text
    summary = client.calls.get_summary(call.call_id)
    assert summary.status == "completed"
    assert summary.result_json is not None
    assert FROM in summary.result_json["summary"]
    assert summary.provider == "emulator"
    assert summary.updated_at is not None
    # Deleting the recording keeps the transcript made from it.
    client.recordings.delete(call.call_id)
    assert client.calls.get_transcript(call.call_id).status == "completed"


def test_unknown_call_and_bad_ids(client: ClawOps) -> None:
    with pytest.raises(NotFoundError):
        client.calls.get_transcript("CA_missing")
    with pytest.raises(NotFoundError):
        client.calls.get_summary("CA_missing")
    with pytest.raises(ValueError, match="call_id"):
        client.recordings.download("..")


async def test_async_recording_transcript_summary(aclient: AsyncClawOps) -> None:
    call = await afinished_call(aclient)
    recording = await aclient.recordings.download(call.call_id)
    _check_wav(recording.data)
    assert (recording.content_type, recording.filename) == ("audio/wav", f"{call.call_id}.wav")
    accepted = await aclient.calls.request_transcript(call.call_id)
    assert accepted.status == "pending"
    deadline = time.monotonic() + 10
    while (await aclient.calls.get_summary(call.call_id)).status != "completed":
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    transcript = await aclient.calls.get_transcript(call.call_id)
    assert transcript.status == "completed"
    assert transcript.segment_count == 3
    await aclient.recordings.delete(call.call_id)
    with pytest.raises(NotFoundError):
        await aclient.recordings.download(call.call_id)


def test_recording_survives_a_restart(tmp_path: Path) -> None:
    options: dict[str, Any] = {
        "db": str(tmp_path / "state.sqlite3"),
        "ring_after": 0.0,
        "answer_after": 0.0,
        "call_duration": 0.1,
        "transcript_after": 0.0,
    }
    with ClawOpsEmulator(**options) as emu, ClawOps(**emu.client_kwargs()) as c:
        call = finished_call(c)
        first = c.recordings.download(call.call_id).data
        c.calls.request_transcript(call.call_id)
    with ClawOpsEmulator(**options) as emu, ClawOps(**emu.client_kwargs()) as c:
        assert c.recordings.download(call.call_id).data == first
        assert c.calls.get_transcript(call.call_id).status == "completed"


def test_transcript_request_is_not_repeated_after_a_reset(
    client: ClawOps, emulator: ClawOpsEmulator
) -> None:
    call = finished_call(client)
    emulator.journal.clear()
    # The server accepts the request, then the connection drops before the answer: retrying
    # would bill a second transcript (the API refuses it with 409, so the caller would see a
    # conflict for a request that worked).
    with pytest.raises(APIConnectionError):
        client.calls.request_transcript(
            call.call_id, extra_headers={"X-Emulator-Fault": "reset;processed=1;times=1"}
        )
    posts = [e for e in emulator.journal.entries if e.method == "POST"]
    assert [e.path for e in posts] == [f"/v1/accounts/AC1a2b3c4d/calls/{call.call_id}/transcript"]
    assert client.calls.get_transcript(call.call_id).status in ("pending", "completed")
    with pytest.raises(ConflictError):
        client.calls.request_transcript(call.call_id)
