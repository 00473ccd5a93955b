"""A stand-in for the `claude` executable: the tests install it (with a shebang pointing at the
test interpreter) and point `ClaudeCLIEngine(executable=...)` at it.

It accepts the engine's arguments, writes the real stream-json format line by line with short
delays and behaves as `FAKE_CLAUDE_SCENARIO` says (see `SCENARIOS`). `FAKE_CLAUDE_RECORD` names a
file where it records how it was started (argv, cwd, environment names, process group, stdin);
`FAKE_CLAUDE_GATE` names a file it waits for after the first text delta. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SESSION = "8f7c2a51-0000-4000-8000-000000000001"
WAIT_LIMIT = 30.0


class Fake:
    """One run: the parsed command line and the helpers that write stream-json lines."""

    def __init__(self, argv: list[str]) -> None:
        parser = argparse.ArgumentParser(prog="claude")
        parser.add_argument("-p", "--print", action="store_true")
        parser.add_argument("--model", required=True)
        parser.add_argument("--output-format", required=True, choices=["stream-json"])
        parser.add_argument("--verbose", action="store_true")
        parser.add_argument("--include-partial-messages", action="store_true")
        parser.add_argument("--allowedTools", nargs="*", default=[])
        parser.add_argument("--max-turns")
        parser.add_argument("prompt")
        self.args = parser.parse_args(argv)
        if not (self.args.print and self.args.verbose):
            sys.exit("fake claude: stream-json needs -p and --verbose")
        self.model = f"claude-{self.args.model}-fake"
        self.delay = float(os.environ.get("FAKE_CLAUDE_DELAY", "0.01"))
        self.turn = 0
        self.children: list[int] = []

    def emit(self, line: dict[str, Any] | str) -> None:
        sys.stdout.write(line if isinstance(line, str) else json.dumps(line))
        sys.stdout.write("\n")
        sys.stdout.flush()
        time.sleep(self.delay)

    def init(self) -> None:
        self.emit(
            {
                "type": "system",
                "subtype": "init",
                "cwd": os.getcwd(),
                "session_id": SESSION,
                "tools": ["Read", "Write", "Bash"],
                "model": self.model,
                "permissionMode": "default",
                "apiKeySource": "none",
                "future_field": {"ignored": True},
            }
        )

    def turn_of(
        self, texts: list[str], tools: tuple[dict[str, Any], ...] = (), output_tokens: int = 0
    ) -> str:
        """One assistant message: streamed deltas (with partial messages), then its blocks."""
        self.turn += 1
        message_id = f"msg_fake_{self.turn}"
        usage = {"input_tokens": 20, "output_tokens": output_tokens or 5 * len(texts)}
        if self.args.include_partial_messages:
            self.stream({"type": "message_start", "message": {"id": message_id, "usage": usage}})
            self.stream(
                {
                    "type": "content_block_start",
                    "index": 0,
                    "content_block": {"type": "text", "text": ""},
                }
            )
            for number, text in enumerate(texts):
                delta = {"type": "text_delta", "text": text}
                self.stream({"type": "content_block_delta", "index": 0, "delta": delta})
                if number == 0:
                    self.gate()
            self.stream({"type": "content_block_stop", "index": 0})
            self.stream(
                {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": usage}
            )
            self.stream({"type": "message_stop"})
        elif texts:
            # Without partial messages the text only leaves with the whole message.
            self.gate()
        blocks = [{"type": "thinking", "thinking": "hm", "signature": "sig"}]
        blocks.append({"type": "text", "text": "".join(texts)})
        blocks.extend(tools)
        self.emit(
            {
                "type": "assistant",
                "message": {
                    "id": message_id,
                    "type": "message",
                    "role": "assistant",
                    "model": self.model,
                    "content": blocks,
                    "usage": usage,
                },
                "parent_tool_use_id": None,
                "session_id": SESSION,
            }
        )
        return "".join(texts)

    def stream(self, event: dict[str, Any]) -> None:
        self.emit(
            {
                "type": "stream_event",
                "uuid": "u",
                "session_id": SESSION,
                "event": event,
                "parent_tool_use_id": None,
            }
        )

    def result(
        self, text: str, *, subtype: str = "success", is_error: bool = False, **extra: Any
    ) -> None:
        self.emit(
            {
                "type": "result",
                "subtype": subtype,
                "is_error": is_error,
                "duration_ms": 120,
                "duration_api_ms": 100,
                "num_turns": self.turn,
                "result": text,
                "session_id": SESSION,
                "total_cost_usd": 0.0123,
                "usage": {
                    "input_tokens": 30,
                    "cache_creation_input_tokens": 10,
                    "cache_read_input_tokens": 5,
                    "output_tokens": 42,
                },
                "permission_denials": [],
                **extra,
            }
        )

    def gate(self) -> None:
        """Wait for the test's signal file, so the test sees the first delta mid-run."""
        gate = os.environ.get("FAKE_CLAUDE_GATE")
        deadline = time.monotonic() + WAIT_LIMIT
        while gate and not Path(gate).exists():
            if time.monotonic() > deadline:
                sys.exit("fake claude: the gate file never appeared")
            time.sleep(0.01)

    def record(self) -> None:
        path = os.environ.get("FAKE_CLAUDE_RECORD")
        if not path:
            return
        stdin = os.fstat(0)
        facts = {
            "argv": sys.argv[1:],
            "prompt": self.args.prompt,
            "allowed_tools": self.args.allowedTools,
            "cwd": os.getcwd(),
            "env_names": sorted(os.environ),
            "pid": os.getpid(),
            "pgid": os.getpgid(0),
            "stdin_is_devnull": stat.S_ISCHR(stdin.st_mode)
            and stdin.st_rdev == os.stat(os.devnull).st_rdev,
            "children": self.children,
        }
        Path(f"{path}.tmp").write_text(json.dumps(facts))
        os.replace(f"{path}.tmp", path)

    def spawn_child(self) -> None:
        """Start a process of the group that outlives nothing on its own (a tool's command)."""
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        self.children.append(child.pid)


