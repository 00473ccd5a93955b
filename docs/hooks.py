"""MkDocs hooks: the pages the site builds from other sources instead of keeping copies.

- each package's README becomes its SDK page (links rewritten to the site's pages), so the
  README stays the one text and the docs tests execute its examples once;
- the API reference is generated from each public module's ``__all__`` (every public name of
  every package, rendered from its docstring by mkdocstrings);
- the performance page shows ``bench/results.md`` and charts drawn from ``bench/results.json``.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("sdkcore", "clawops", "prefactor_http", "claude_code_api", "unitysvc")
_LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the pages generated from the READMEs, the sources and the bench results."""
    for package in PACKAGES:
        readme_path = ROOT / "packages" / package / "README.md"
        readme = _site_links(readme_path.read_text(encoding="utf-8"), package)
        files.append(File.generated(config, f"{package}/index.md", content=readme))
        reference = reference_page(package)
        files.append(File.generated(config, f"reference/{package}.md", content=reference))
        # Pages a package keeps beside its README, in its docs/ folder.
        for source in sorted((ROOT / "packages" / package / "docs").glob("*.md")):
            text = _site_links(source.read_text(encoding="utf-8"), package)
            files.append(File.generated(config, f"{package}/{source.name}", content=text))
    for chart in _charts():
        files.append(File.generated(config, f"performance/{chart.slug}.svg", content=chart.svg))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill the performance page's markers with the bench's tables and charts."""
    if page.file.src_uri != "performance.md":
        return markdown
    tables = (ROOT / "bench" / "results.md").read_text(encoding="utf-8")
    tables = re.sub(r"^### ", "### Results: ", tables, flags=re.MULTILINE)
    images = "\n\n".join(f"![{chart.title}](performance/{chart.slug}.svg)" for chart in _charts())
    return markdown.replace("<!-- bench:charts -->", images).replace(
        "<!-- bench:tables -->", tables
    )


def _charts() -> list[Any]:
    from bench.charts import charts

    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    return charts(results)


def _site_links(text: str, package: str) -> str:
    """Rewrite a README's repository-relative links to the site's pages."""

    def rewrite(match: re.Match[str]) -> str:
        target, anchor = match.group(1), match.group(2) or ""
        if "://" in target or target.startswith("mailto:"):
            return match.group(0)
        if target.endswith("README.md"):
            parts = Path(target).parts
            name = parts[-2] if len(parts) > 1 and parts[-2] != ".." else package
            target = "index.md" if name == package else f"../{name}/index.md"
        elif target.startswith("docs/"):
            target = target.removeprefix("docs/")
        return f"]({target}{anchor})"

    return _LINK.sub(rewrite, text)


def public_modules(package: str) -> list[tuple[str, list[str] | None]]:
    """Every public module of ``package`` with its ``__all__`` (None when it has none)."""
    src = ROOT / "packages" / package / "src"
    found = []
    for path in sorted((src / package).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(part.startswith("_") for part in parts) or parts[-1] == "__main__":
            continue
        module = ".".join(parts)
        found.append((module, _dunder_all(path, module)))
    return found


def _dunder_all(path: Path, module: str) -> list[str] | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(t, ast.Name) and t.id == "__all__"
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            )
            and node.value is not None
        ):
            try:
                names = ast.literal_eval(node.value)
            except ValueError:  # computed (e.g. filtered from another module's): ask Python
                names = importlib.import_module(module).__all__
            return [str(name) for name in names]
    return None


def reference_page(package: str) -> str:
    """The reference page of ``package``: each public module, then each of its public names."""
    lines = [
        f"# `{package}` API reference",
        "",
        "Generated from the source: every name in each public module's `__all__`, with its "
        "signature, types and docstring.",
        "",
    ]
    for module, names in public_modules(package):
        lines += [f"## `{module}`", ""]
        if names is None:
            lines += [f"::: {module}", "    options:", "      show_root_heading: false", ""]
            continue
        lines += [
            f"::: {module}",
            "    options:",
            "      members: false",
            "      show_root_heading: false",
            "",
        ]
        for name in names:
            lines += [f"::: {module}.{name}", "    options:", "      heading_level: 3", ""]
    return "\n".join(lines)
