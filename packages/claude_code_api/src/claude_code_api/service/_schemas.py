"""Request and response bodies of the service (they are also its OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ._profiles import AgentName, SkillName, ToolName

__all__ = [
    "BatchItem",
    "BatchRequest",
    "BatchResponse",
    "BatchResult",
    "ChatRequest",
    "ChatResponse",
    "Directory",
    "ErrorBody",
    "Message",
    "ModelName",
    "ModelUsage",
    "RouteRequest",
    "RouteResponse",
    "TaskRequest",
    "TaskResponse",
    "UsageBody",
    "UsageResponse",
]

ModelName = Literal["auto", "haiku", "sonnet", "opus"]


def _integral(value: Any) -> Any:
    # JSON Schema counts 3.0 as an integer; the strict models would refuse it.
    return int(value) if isinstance(value, float) and value.is_integer() else value


MaxTokens = Annotated[int, Field(ge=1, le=200_000), BeforeValidator(_integral)]
ContextSize = Annotated[int, Field(ge=0, le=10_000_000), BeforeValidator(_integral)]
_Name = Field(min_length=1, max_length=100)
# A path the OS can take: no NUL character (which `Path.resolve` refuses with ValueError).
Directory = Annotated[str, Field(min_length=1, max_length=4096, pattern=r"^[^\x00]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Message(_Strict):
    """One message of a conversation."""

    role: Literal["user", "assistant", "system"]
    content: str = Field(min_length=1)


class ChatRequest(_Strict):
    """`POST /v1/chat/completions` and `POST /v1/stream`: `model` omitted or `auto` = routed."""

    messages: list[Message] = Field(min_length=1, max_length=100)
    model: ModelName | None = None
    timeout: float | None = Field(default=None, ge=1, le=300)
    max_tokens: MaxTokens | None = None
    working_directory: Directory | None = None
    allowed_tools: list[ToolName] = Field(default_factory=list, max_length=50)


class UsageBody(BaseModel):
    """Tokens of one completion."""

    input_tokens: int
    output_tokens: int
    total_tokens: int


class ChatResponse(BaseModel):
    """A completion; `model` is `<engine>:<model>`, `cost` in USD."""

    id: str
    model: str
    content: str
    usage: UsageBody
    cost: float
    project_id: str


class BatchItem(_Strict):
    """One prompt of a batch."""

    prompt: str = Field(min_length=1)
    id: str | None = Field(default=None, min_length=1, max_length=100)


class BatchRequest(_Strict):
    """`POST /v1/batch`: up to 100 prompts, run concurrently unless `parallel` is false."""

    prompts: list[BatchItem] = Field(min_length=1, max_length=100)
    model: ModelName | None = None
    timeout: float | None = Field(default=None, ge=1, le=300)
    parallel: bool = True


class BatchResult(BaseModel):
    """One prompt's outcome."""

    id: str
    prompt: str
    status: Literal["completed", "failed"]
    content: str | None = None
    usage: UsageBody | None = None
    cost: float | None = None
    error: str | None = None
    model: str | None = None


class BatchResponse(BaseModel):
    """Every prompt's outcome, in input order, with totals."""

    total: int
    completed: int
    failed: int
    results: list[BatchResult]
    total_cost: float
    total_tokens: int


class ModelUsage(BaseModel):
    """One model's share of a period's usage."""

    tokens: int
    cost: float
    requests: int


class UsageResponse(BaseModel):
    """`GET /v1/usage`: a project's usage this period; budget `limit`/`remaining` in USD."""

    project_id: str
    period: Literal["day", "week", "month"]
    total_tokens: int
    total_cost: float
    total_requests: int
    by_model: dict[str, ModelUsage]
    limit: float | None
    remaining: float | None


class RouteRequest(_Strict):
    """`POST /v1/route`."""

    prompt: str = Field(min_length=1)
    context_size: ContextSize = 0


class RouteResponse(BaseModel):
    """The model `auto` would choose."""

    recommended_model: Literal["haiku", "sonnet", "opus"]
    reasoning: str
    budget_status: str


class TaskRequest(_Strict):
    """`POST /v1/task`: an agentic task with tools, agents, skills and limits."""

    description: str = Field(min_length=1)
    allow_tools: list[ToolName] = Field(default_factory=list, max_length=50)
    allow_agents: list[AgentName] = Field(default_factory=list, max_length=50)
    allow_skills: list[SkillName] = Field(default_factory=list, max_length=50)
    timeout: float = Field(default=300, ge=1, le=3600)
    max_cost: float | None = Field(default=None, gt=0, le=1000)
    working_directory: Directory | None = None
    model: ModelName | None = None


class TaskResponse(BaseModel):
    """A finished task (`status` "completed"); stopped or failed tasks carry the same fields
    in their error body."""

    model_config = ConfigDict(extra="allow")

    id: str
    status: str
    model: str
    result: dict[str, Any]
    artifacts: list[dict[str, Any]]
    execution_log: list[dict[str, Any]]
    usage: dict[str, Any]
    project_id: str
    working_directory: str


class ErrorBody(BaseModel):
    """Every error: `detail` says why; budget errors add `estimated_cost` and `remaining`,
    stopped tasks add their partial result."""

    model_config = ConfigDict(extra="allow")

    detail: Any
