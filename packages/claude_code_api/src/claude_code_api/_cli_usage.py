"""`claude-api usage` and `claude-api budget`: what projects spent and may spend."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
from rich.table import Table

from ._cli_shared import Db, console, fail, print_json
from .service._admin import Admin

__all__ = ["budget_app", "usage"]

budget_app = typer.Typer(help="Monthly budgets of projects.", no_args_is_help=True)


def usage(
    project_id: Annotated[str, typer.Option("--project-id", "-p")] = "default",
    period: Annotated[Literal["day", "week", "month"], typer.Option()] = "month",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: Db = None,
) -> None:
    """Usage of a project over a period, by model."""
    stats = Admin(db).usage(project_id, period)
    if as_json:
        print_json(stats)
        return
    table = Table(title=f"Usage of {project_id} this {period}")
    for column in ("model", "requests", "tokens", "cost (USD)"):
        table.add_column(column, justify="right")
    for model, row in stats["by_model"].items():
        table.add_row(model, str(row["requests"]), f"{row['tokens']:,}", f"{row['cost']:.6f}")
    table.add_row(
        "total",
        str(stats["total_requests"]),
        f"{stats['total_tokens']:,}",
        f"{stats['total_cost']:.6f}",
        style="bold",
    )
    console.print(table)
    if stats["limit"] is not None:
        console.print(f"Budget: {stats['remaining']:.4f} of {stats['limit']:.4f} USD left")


@budget_app.command("set")
def budget_set(
    project_id: Annotated[str, typer.Argument()],
    usd: Annotated[str, typer.Argument(help="Monthly limit in USD, or 'none' for unlimited.")],
    db: Db = None,
) -> None:
    """Set a project's monthly budget."""
    try:
        limit = None if usd.lower() == "none" else float(usd)
    except ValueError:
        raise fail(f"USD must be a number or 'none', got {usd!r}", 2) from None
    if limit is not None and limit < 0:
        raise fail("USD must be >= 0", 2)
    Admin(db).set_budget(project_id, limit)
    shown = "unlimited" if limit is None else f"{limit:.2f} USD a month"
    console.print(f"Budget of {project_id}: {shown}")
