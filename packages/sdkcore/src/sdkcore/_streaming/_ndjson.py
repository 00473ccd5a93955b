"""Newline-delimited JSON (NDJSON / JSON Lines), sans I/O."""

from __future__ import annotations

import json
from collections.abc import Callable
from json import JSONDecoder
from json.scanner import make_scanner
from typing import Any

from ._errors import IncompleteStreamError
from ._lines import LineDecoder

__all__ = ["NDJSONDecodeError", "NDJSONDecoder"]

# JSON's own insignificant whitespace; str.strip() would also eat e.g. U+00A0, turning an
# invalid line into a silently skipped one.
_JSON_WS = " \t\r\n"

# json's default decoder's scanner (C when available): ``_scan(text, index)`` returns the value
# starting at ``index`` and where it ends, or raises StopIteration if no value starts there.
_scan: Callable[[str, int], tuple[Any, int]] = make_scanner(JSONDecoder())  # type: ignore[arg-type]


class NDJSONDecodeError(ValueError):
    """A complete NDJSON line is not valid JSON.

    Attributes:
        line: The offending line, without its terminator.
    """

    line: str

    def __init__(self, message: str, line: str) -> None:
        super().__init__(message)
        self.line = line


class NDJSONDecoder:
    """Incremental NDJSON decoder: one JSON value per non-empty line.

    Whitespace-only lines are skipped. A complete line that is not JSON raises
    :class:`NDJSONDecodeError`, or yields ``None`` when ``lenient`` is true.

    At :meth:`close`, a final unterminated line is accepted if it parses as JSON; if it does not,
    it was most likely cut, and :class:`IncompleteStreamError` is raised (in lenient mode too).
    """

    def __init__(self, *, lenient: bool = False) -> None:
        self._lines = LineDecoder()
        self._lenient = lenient

    @property
    def lenient(self) -> bool:
        """Whether non-JSON lines decode to ``None`` instead of raising."""
        return self._lenient

    def feed(self, chunk: bytes) -> list[Any]:
        """Decode ``chunk`` and return the values of the lines it completes (possibly none).

        Raises:
            NDJSONDecodeError: a complete line is not JSON (strict mode only).
        """
        values: list[Any] = []
        append = values.append
        for line in self._lines.feed(chunk):
            # The scanner json.loads itself runs, minus its per-call Python layers; a line it
            # does not take whole (blank, padded, invalid) goes to json.loads for the exact rules.
            try:
                value, end = _scan(line, 0)
            except (StopIteration, ValueError):
                if line.strip(_JSON_WS):
                    append(self._parse(line))
                continue
            if end != len(line) and line[end:].strip(_JSON_WS):
                append(self._parse(line))
            else:
                append(value)
        return values

    def close(self) -> list[Any]:
        """End the stream and return the value of a final unterminated line, if any.

        Raises:
            IncompleteStreamError: the final unterminated line is not valid JSON.
        """
        values: list[Any] = []
        for line in self._lines.flush():
            if not line.strip(_JSON_WS):
                continue
            try:
                values.append(json.loads(line))
            except ValueError as exc:
                raise IncompleteStreamError(
                    "NDJSON stream ended in the middle of a line", line
                ) from exc
        return values

    def _parse(self, line: str) -> Any:
        try:
            return json.loads(line)
        except ValueError as exc:
            if self._lenient:
                return None
            raise NDJSONDecodeError(f"invalid JSON line: {exc}", line) from exc
