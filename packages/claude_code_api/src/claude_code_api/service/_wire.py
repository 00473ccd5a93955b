"""What the OpenAI and Anthropic wires share: Claude model ids, stop sequences, the model
list and a message's text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from .engines import Engine

__all__ = [
    "MODEL_CREATED",
    "MODEL_PATTERN",
    "StopScanner",
    "cut_at_stop",
    "model_alias",
    "model_entries",
    "output_limited",
    "text_of",
]

# The listed models' `created` (2025-09-29T00:00:00Z): a fixed date keeps the list stable.
MODEL_CREATED = 1_759_104_000
_CLAUDE_ID = re.compile(r"claude-(?:[0-9][0-9.-]*-)?(haiku|sonnet|opus)(?:-[a-z0-9][a-z0-9.-]*)?")
MODEL_PATTERN = rf"^(?:auto|haiku|sonnet|opus|{_CLAUDE_ID.pattern})$"
"""Every model id the wires accept, as a JSON Schema pattern."""
_ALIASES = ("auto", "haiku", "sonnet", "opus")


def model_alias(model: str | None) -> Literal["auto", "haiku", "sonnet", "opus"] | None:
    """The service's model for a requested one: our aliases as they are, a Claude model id
    (`claude-sonnet-4-5`, `claude-3-5-haiku-20241022`, `claude-opus-4-1-20250805`...) by its
    family; None when it is neither."""
    if model is None or model == "auto":
        return "auto"
    if model in ("haiku", "sonnet", "opus"):
        return model  # type: ignore[return-value]
    match = _CLAUDE_ID.fullmatch(model)
    return match.group(1) if match else None  # type: ignore[return-value]


def model_entries(engine: Engine) -> list[dict[str, Any]]:
    """What `GET /v1/models` lists: our aliases, then the engine's own model ids where it maps
    aliases to them. Each entry carries both wires' fields (OpenAI `object`/`created`/
    `owned_by`, Anthropic `type`/`display_name`/`created_at`)."""
    mapped = getattr(engine, "models", None)
    ids: list[str] = list(_ALIASES)
    if isinstance(mapped, Mapping):
        ids += [str(value) for value in mapped.values() if str(value) not in ids]
    return [model_entry(model, engine) for model in ids]


def model_entry(model: str, engine: Engine) -> dict[str, Any]:
    """One model as both wires describe it."""
    return {
        "id": model,
        "object": "model",
        "created": MODEL_CREATED,
        "owned_by": engine.name,
        "type": "model",
        "display_name": model,
        "created_at": "2025-09-29T00:00:00Z",
    }


def cut_at_stop(text: str, stops: Sequence[str]) -> tuple[str, str | None]:
    """`text` up to the earliest stop sequence in it, and that sequence (None if none)."""
    best: tuple[int, str] | None = None
    for stop in stops:
        at = text.find(stop)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, stop)
    return (text, None) if best is None else (text[: best[0]], best[1])


class StopScanner:
    """Cuts streamed text at the first stop sequence, holding back just enough of the text
    to see a sequence that arrives split across deltas."""

    def __init__(self, stops: Sequence[str]) -> None:
        self.stops = [stop for stop in stops if stop]
        self.held = ""
        self.stopped: str | None = None
        self._hold = max((len(stop) for stop in self.stops), default=1) - 1

    def feed(self, text: str) -> str:
        """The part of `text` that may be sent now ("" once a stop sequence was seen)."""
        if self.stopped is not None:
            return ""
        if not self.stops:
            return text
        self.held += text
        cut, self.stopped = cut_at_stop(self.held, self.stops)
        if self.stopped is not None:
            self.held = ""
            return cut
        ready = len(self.held) - self._hold
        if ready <= 0:
            return ""
        out, self.held = self.held[:ready], self.held[ready:]
        return out

    def flush(self) -> str:
        """What is still held back at the end of the text."""
        out, self.held = ("" if self.stopped is not None else self.held), ""
        return out


def output_limited(output_tokens: int, max_tokens: int | None) -> bool:
    """Whether an answer ended because it reached `max_tokens`."""
    return max_tokens is not None and output_tokens >= max_tokens


def text_of(content: str | list[Any]) -> str:
    """A message's text: a string as it is, a list of text parts joined by newlines."""
    return content if isinstance(content, str) else "\n".join(part.text for part in content)
