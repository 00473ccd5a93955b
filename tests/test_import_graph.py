"""No import cycle inside any package: the layers in the root README only point downwards.

Imports under ``if TYPE_CHECKING:`` count too: a cycle that only the type checker follows
still ties two layers into one. So does a cycle through a package ``__init__`` that only
re-exports: a module inside the package imports from the defining private module instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCES = Path(__file__).resolve().parent.parent / "packages"
PACKAGES = ("sdkcore", "clawops", "prefactor_http", "claude_code_api", "unitysvc")


def _module_names(package: str) -> dict[str, tuple[Path, bool]]:
    root = SOURCES / package / "src"
    modules: dict[str, tuple[Path, bool]] = {}
    for path in (root / package).rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return modules


def import_graph(package: str) -> dict[str, set[str]]:
    """Every module of ``package`` mapped to the modules of ``package`` it imports."""
    modules = _module_names(package)
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    anchor = here[: len(here) - node.level + 1]
                    module = ".".join([*anchor, *([node.module] if node.module else [])])
                targets.update([module, *(f"{module}.{alias.name}" for alias in node.names)])
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {target for target in targets if target in modules and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = [stack.pop()]
            while component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package: str) -> None:
    assert cycles(import_graph(package)) == []


def test_the_graph_sees_relative_imports() -> None:
    assert "sdkcore._operation" in import_graph("sdkcore")["sdkcore._client"]


def test_the_check_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
