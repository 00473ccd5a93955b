"""The Claude Code API tour: service, a key from the CLI, complete, stream, batch, the openai
and anthropic SDKs on the same key, usage."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import anthropic
import openai
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
                _official_sdks(say, service.url, key)
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


def _official_sdks(say: Callable[[str], None], url: str, key: str) -> None:
    """The README's openai and anthropic quickstarts, unmodified SDKs on the service."""
    gpt = openai.OpenAI(base_url=f"{url}/v1", api_key=key)
    completion = gpt.chat.completions.create(
        model="claude-sonnet-4-5",
        messages=[{"role": "user", "content": "What is Python?"}],
    )
    answer = completion.choices[0].message.content or ""
    say(f"openai SDK: [{completion.model}] {answer[:50]}...")
    stream = gpt.chat.completions.create(
        model="haiku", messages=[{"role": "user", "content": "Count to 5"}], stream=True
    )
    pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
    say(f"  stream: {len(pieces)} chunks; models: {[m.id for m in gpt.models.list()]}")
    claude = anthropic.Anthropic(base_url=url, api_key=key)
    message = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=200,
        system="Answer briefly.",
        messages=[{"role": "user", "content": "What is Python?"}],
    )
    text = "".join(block.text for block in message.content if block.type == "text")
    say(f"anthropic SDK: [{message.model}] {text[:50]}...")
    with claude.messages.stream(
        model="claude-haiku-4-5",
        max_tokens=200,
        messages=[{"role": "user", "content": "Count to 5"}],
    ) as events:
        streamed = "".join(events.text_stream)
    counted = claude.messages.count_tokens(
        model="claude-haiku-4-5", messages=[{"role": "user", "content": "What is Python?"}]
    )
    say(f"  stream: {len(streamed)} characters; count_tokens: {counted.input_tokens}")
