"""Prices of the model aliases, shared by the engines (cost of a run) and the service (budgets).

The figures are the spec's table, in USD per million tokens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._base import ModelAlias


@dataclass(frozen=True)
class Price:
    """USD per million input and per million output tokens."""

    input_per_million: float
    output_per_million: float


PRICES: Mapping[ModelAlias, Price] = {
    "haiku": Price(0.25, 1.25),
    "sonnet": Price(3.00, 15.00),
    "opus": Price(15.00, 75.00),
}
"""Model alias -> price."""


def cost_usd(model: ModelAlias, input_tokens: int, output_tokens: int) -> float:
    """The cost in USD of `input_tokens` and `output_tokens` on `model`."""
    price = PRICES[model]
    return (
        input_tokens * price.input_per_million + output_tokens * price.output_per_million
    ) / 1_000_000
