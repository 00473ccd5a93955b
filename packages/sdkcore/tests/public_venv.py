"""A cached virtual environment holding a public package from PyPI, for wire-compatibility
tests that run the released package, unmodified, against our emulators.

The public packages share our import names, so they live in a venv of their own (made with
uv, cached in the temp directory so later runs start at once) and run as a subprocess.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

__all__ = ["CACHE_ROOT", "cached_venv", "public_python", "venv_python"]

# Kept between runs in the workspace's gitignored cache: the temp dir must end each run clean.
CACHE_ROOT = Path(__file__).resolve().parents[3] / ".cache" / "test-venvs"


def venv_python(venv: Path) -> Path:
    """The interpreter of the virtual environment at `venv`."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def public_python(requirement: str, *, python: str | None = None) -> Path:
    """The interpreter of a cached venv holding `requirement` (e.g. "clawops==0.70.0")."""
    return cached_venv(re.sub(r"[^A-Za-z0-9.]+", "-", requirement), [requirement], python=python)


def cached_venv(name: str, *installs: Sequence[str], python: str | None = None) -> Path:
    """The interpreter of cached venv `name`, built on first use with `python` (a uv
    interpreter request such as ">=3.11"; uv's default when None), then one `uv pip install`
    per argument list in `installs`. Skips the test when uv is missing or a package cannot be
    installed here."""
    cache = CACHE_ROOT / name
    interpreter = venv_python(cache)
    if interpreter.exists():
        return interpreter
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip(f"uv is not installed, so {name} cannot be built")
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=CACHE_ROOT))
    venv = building / "venv"
    try:
        # Relocatable: the venv is built aside and renamed into place, and its console
        # scripts (the public CLIs) must still find their interpreter there.
        create = [uv, "venv", "--quiet", "--relocatable", str(venv)]
        steps = [[*create, *(["--python", python] if python else [])]]
        pip = [uv, "pip", "install", "--quiet", "--python", str(venv_python(venv))]
        steps += [[*pip, *arguments] for arguments in installs]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                pytest.skip(f"{name} cannot be installed here: {done.stderr.strip()[-500:]}")
        try:
            venv.rename(cache)
        except OSError:
            # Another worker finished first; its venv is as good as ours.
            shutil.rmtree(venv, ignore_errors=True)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return interpreter
