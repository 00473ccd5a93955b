"""Stream decoding, in process: sdkcore's SSE and NDJSON decoders against what a user would
otherwise run, on the same bytes fed in 1 KiB chunks.

SSE baselines are httpx-sse's public ``EventSource.iter_sse`` (given the chunks as text, as
httpx's ``iter_text`` would) and its two decoders driven by a bare loop (no generators). NDJSON's
baseline is the obvious user code: ``json.loads`` on every line of ``sdkcore.iter_lines``.

``python -m bench.streaming`` runs this suite alone, at full size.
"""

from __future__ import annotations

import codecs
import gc
import json
import random
import time
from collections.abc import Callable, Iterator
from functools import cache

import httpx_sse
from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from sdkcore._streaming import iter_lines, iter_ndjson, iter_sse

from .harness import Plan, Row, Section, Settings, Workload

EVENTS = 100_000
CHUNK = 1024
_WORDS = ("Hello", " world", ",", " the", " quick", " brown", " fox", " über", " 日本", "\n")


def _chunk(raw: bytes) -> list[bytes]:
    return [raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK)]


def _completion_chunk(word: str) -> str:
    payload = {
        "id": "chatcmpl-AbC123xyz",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": word}}],
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


@cache
def openai_stream(events: int) -> list[bytes]:
    """OpenAI-style ``data:`` frames; as real servers add, an ``id`` on every 10th, an
    ``event`` on every 25th and a keep-alive comment before every 50th."""
    words = random.Random(7)
    frames = [": connected\n\n"]
    for i in range(events):
        frame = ": keep-alive\n\n" if i % 50 == 0 else ""
        frame += f"id: {i}\n" if i % 10 == 0 else ""
        frame += "event: completion\n" if i % 25 == 0 else ""
        frames.append(f"{frame}data: {_completion_chunk(words.choice(_WORDS))}\n\n")
    return _chunk("".join(frames).encode())


@cache
def openai_wire_stream(events: int) -> list[bytes]:
    """What api.openai.com sends: bare ``data:`` frames, no ``id``, ``event`` or comments."""
    words = random.Random(7)
    frames = (f"data: {_completion_chunk(words.choice(_WORDS))}\n\n" for _ in range(events))
    return _chunk("".join(frames).encode())


@cache
def anthropic_stream(events: int) -> list[bytes]:
    """Anthropic-style frames: an ``event`` line before every ``data`` line."""
    words = random.Random(7)
    frames = [
        "event: content_block_delta\ndata: "
        + json.dumps(
            {"type": "content_block_delta", "index": 0, "delta": {"text": words.choice(_WORDS)}},
            ensure_ascii=False,
        )
        + "\n\n"
        for _ in range(events)
    ]
    return _chunk("".join(frames).encode())


@cache
def ndjson_stream(events: int) -> list[bytes]:
    """One chat-completion chunk object per line."""
    words = random.Random(7)
    lines = [_completion_chunk(words.choice(_WORDS)) + "\n" for _ in range(events)]
    return _chunk("".join(lines).encode())


class _TextBody:
    """What ``EventSource`` reads from an ``httpx.Response``: the text of the chunks, decoded
    as httpx decodes it, without the HTTP machinery around it."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.headers = {"content-type": "text/event-stream"}
        self._chunks = chunks

    def iter_text(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        for chunk in self._chunks:
            yield decoder.decode(chunk)


def _sdkcore_sse(stream: Callable[[int], list[bytes]]) -> Workload:
    def run(n: int) -> None:
        for _ in iter_sse(stream(n)):
            pass

    return run


def _httpx_sse(stream: Callable[[int], list[bytes]]) -> Workload:
    def run(n: int) -> None:
        body = _TextBody(stream(n))
        for _ in httpx_sse.EventSource(body).iter_sse():  # type: ignore[arg-type]
            pass

    return run


def _httpx_sse_decoders(stream: Callable[[int], list[bytes]]) -> Workload:
    def run(n: int) -> None:
        text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        lines, events = SSELineDecoder(), SSEDecoder()
        for chunk in stream(n):
            for line in lines.decode(text.decode(chunk)):
                events.decode(line)
        for line in lines.flush():
            events.decode(line)

    return run


def _sdkcore_ndjson(n: int) -> None:
    for _ in iter_ndjson(ndjson_stream(n)):
        pass


def _json_loads_per_line(n: int) -> None:
    for line in iter_lines(ndjson_stream(n)):
        if line.strip():
            json.loads(line)


def _cpu_rounds(contenders: dict[str, Workload], plan: Plan) -> dict[str, list[float]]:
    """CPU seconds of each contender per round, in an order rotating every round.

    Process CPU time, not wall time: these rows are single-threaded and CPU-bound, and CPU
    time leaves out the time other processes on a busy machine hold the cores.
    """
    for workload in contenders.values():
        workload(plan.warmup)
    names = list(contenders)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(plan.rounds):
        if round_ and time.monotonic() > plan.deadline:
            break
        for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
            gc.collect()
            started = time.process_time()
            contenders[name](plan.n)
            seconds[name].append(time.process_time() - started)
    return seconds


def _rows(benchmark: str, contenders: dict[str, Workload], plan: Plan, sdk: str) -> list[Row]:
    seconds = _cpu_rounds(contenders, plan)
    return [
        Row(benchmark, plan.n, sdk, name, seconds[sdk], seconds[name])
        for name in contenders
        if name != sdk
    ]


def streaming_rows(plan: Plan) -> list[Row]:
    """SSE (two stream shapes, two httpx-sse baselines each) and NDJSON rows; ``plan.n`` is
    the number of events per round."""
    streams = (
        ("openai-style", openai_stream),
        ("OpenAI wire", openai_wire_stream),
        ("anthropic-style", anthropic_stream),
    )
    for build in (openai_stream, openai_wire_stream, anthropic_stream, ndjson_stream):
        # Built (and cached) now, so that no contender's clock includes it.
        build(plan.warmup)
        build(plan.n)
    rows: list[Row] = []
    for shape, stream in streams:
        contenders = {
            "sdkcore.iter_sse": _sdkcore_sse(stream),
            "httpx-sse EventSource": _httpx_sse(stream),
            "httpx-sse decoders": _httpx_sse_decoders(stream),
        }
        rows += _rows(f"SSE {shape}, {CHUNK} B chunks", contenders, plan, "sdkcore.iter_sse")
    rows += _rows(
        f"NDJSON, {CHUNK} B chunks",
        {"sdkcore.iter_ndjson": _sdkcore_ndjson, "json.loads per line": _json_loads_per_line},
        plan,
        "sdkcore.iter_ndjson",
    )
    return rows


def suite(settings: Settings) -> list[Section]:
    """The streaming rows, CPU time per round; ``n`` is the number of events per round."""
    plan = Plan(
        n=settings.pick(EVENTS, 30_000),
        rounds=settings.pick(7, 5),
        warmup=2000,
        deadline=settings.deadline,
    )
    return [
        Section(
            title="stream decoding, in process (CPU seconds)",
            rows=streaming_rows(plan),
            notes=[
                "Process CPU time per round, not wall time: single-threaded and CPU-bound rows, "
                f"on the same bytes fed in {CHUNK} B chunks."
            ],
        )
    ]


def main() -> None:
    """Run the streaming suite alone and print it with the spread of the paired ratios."""
    from . import report

    sections = suite(Settings())
    print(report.text(sections))
    for row in sections[0].rows:
        ratios = sorted(b / s for s, b in zip(row.sdk_rounds, row.baseline_rounds, strict=True))
        best = min(row.baseline_rounds) / min(row.sdk_rounds)
        print(
            f"{row.benchmark} vs {row.baseline}: sdkcore {1 / row.paired_ratio:.2f}x as fast "
            f"(median of rounds; per round {ratios[0]:.2f}-{ratios[-1]:.2f}x; best {best:.2f}x)"
        )


if __name__ == "__main__":
    main()
