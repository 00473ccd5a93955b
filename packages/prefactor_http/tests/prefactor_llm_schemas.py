"""The payload schemas of the ``agent:llm`` span type the seed's examples define, shared by the
tests and by the scripts the public packages run. Those run in venvs of their own, where this
folder is on the path (it holds the script) but our packages are not: plain data only."""

from __future__ import annotations

from typing import Any

LLM_PARAMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"model": {"type": "string"}, "prompt": {"type": "string"}},
    "required": ["model", "prompt"],
}
"""What an ``agent:llm`` span's ``payload`` holds: the model and the prompt."""

LLM_RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"response": {"type": "string"}},
}
"""What an ``agent:llm`` span's ``result_payload`` holds: the response."""