def answer(fake: Fake) -> None:
    fake.init()
    words = ["You ", "said: ", fake.args.prompt]
    text = fake.turn_of(words)
    fake.result(text)


def tool(fake: Fake) -> None:
    fake.init()
    fake.turn_of(
        ["I'll write ", "the file."],
        tools=(
            {
                "type": "tool_use",
                "id": "toolu_1",
                "name": "Write",
                "input": {"file_path": "hello.txt", "content": "hello from the fake\n"},
            },
        ),
    )
    allowed = "Write" in fake.args.allowedTools
    if allowed:
        Path("hello.txt").write_text("hello from the fake\n")
    fake.emit(
        {
            "type": "user",
            "message": {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_1",
                        "content": "File created" if allowed else "Permission to use Write denied",
                        "is_error": not allowed,
                    }
                ],
            },
            "parent_tool_use_id": None,
            "session_id": SESSION,
        }
    )
    done = fake.turn_of(["Done: ", "hello.txt written."] if allowed else ["I could not write it."])
    fake.result(done)


def linger_after_result(fake: Fake) -> None:
    answer(fake)
    linger(fake)


def exit_nonzero(fake: Fake) -> None:
    fake.init()
    sys.stderr.write("Error: the fake claude broke down\n")
    sys.exit(3)


def malformed(fake: Fake) -> None:
    fake.init()
    fake.emit("this is {not json")
    linger(fake)


def no_result(fake: Fake) -> None:
    fake.init()
    fake.turn_of(["An answer ", "without a result line"])


def error_result(fake: Fake) -> None:
    fake.init()
    fake.result("", subtype="error_during_execution", is_error=True, errors=["tool crashed"])
    sys.exit(1)


def rate_limit(fake: Fake) -> None:
    fake.init()
    fake.emit(
        {
            "type": "assistant",
            "message": {
                "id": "msg_err",
                "model": "<synthetic>",
                "role": "assistant",
                "content": [{"type": "text", "text": "API Error: Rate limit reached"}],
            },
            "parent_tool_use_id": None,
            "session_id": SESSION,
            "error": "rate_limit",
        }
    )
    fake.result("API Error: Rate limit reached", is_error=True)
    sys.exit(1)


def hang(fake: Fake) -> None:
    fake.init()
    fake.stream({"type": "message_start", "message": {"id": "msg_hang", "usage": {}}})
    fake.stream(
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": "Thinking"},
        }
    )
    linger(fake)


def expensive(fake: Fake) -> None:
    fake.init()
    for _ in range(3):
        fake.turn_of(["Still ", "working"], output_tokens=50_000)
    linger(fake)


def stderr_flood(fake: Fake) -> None:
    # More than a pipe holds: a parent that does not read stderr would block this process.
    for _ in range(64):
        sys.stderr.write("w" * 16384 + "\n")
    sys.stderr.flush()
    answer(fake)


def unknown_lines(fake: Fake) -> None:
    fake.init()
    fake.emit({"type": "rate_limit_event", "rate_limit_info": {"status": "allowed"}})
    fake.emit({"type": "system", "subtype": "compact_boundary", "extra": [1, 2]})
    fake.emit("")
    answer_text = fake.turn_of(["Fine"])
    fake.result(answer_text, brand_new_field={"x": 1})


def linger(fake: Fake) -> None:
    """Stay alive (with a child in the group) until killed; the test fails if never killed."""
    fake.spawn_child()
    fake.record()
    time.sleep(WAIT_LIMIT)
    sys.exit("fake claude: nobody killed me")


SCENARIOS: dict[str, Callable[[Fake], None]] = {
    "answer": answer,
    "tool": tool,
    "linger_after_result": linger_after_result,
    "exit_nonzero": exit_nonzero,
    "malformed": malformed,
    "no_result": no_result,
    "error_result": error_result,
    "rate_limit": rate_limit,
    "hang": hang,
    "expensive": expensive,
    "stderr_flood": stderr_flood,
    "unknown_lines": unknown_lines,
}


def main() -> None:
    fake = Fake(sys.argv[1:])
    fake.record()
    SCENARIOS[os.environ.get("FAKE_CLAUDE_SCENARIO", "answer")](fake)


if __name__ == "__main__":
    main()
