"""Every Python example of the docs and the READMEs, executed against the emulators.

Each block is one test (see `docs_blocks` for the marks). The blocks of one file run in order
in one namespace, against emulators started for that file; a package README gets its package's
emulator with the environment its quickstart reads (`CLAWOPS_BASE_URL`, `CLAUDE_API_KEY`, ...),
so examples run as written. Where a README shows the real service's URL or a placeholder key,
the emulator is given that key, and the URL is replaced by the emulator's (`SUBSTITUTIONS`),
as a user would point the example at their own emulator.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from docs_blocks import ROOT, Block, all_blocks, blocks


@dataclass
class Environment:
    """What a file's examples run against: environment variables and text substitutions."""

    env: dict[str, str] = field(default_factory=dict)
    substitutions: dict[str, str] = field(default_factory=dict)


def _clawops(stack: contextlib.ExitStack) -> Environment:
    from clawops.emulator import ClawOpsEmulator

    emulator = stack.enter_context(
        ClawOpsEmulator(
            api_key="sk_...",
            account_id="AC1a2b3c4d",
            account_ids=["AC1a2b3c4d", "AC_other_account_id"],
            ring_after=0.05,
            answer_after=0.1,
        )
    )
    return Environment(
        {
            "CLAWOPS_BASE_URL": emulator.url,
            "CLAWOPS_API_KEY": emulator.api_key,
            "CLAWOPS_ACCOUNT_ID": emulator.account_id,
        }
    )


def _prefactor(stack: contextlib.ExitStack) -> Environment:
    from prefactor_http.emulator import PrefactorEmulator

    emulator = stack.enter_context(
        PrefactorEmulator(api_token="your-api-token", agents=["agent_123"])
    )
    return Environment(
        {"PREFACTOR_API_URL": emulator.url, "PREFACTOR_API_TOKEN": emulator.api_token},
        {"https://api.prefactor.ai": emulator.url},
    )


def _claude(stack: contextlib.ExitStack) -> Environment:
    from claude_code_api.service import ClaudeService

    service = stack.enter_context(ClaudeService())
    key = service.create_key("my-app", rate_limit=10_000)
    return Environment(
        {"CLAUDE_API_URL": service.url, "CLAUDE_API_KEY": key},
        {"http://127.0.0.1:8006": service.url, '"cc_..."': repr(key)},
    )


def _unitysvc(stack: contextlib.ExitStack) -> Environment:
    from unitysvc.emulator import UnitysvcEmulator

    emulator = stack.enter_context(UnitysvcEmulator(activation_delay=0.05, tick=0.02))
    names = {
        "api_key": "UNITYSVC_API_KEY",
        "base_url": "UNITYSVC_API_URL",
        "api_base_url": "UNITYSVC_API_BASE_URL",
        "s3_base_url": "UNITYSVC_S3_BASE_URL",
        "smtp_base_url": "UNITYSVC_SMTP_BASE_URL",
    }
    return Environment({names[k]: v for k, v in emulator.client_kwargs().items()})


def _nothing(stack: contextlib.ExitStack) -> Environment:
    # The site's pages start what they use themselves.
    return Environment()


ENVIRONMENTS: dict[str, Callable[[contextlib.ExitStack], Environment]] = {
    "packages/clawops/README.md": _clawops,
    "packages/prefactor_http/README.md": _prefactor,
    "packages/claude_code_api/README.md": _claude,
    "packages/claude_code_api/docs/openai-anthropic.md": _claude,
    "packages/unitysvc/README.md": _unitysvc,
}


@dataclass
class FileRun:
    """The state of one file's examples: its environment, namespace and progress."""

    environment: Environment
    workdir: Path
    namespace: dict[str, Any] = field(default_factory=lambda: {"__name__": "__docs__"})
    done: int = 0


class Runs:
    """One `FileRun` per file, made on first use and closed at the end of the session."""

    def __init__(self, stack: contextlib.ExitStack, tmp: pytest.TempPathFactory) -> None:
        self._stack = stack
        self._tmp = tmp
        self._runs: dict[Path, FileRun] = {}

    def get(self, path: Path) -> FileRun:
        if path not in self._runs:
            relative = path.relative_to(ROOT).as_posix()
            start = ENVIRONMENTS.get(relative, _nothing)
            self._runs[path] = FileRun(start(self._stack), self._tmp.mktemp("docs"))
        return self._runs[path]


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    with contextlib.ExitStack() as stack:
        yield Runs(stack, tmp_path_factory)


def _execute(block: Block, run: FileRun) -> None:
    code = block.code
    for text, replacement in run.environment.substitutions.items():
        code = code.replace(text, replacement)
    # Line numbers of failures point into the Markdown file.
    tree = ast.parse("\n" * block.line + code, filename=str(block.path))
    compiled = compile(
        tree, str(block.path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
    )
    if compiled.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(compiled, run.namespace))
    else:
        exec(compiled, run.namespace)


def _grouped(block: Block) -> Any:
    # Blocks of one file share a namespace: keep them on one xdist worker, in order.
    return pytest.param(block, id=block.id, marks=pytest.mark.xdist_group(block.id.split("#")[0]))


@pytest.mark.parametrize("block", [_grouped(b) for b in all_blocks()])
def test_example(block: Block, runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    if block.mark == "skip":
        pytest.skip(block.reason or "marked skip")
    if block.mark == "compile-only":
        compile(block.code, str(block.path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        return
    run = runs.get(block.path)
    for name, value in run.environment.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(run.workdir)
    # Blocks not run yet (this one was selected alone) run first; each runs at most once,
    # failed or not, so one failure is reported by its own block only.
    for pending in blocks(block.path)[run.done : block.number]:
        run.done = pending.number
        if pending.mark is None:
            _execute(pending, run)


def test_every_document_is_collected() -> None:
    """The collector sees the READMEs and the site's pages, and their blocks."""
    names = {b.path.relative_to(ROOT).as_posix() for b in all_blocks()}
    assert "packages/clawops/README.md" in names
    assert "docs/guides/retries.md" in names
    assert os.path.exists(ROOT / "mkdocs.yml")
