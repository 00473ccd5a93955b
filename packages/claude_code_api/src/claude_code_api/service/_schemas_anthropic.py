"""The Anthropic wire's bodies: Messages, token counting and the error object."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from ._schemas import MaxTokens, _integral, _Strict
from ._schemas_openai import ModelId, StopSequence

__all__ = [
    "UNSUPPORTED_FIELDS",
    "AnthropicError",
    "AnthropicMessage",
    "CountTokensRequest",
    "MessageResponse",
    "MessagesRequest",
    "TextBlock",
    "TokenCount",
]

UNSUPPORTED_FIELDS = frozenset(
    {"tools", "tool_choice", "thinking", "mcp_servers", "container", "context_management"}
)
"""Messages fields this service does not implement: refused with 400 naming them."""


class TextBlock(_Strict):
    """A text content block (the only kind this service reads)."""

    type: Literal["text"]
    text: str = Field(min_length=1)


Content = Annotated[str, Field(min_length=1)] | Annotated[list[TextBlock], Field(min_length=1)]


class AnthropicMessage(_Strict):
    """One turn of the conversation."""

    role: Literal["user", "assistant"]
    content: Content


class Metadata(_Strict):
    """`metadata`: who the end user is (kept for nothing but accepted)."""

    user_id: str | None = Field(default=None, max_length=256)


class CountTokensRequest(_Strict):
    """`POST /v1/messages/count_tokens`."""

    model: ModelId
    # 99: with `system` the seed's conversation (at most 100 messages) has one more.
    messages: list[AnthropicMessage] = Field(min_length=1, max_length=99)
    system: Content | None = None


class MessagesRequest(CountTokensRequest):
    """`POST /v1/messages`: `model` is a Claude model id or one of our aliases."""

    max_tokens: MaxTokens
    stop_sequences: list[StopSequence] | None = Field(default=None, max_length=8)
    temperature: float | None = Field(default=None, ge=0, le=1)
    top_p: float | None = Field(default=None, ge=0, le=1)
    top_k: Annotated[int, Field(ge=0), BeforeValidator(_integral)] | None = None
    metadata: Metadata | None = None
    stream: bool | None = None


class TextOut(BaseModel):
    """Answer text."""

    type: Literal["text"]
    text: str


class MessageUsage(BaseModel):
    """Tokens of one message."""

    input_tokens: int
    output_tokens: int


class MessageResponse(BaseModel):
    """The assistant's message; `model` echoes the requested one."""

    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    content: list[TextOut]
    model: str
    stop_reason: Literal["end_turn", "max_tokens", "stop_sequence"]
    stop_sequence: str | None
    usage: MessageUsage


class TokenCount(BaseModel):
    """The prompt's tokens, as the service estimates them for budgets."""

    input_tokens: int


class AnthropicErrorDetail(BaseModel):
    """What went wrong."""

    type: str
    message: str


class AnthropicError(BaseModel):
    """Every error on the Anthropic surface."""

    type: Literal["error"]
    error: AnthropicErrorDetail
