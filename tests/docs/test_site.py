"""The documentation site: built strictly, complete, and working in a real browser.

The site is built once per session into a temporary directory. The browser checks run the
Chromium of the operating system (Debian's `chromium`, which `.ci/run` installs) through
Playwright, which downloads nothing here: it is pointed at that executable.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from docs_blocks import ROOT

pytestmark = pytest.mark.xdist_group("docs-site")

sys.path.insert(0, str(ROOT / "docs"))
from hooks import PACKAGES, public_modules  # noqa: E402

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built with --strict (any warning fails the build, and this fixture)."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site over HTTP on loopback (search needs HTTP, not file://)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("package", PACKAGES)
def test_reference_lists_every_public_name(site: Path, package: str) -> None:
    """Each name in each public module's `__all__` is rendered, with its docstring anchor."""
    page = (site / "reference" / package / "index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="([\w.]+)"', page))
    missing = [
        f"{module}.{name}"
        for module, names in public_modules(package)
        for name in names or ()
        if f"{module}.{name}" not in anchors
    ]
    assert not missing, missing
    assert len(anchors) > 10


def test_performance_page_has_generated_charts(site: Path) -> None:
    page = (site / "performance" / "index.html").read_text(encoding="utf-8")
    charts = sorted((site / "performance").glob("*.svg"))
    assert len(charts) >= 3
    for chart in charts:
        assert chart.name in page
        assert chart.read_text(encoding="utf-8").startswith("<svg")
    assert "ratio" in page
    assert "calls.get" in page


def _browser_or_skip() -> str:
    if CHROMIUM is None:
        if os.environ.get("DOCS_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (DOCS_REQUIRE_BROWSER is set)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return CHROMIUM


def test_site_in_a_real_browser(site: Path, served: str, tmp_path: Path) -> None:
    """Home and a reference page render, search finds `auto_paging_iter`, no console error."""
    executable = _browser_or_skip()
    from playwright.sync_api import sync_playwright

    pages = [p.relative_to(site).parent.as_posix() for p in sorted(site.rglob("index.html"))]
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            for path in pages:
                url = served if path == "." else f"{served}{path}/"
                response = page.goto(url, wait_until="networkidle")
                assert response is not None, url
                assert response.ok, url
            assert not errors, errors

            page.goto(served, wait_until="networkidle")
            assert "Python SDKs for four HTTP APIs" in page.title()
            page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

            page.goto(f"{served}reference/clawops/", wait_until="networkidle")
            assert page.locator("[id='clawops.ClawOps']").count() == 1
            assert "Blocking client of the ClawOps Voice API." in page.content()
            page.screenshot(path=str(tmp_path / "reference-clawops.png"))

            page.goto(served, wait_until="networkidle")
            page.locator("label.md-search__icon, .md-search__input").first.click()
            # Typed once the search worker has indexed the site ("Initializing search" until then),
            # key by key as a person types: Material searches on key events.
            meta = page.locator(".md-search-result__meta")
            meta.filter(has_text="Type to start searching").wait_for(timeout=120_000)
            page.locator(".md-search__input").press_sequentially("auto_paging_iter")
            hits = page.locator(".md-search-result__item")
            hits.first.wait_for(timeout=60_000)
            assert hits.count() >= 1
            assert "auto_paging_iter" in page.locator(".md-search-result").inner_text()
            page.screenshot(path=str(tmp_path / "search.png"))
        finally:
            browser.close()
    assert not errors, errors
    for name in ("home.png", "reference-clawops.png", "search.png"):
        assert (tmp_path / name).stat().st_size > 10_000
