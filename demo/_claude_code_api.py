"""The Claude Code API tour: service, a key from the CLI, complete, stream, batch, usage."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from rich.progress import Progress
from typer.testing import CliRunner

from claude_code_api import ClaudeClient
from claude_code_api._cli import app as cli
from claude_code_api.service import ClaudeService

PROMPTS = [f"List {n} colors" for n in range(1, 13)]
BATCH_SIZE = 4


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    if result.exit_code != 0:
        raise RuntimeError(f"claude-api {' '.join(args)} failed: {result.output}")
    return result.output


def run(say: Callable[[str], None]) -> None:
    """Start the service on the offline engine and use it the way the seed does."""
    with tempfile.TemporaryDirectory(prefix="claude-demo-") as folder:
        db = str(Path(folder) / "claude_api.db")
        with ClaudeService(db=db) as service:
            say(f"service at {service.url}, engine offline, database {db}")
            key = _cli("keys", "create", "-p", "demo", "--output", "env", "--db", db)
            key = key.strip().removeprefix("export CLAUDE_API_KEY=")
            say(f"claude-api keys create -p demo -> {key[:7]}...{key[-4:]} (stored hashed)")
            with ClaudeClient(base_url=service.url, api_key=key) as client:
                response = client.complete("What is Python?", model="haiku")
                say(f"complete: [{response.model}] {response.content[:60]}...")
                say(f"  tokens {response.usage.total_tokens}, cost ${response.cost:.6f}")
                chunks = list(client.stream("Write a poem about coding"))
                say(f"stream: {len(chunks)} chunks: {''.join(chunks)[:60]}...")
                with Progress(transient=True) as progress:
                    task = progress.add_task("batch", total=len(PROMPTS))
                    completed = 0
                    for start in range(0, len(PROMPTS), BATCH_SIZE):
                        batch = client.batch(PROMPTS[start : start + BATCH_SIZE], model="haiku")
                        completed += batch.completed
                        progress.advance(task, len(batch.results))
                say(f"batch: {completed}/{len(PROMPTS)} prompts completed")
                result = client.agentic_task("Summarise the project", allow_tools=["Write"])
                artifacts = [artifact.path for artifact in result.artifacts]
                say(f"agentic_task: {result['status']}, artifacts {artifacts}")
                stats = client.get_usage(period="month")
                say(
                    f"usage: {stats.total_requests} requests, {stats.total_tokens:,} tokens, "
                    f"${stats.total_cost:.6f}, models {sorted(stats.by_model)}"
                )
            say("claude-api usage -p demo:")
            for line in _cli("usage", "-p", "demo", "--db", db).splitlines():
                say(f"  {line}")
