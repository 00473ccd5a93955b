"""The Python code blocks of the documentation: where they are, how each is marked.

A block is a fenced ```python block of a Markdown file. An HTML comment on the line right above
its fence marks how the suite treats it:

- ``<!-- docs-test: skip REASON -->``: not run (it needs something outside this machine, such
  as a real API key or an incoming webhook); the test reports it skipped with REASON;
- ``<!-- docs-test: compile-only REASON -->``: a fragment (a piece of a module shown alone); the
  test compiles it, which catches syntax that rotted, and runs nothing.

Every other block is executed, in order, in one namespace per file, so a later block may use
what an earlier one defined, the way a reader follows a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_FENCE = re.compile(r"^```python[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_MARK = re.compile(r"<!--\s*docs-test:\s*(skip|compile-only)\s*(.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One code block: its file, its number in the file (from 1), its line, code and mark."""

    path: Path
    number: int
    line: int
    code: str
    mark: str | None = None
    reason: str = ""

    @property
    def id(self) -> str:
        """A test id: the file relative to the repository, and the block number."""
        return f"{self.path.relative_to(ROOT).as_posix()}#{self.number}"


def documents() -> list[Path]:
    """Every Markdown file whose examples the suite runs: the site's sources and the READMEs."""
    found = [ROOT / "README.md", *sorted(ROOT.glob("packages/*/README.md"))]
    found += sorted(ROOT.glob("packages/*/docs/*.md"))
    found += sorted((ROOT / "docs").rglob("*.md"))
    return found


def blocks(path: Path) -> list[Block]:
    """The Python blocks of one Markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for number, match in enumerate(_FENCE.finditer(text), start=1):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rpartition("\n")[2]
        mark = _MARK.search(before)
        found.append(
            Block(
                path,
                number,
                line,
                match.group(1),
                mark.group(1) if mark else None,
                mark.group(2) if mark else "",
            )
        )
    return found


def all_blocks() -> list[Block]:
    """Every Python block of every document."""
    return [block for path in documents() for block in blocks(path)]
