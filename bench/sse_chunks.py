"""SSE decoding cost per event by chunk size: ``python -m bench.sse_chunks``.

The profile behind the README's note on the OpenAI-style mix: sdkcore's decoder does a fixed
amount of Python work per chunk (decoding, the splits' setup, the calls) besides its work per
event, which is C string splitting and one tuple per event; httpx-sse's work is per line. So
sdkcore's lead grows with the chunk size, and at the suite's 1 KiB a large share of its time is
per chunk. Same bytes, same contenders and same CPU-time rounds as `bench.streaming`.
"""

from __future__ import annotations

import statistics

from .harness import Plan
from .report import text_table
from .streaming import _cpu_rounds, _httpx_sse, _httpx_sse_decoders, _sdkcore_sse, openai_stream

EVENTS = 50_000
SIZES = (64, 256, 1024, 4096, 16384, 65536)


def main() -> None:
    """Print µs per event of each contender, and sdkcore's speed-ups, at each chunk size."""
    raw = b"".join(openai_stream(EVENTS))
    body = []
    for size in SIZES:
        chunks = [raw[i : i + size] for i in range(0, len(raw), size)]

        def stream(n: int, chunks: list[bytes] = chunks) -> list[bytes]:
            return chunks

        contenders = {
            "sdkcore": _sdkcore_sse(stream),
            "EventSource": _httpx_sse(stream),
            "decoders": _httpx_sse_decoders(stream),
        }
        plan = Plan(n=EVENTS, rounds=5, warmup=EVENTS, deadline=float("inf"))
        us = {
            k: statistics.median(v) / EVENTS * 1e6 for k, v in _cpu_rounds(contenders, plan).items()
        }
        body.append(
            (
                f"{size:,} B",
                *(f"{us[name]:.2f}" for name in contenders),
                f"{us['EventSource'] / us['sdkcore']:.2f}x",
                f"{us['decoders'] / us['sdkcore']:.2f}x",
            )
        )
    columns = (
        "chunk",
        "sdkcore us/event",
        "EventSource us/event",
        "decoders us/event",
        "vs EventSource",
        "vs decoders",
    )
    print(f"OpenAI-style mix, {EVENTS:,} events, CPU time, median of 5 rounds")
    print(text_table(columns, body, 1))


if __name__ == "__main__":
    main()
