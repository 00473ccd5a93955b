"""Agentic tasks (working directories, artifacts, execution log) and batches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import claude_code_api
from claude_code_api import AsyncClaudeClient, ClaudeClient
from claude_code_api.service import ClaudeService


def test_task_works_in_a_fresh_directory(client: ClaudeClient) -> None:
    first = client.agentic_task("Summarise", allow_tools=["Glob", "Write"])
    second = client.agentic_task("Summarise", allow_tools=["Glob", "Write"])
    assert first["working_directory"] != second["working_directory"]
    assert [a.path for a in first.artifacts] == ["SUMMARY.md"]
    written = Path(first["working_directory"]) / "SUMMARY.md"
    assert first.artifacts[0].size == written.stat().st_size
    assert [e["tool"] for e in first.execution_log] == ["Glob", "Write"]
    assert first.result["summary"].startswith("Found 0 files (0 Python).")


def test_task_copies_an_allowed_directory(client: ClaudeClient, shared_dir: Path) -> None:
    project = shared_dir / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "app.py").write_text("import os\nprint(os.name)\n")
    (project / "README.md").write_text("# app\n")
    result = client.agentic_task(
        "import checks",
        allow_tools=["Glob", "Read", "Grep", "Write"],
        working_directory=str(project),
    )
    assert result["status"] == "completed"
    tools = [entry["tool"] for entry in result["execution_log"]]
    assert tools == ["Glob", "Read", "Read", "Grep", "Write"]
    assert "Found 2 files (1 Python)." in result["result"]["summary"]
    assert "'import' occurs 1 times." in result["result"]["summary"]
    # Only what the task created is an artifact; the original directory is untouched.
    assert [a["path"] for a in result.get("artifacts", [])] == ["SUMMARY.md"]
    assert not (project / "SUMMARY.md").exists()


def test_task_directory_outside_the_allowed_ones_is_refused(
    client: ClaudeClient, tmp_path: Path
) -> None:
    with pytest.raises(claude_code_api.PermissionError, match="not an allowed directory"):
        client.agentic_task("Read", allow_tools=["Read"], working_directory=str(tmp_path))


async def test_async_task(aclient: AsyncClaudeClient) -> None:
    result = await aclient.agentic_task("Count files", allow_tools=["Bash"])
    assert result["status"] == "completed"
    assert result["execution_log"][0]["tool"] == "Bash"
    assert result.usage.total_tokens == result.usage.input_tokens + result.usage.output_tokens


def test_batch_keeps_order_and_totals(client: ClaudeClient) -> None:
    prompts = [f"Prompt number {i}" for i in range(12)]
    parallel = client.batch(prompts, model="haiku")
    sequential = client.batch(prompts, model="haiku", parallel=False)
    for batch in (parallel, sequential):
        assert [r.prompt for r in batch.results] == prompts
        assert [r.id for r in batch.results] == [str(i) for i in range(12)]
        assert batch.completed == 12
        assert batch.total_tokens == sum(r.usage.total_tokens for r in batch.results if r.usage)
    assert [r.content for r in parallel.results] == [r.content for r in sequential.results]
    assert parallel.total_cost == pytest.approx(sequential.total_cost)


def test_a_failing_prompt_never_fails_the_batch(
    service: ClaudeService, make_key: Callable[..., str]
) -> None:
    key = make_key("batch-budget")
    # Room for one haiku prompt's estimate (0.00128 USD for 1024 output tokens), whether the
    # prompts run one after the other or overlap: what the first really costs leaves too little.
    service.admin.set_budget("batch-budget", 0.0013)
    with ClaudeClient(**service.client_kwargs(key)) as client:
        batch = client.batch([f"Prompt {i}" for i in range(10)], model="haiku")
    assert batch.total == 10
    assert 0 < batch.completed < 10
    assert batch.completed + batch.failed == 10
    failed = [r for r in batch.results if r.status == "failed"]
    assert all(r.error and r.error.startswith("Budget exceeded") for r in failed)
    assert all(r.content is None for r in failed)


async def test_async_batch(aclient: AsyncClaudeClient) -> None:
    batch = await aclient.batch(["a", "b", "c"], model="sonnet")
    assert batch.completed == 3
    assert {r.model for r in batch.results} == {"offline:sonnet"}
