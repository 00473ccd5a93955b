"""Prices, cost arithmetic and the `auto` routing rule.

Costs are integer nano-dollars (1e-9 USD) so that totals over any number of requests are exact;
prices are the spec's, in USD per million tokens (= nano-dollars per token).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .engines import ModelAlias
from .engines._pricing import PRICES as ENGINE_PRICES

__all__ = [
    "LOW_BUDGET_NANOS",
    "PRICES",
    "Route",
    "cost_nanos",
    "estimate_tokens",
    "nanos_to_usd",
    "route",
    "usd_to_nanos",
]

PRICES: dict[ModelAlias, tuple[int, int]] = {
    model: (round(price.input_per_million * 1_000), round(price.output_per_million * 1_000))
    for model, price in ENGINE_PRICES.items()
}
"""Nano-dollars per input token and per output token: the engines' table (USD per million
tokens) in the unit budgets are kept in, so totals stay exact."""

LOW_BUDGET_NANOS = 100_000_000
"""Below USD 0.10 left in the month's budget, `auto` picks haiku."""

_LONG_CONTEXT = 10_000
_SHORT_PROMPT = 100
_SIMPLE = ("list", "format", "count", "show", "get", "create", "add")
_COMPLEX = (
    "analyze",
    "architect",
    "debug",
    "design",
    "implement",
    "optimize",
    "refactor",
    "review",
    "test",
    "diagnose",
    "strategy",
)


def cost_nanos(model: ModelAlias, input_tokens: int, output_tokens: int) -> int:
    """The price of a request in nano-dollars."""
    per_input, per_output = PRICES[model]
    return input_tokens * per_input + output_tokens * per_output


def usd_to_nanos(usd: float) -> int:
    """USD as nano-dollars (rounded)."""
    return round(usd * 1_000_000_000)


def nanos_to_usd(nanos: int) -> float:
    """Nano-dollars as USD."""
    return nanos / 1_000_000_000


def estimate_tokens(text: str) -> int:
    """A rough token count (4 characters a token), used for budgets before anything runs."""
    return max(1, math.ceil(len(text) / 4))


@dataclass(frozen=True)
class Route:
    """What `auto` picked, and why."""

    model: ModelAlias
    reasoning: str


def route(prompt: str, context_size: int, remaining_nanos: int | None) -> Route:
    """The upstream rule, in order: low budget -> haiku; long context -> opus; a short prompt
    with a simple keyword -> haiku; a complex keyword -> sonnet; otherwise sonnet."""
    if remaining_nanos is not None and remaining_nanos < LOW_BUDGET_NANOS:
        return Route("haiku", "remaining budget below USD 0.10: cheapest model")
    if context_size > _LONG_CONTEXT:
        return Route("opus", f"context of {context_size} tokens exceeds {_LONG_CONTEXT}")
    words = prompt.lower()
    if len(prompt) < _SHORT_PROMPT and any(word in words for word in _SIMPLE):
        return Route("haiku", "short prompt with a simple keyword")
    if any(word in words for word in _COMPLEX):
        return Route("sonnet", "complex keyword: balanced model")
    return Route("sonnet", "default model")
