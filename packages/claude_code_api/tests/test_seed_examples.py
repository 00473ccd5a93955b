"""Every Python example of the seed, as written, against the service over real HTTP.

The blocks come verbatim from the seed (`claude_seed_blocks.py`); only the import line
(`from client import` -> `from claude_code_api import`) and the placeholders (the base URL and
`YOUR_API_KEY` / `YOUR_KEY` / `KEY`) are changed before they run.
"""

from __future__ import annotations

import asyncio
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from claude_seed_blocks import SEED_BLOCKS

import claude_code_api
from claude_code_api import AsyncClaudeClient, ClaudeClient
from claude_code_api.service import ClaudeService

_SEED_IMPORTS = (
    "ClaudeClient",
    "ClaudeAPIError",
    "AuthenticationError",
    "PermissionError",
    "RateLimitError",
    "TimeoutError",
    "BudgetExceededError",
)


def _adapt(code: str, service: ClaudeService, key: str) -> str:
    code = code.replace("from client import", "from claude_code_api import")
    code = code.replace("http://localhost:8006", service.url)
    return re.sub(r'api_key="(YOUR_API_KEY|YOUR_KEY|KEY)"', f'api_key="{key}"', code)


def _run(number: int, service: ClaudeService, key: str, **names: Any) -> dict[str, Any]:
    # A block without imports continues the seed's earlier ones, which imported the client
    # and (block 17) the exceptions.
    namespace: dict[str, Any] = {
        "__name__": f"seed_block_{number}",
        **{name: getattr(claude_code_api, name) for name in _SEED_IMPORTS},
        **names,
    }
    exec(compile(_adapt(SEED_BLOCKS[number], service, key), f"<seed {number}>", "exec"), namespace)
    return namespace


@pytest.fixture
def run(service: ClaudeService, api_key: str, client: ClaudeClient) -> Any:
    def run_block(number: int, **names: Any) -> dict[str, Any]:
        return _run(number, service, api_key, client=client, **names)

    return run_block


