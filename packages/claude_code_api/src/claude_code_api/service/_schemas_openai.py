"""The OpenAI wire's bodies: Chat Completions (a superset of the seed's chat request and
response, served on the one path) and the model list."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ._profiles import ToolName
from ._schemas import ChatResponse, Directory, MaxTokens, UsageBody, _integral, _Strict
from ._wire import MODEL_PATTERN, model_alias

__all__ = [
    "UNSUPPORTED_PARAMETERS",
    "ChatCompletion",
    "ChatCompletionRequest",
    "ChatMessage",
    "ModelEntry",
    "ModelId",
    "ModelList",
    "OpenAIError",
    "StopSequence",
    "TextPart",
]

UNSUPPORTED_PARAMETERS = frozenset(
    {
        "tools",
        "tool_choice",
        "functions",
        "function_call",
        "parallel_tool_calls",
        "logprobs",
        "top_logprobs",
        "logit_bias",
        "response_format",
        "audio",
        "modalities",
        "prediction",
        "web_search_options",
    }
)
"""OpenAI parameters this service does not implement: refused with 400 naming them."""


def _known_model(model: str | None) -> str | None:
    if model_alias(model) is None:
        raise ValueError(
            f"unknown model {model!r}: use a Claude model id (claude-sonnet-4-5, "
            "claude-haiku-4-5, claude-opus-4-1, dated ids) or haiku, sonnet, opus, auto"
        )
    return model


ModelId = Annotated[
    str,
    Field(min_length=1, max_length=200, json_schema_extra={"pattern": MODEL_PATTERN}),
    AfterValidator(_known_model),
]


StopSequence = Annotated[str, Field(min_length=1)]


class TextPart(_Strict):
    """A text content part."""

    type: Literal["text"]
    text: str = Field(min_length=1)


class ChatMessage(_Strict):
    """One message; `developer` is read as `system`, content parts are joined."""

    role: Literal["system", "developer", "user", "assistant"]
    content: Annotated[str, Field(min_length=1)] | Annotated[list[TextPart], Field(min_length=1)]
    name: str | None = Field(default=None, min_length=1, max_length=64)


class StreamOptions(_Strict):
    """`stream_options`: `include_usage` adds a last chunk carrying the usage."""

    include_usage: bool = False


class ChatCompletionRequest(_Strict):
    """`POST /v1/chat/completions`: the OpenAI request, plus the seed's `timeout`,
    `working_directory` and `allowed_tools`. `model` omitted or `auto` = routed."""

    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    model: ModelId | None = None
    timeout: float | None = Field(default=None, ge=1, le=300)
    max_tokens: MaxTokens | None = None
    max_completion_tokens: MaxTokens | None = None
    working_directory: Directory | None = None
    allowed_tools: list[ToolName] = Field(default_factory=list, max_length=50)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    stop: StopSequence | Annotated[list[StopSequence], Field(max_length=4)] | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256)
    # One choice only; the schema says so, the handler refuses more with OpenAI's 400.
    n: (
        Annotated[int, Field(ge=1, json_schema_extra={"maximum": 1}), BeforeValidator(_integral)]
        | None
    ) = None


class ChatCompletionMessage(BaseModel):
    """The assistant's answer."""

    role: Literal["assistant"]
    content: str
    refusal: None = None


class Choice(BaseModel):
    """The one choice of a completion."""

    index: int
    message: ChatCompletionMessage
    finish_reason: Literal["stop", "length"]
    logprobs: None = None


class CompletionUsage(UsageBody):
    """Tokens under both wires' names."""

    prompt_tokens: int
    completion_tokens: int


class ChatCompletion(ChatResponse):
    """A completion as OpenAI describes it (`object`, `created`, `choices`, `usage.prompt_
    tokens`...) and as the seed does (`content`, `cost`, `project_id`, `usage.input_tokens`...);
    `model` is `<engine>:<model>`."""

    object: Literal["chat.completion"]
    created: int
    choices: list[Choice]
    usage: CompletionUsage


class ModelEntry(BaseModel):
    """A model, with OpenAI's and Anthropic's fields."""

    id: str
    object: Literal["model"]
    created: int
    owned_by: str
    type: Literal["model"]
    display_name: str
    created_at: str


class ModelList(BaseModel):
    """`GET /v1/models`, readable by the openai and the anthropic SDK."""

    object: Literal["list"]
    data: list[ModelEntry]
    has_more: bool
    first_id: str | None
    last_id: str | None


class OpenAIErrorDetail(BaseModel):
    """What went wrong."""

    message: str
    type: str
    code: str | None
    param: str | None = None


class OpenAIError(BaseModel):
    """An error on the OpenAI surface: OpenAI's `error` object beside the seed's `detail`."""

    model_config = ConfigDict(extra="allow")

    error: OpenAIErrorDetail
    detail: Any = None