def test_quick_start(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(3)
    out = capsys.readouterr().out
    assert namespace["response"].content in out
    assert namespace["result"]["status"] == "completed"
    assert "Result: " in out


@pytest.mark.parametrize("number", [4, 5])
def test_client_initialization(run: Any, number: int) -> None:
    namespace = run(number)
    client = namespace["client"]
    assert isinstance(client, ClaudeClient)
    assert client.complete("Hello").content
    if number == 5:
        assert client.project_id == "my-app"
        assert client.max_retries == 3
        assert client.timeout.read == 300


def test_client_from_environment(run: Any, api_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_API_KEY", api_key)
    namespace = run(6)
    assert namespace["client"].api_key == api_key
    assert namespace["client"].complete("Hi").content


def test_complete(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(7)
    response = namespace["response"]
    out = capsys.readouterr().out
    assert response.model == "offline:sonnet"
    assert f"Tokens: {response.usage.total_tokens}" in out
    assert f"Cost: ${response.cost:.4f}" in out
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens


def test_agentic_task(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(8)
    result = namespace["result"]
    out = capsys.readouterr().out
    assert "Status: completed" in out
    assert f"Summary: {result['result']['summary']}" in out
    assert result.usage.total_cost == result["usage"]["total_cost"] > 0
    # A fresh working directory holds no files to read; the search still runs.
    assert [entry["tool"] for entry in result["execution_log"]] == ["Grep"]


def test_stream_sync_and_async(
    service: ClaudeService, api_key: str, client: ClaudeClient, capsys: pytest.CaptureFixture[str]
) -> None:
    sync_part, async_part = SEED_BLOCKS[9].split("# Async\n")
    exec(_adapt(sync_part, service, api_key), {"client": client})
    sync_text = capsys.readouterr().out
    assert sync_text == client.complete("Write a story").content

    async def main() -> None:
        async with AsyncClaudeClient(**service.client_kwargs(api_key)) as async_client:
            body = "async def _main(async_client):\n" + textwrap.indent(async_part, "    ")
            namespace: dict[str, Any] = {}
            exec(body, namespace)
            await namespace["_main"](async_client)

    asyncio.run(main())
    assert capsys.readouterr().out == sync_text


def test_batch(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(10)
    results = namespace["results"]
    out = capsys.readouterr().out
    assert "Completed: 3/3" in out
    assert out.count("✓ ") == 3
    assert [r.prompt for r in results.results] == namespace["prompts"]
    assert results.total_tokens == sum(r.usage.total_tokens for r in results.results)


def test_get_usage(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run(7)
    namespace = run(11)
    stats = namespace["stats"]
    out = capsys.readouterr().out
    assert stats.total_tokens > 0
    assert f"Total tokens: {stats.total_tokens:,}" in out
    assert "offline:sonnet: " in out


def test_health(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run(12)
    out = capsys.readouterr().out
    assert "Status: healthy" in out
    assert "'engine': {'status': 'ok', 'name': 'offline'}" in out


def test_async_client(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    run(13)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "completed"
    assert lines[0]
    assert lines[2]


def test_data_models(client: ClaudeClient) -> None:
    # Block 14 lists attributes with continuation lines (not runnable as written); the
    # attributes it names are checked directly, blocks 15 and 16 run as written.
    response = client.complete("Hello")
    assert isinstance(response.id, str)
    assert isinstance(response.model, str)
    assert isinstance(response.content, str)
    assert isinstance(response.cost, float)
    assert isinstance(response.usage.input_tokens, int)
    assert isinstance(response.usage.output_tokens, int)
    assert isinstance(response.usage.total_tokens, int)
    results = client.batch(["one", "two"])
    result = results.results[0]
    exec(SEED_BLOCKS[15], {"result": result})
    exec(SEED_BLOCKS[16], {"results": results})
    assert (results.total, results.completed, results.failed) == (2, 2, 0)


def test_exceptions_example(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(17)
    assert issubclass(namespace["PermissionError"], PermissionError)
    assert issubclass(namespace["TimeoutError"], TimeoutError)
    assert namespace["BudgetExceededError"] is claude_code_api.BudgetExceededError
    assert capsys.readouterr().out == ""  # the completion succeeded: nothing was caught


def test_exceptions_example_catches_bad_key(
    service: ClaudeService, capsys: pytest.CaptureFixture[str]
) -> None:
    with ClaudeClient(base_url=service.url, api_key="cc_" + "0" * 40) as bad:
        _run(17, service, "unused", client=bad)
    assert capsys.readouterr().out == (
        "Invalid API key - create one with: claude-api keys create\n"
    )


def test_error_handling_example(
    service: ClaudeService, make_key: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    limited = make_key("budget-example")
    service.admin.set_budget("budget-example", 0.000001)
    with ClaudeClient(**service.client_kwargs(limited)) as budgeted:
        namespace = _run(18, service, limited, client=budgeted)
    assert "result" not in namespace
    assert re.fullmatch(r"Would cost \$0\.\d+\n", capsys.readouterr().out)


def test_retries_example(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(19)
    assert namespace["response"].content
    assert capsys.readouterr().out == ""


def test_context_manager(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(20)
    assert namespace["client"].is_closed
    assert namespace["response"].content + "\n" == capsys.readouterr().out


def test_multiple_projects(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(21)
    stats_a, stats_b = namespace["stats_a"], namespace["stats_b"]
    assert stats_a.project_id == "project-a"
    assert stats_b.project_id == "project-b"
    assert namespace["response_a"].project_id == "project-a"
    assert stats_a.total_cost >= namespace["response_a"].cost > 0
    assert "Project A cost: $" in capsys.readouterr().out


def test_logging_example(run: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG", logger="claude_code_api"):
        namespace = run(24)
    assert namespace["response"].content
    assert any("/v1/chat/completions" in record.getMessage() for record in caplog.records)
    key = namespace["client"].api_key
    assert all(key not in record.getMessage() for record in caplog.records)


def test_analyze_python_files(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    for name in ("a.py", "b.py", "pkg/c.py", "pkg/d.py"):
        (tmp_path / "src" / name).write_text("print('x')\n")
    monkeypatch.chdir(tmp_path)
    namespace = run(25)
    assert len(namespace["py_files"]) == 4
    assert namespace["result"]["status"] == "completed"
    assert capsys.readouterr().out == ""  # the offline engine reports no bugs


def test_generate_documentation(run: Any, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run(26)
    assert namespace["result"]["artifacts"] == []  # Read only: nothing written
    assert capsys.readouterr().out == ""


def test_stream_real_time(
    run: Any, client: ClaudeClient, capsys: pytest.CaptureFixture[str]
) -> None:
    run(27)
    assert capsys.readouterr().out == client.complete("Write a poem about coding").content + "\n"
