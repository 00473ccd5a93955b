"""Virtual environments for contenders that cannot share the workspace's: the public `clawops`
releases (same distribution name as ours) and a clean install of ours for import timing.

Made with uv under ``.cache/bench-venvs/`` (gitignored). A public release's environment is
made once and reused; ours is reinstalled from the checkout every run. httpx, httpcore, h11,
anyio, pydantic and pydantic-core are pinned to the workspace's versions, so every contender
runs on the same libraries and the figures compare SDK code only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-venvs"
SHARED = ("httpx", "httpcore", "h11", "anyio", "pydantic", "pydantic-core")
_TIMEOUT = 600.0


def _uv() -> list[str]:
    # `uv run` exports its own path as UV; otherwise the one on PATH, else the pip-installed one.
    found = os.environ.get("UV") or shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def _pins() -> list[str]:
    return [f"{name}=={metadata.version(name)}" for name in SHARED]


def python_of(venv: Path) -> Path:
    """The interpreter of a virtual environment."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _make(venv: Path, requirements: list[str], *, reinstall: bool) -> Path:
    spec = "\n".join([*requirements, *_pins()])
    stamp = venv / "bench-spec.txt"
    if not reinstall and stamp.exists() and stamp.read_text() == spec:
        return python_of(venv)
    if stamp.exists() and stamp.read_text() != spec:
        shutil.rmtree(venv)
    if not python_of(venv).exists():
        command = [*_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)]
        subprocess.run(command, check=True, timeout=_TIMEOUT)
    constraints = venv / "constraints.txt"
    constraints.write_text("\n".join(_pins()) + "\n")
    install = [*_uv(), "pip", "install", "--quiet", "--python", str(python_of(venv))]
    # --no-sources: sdkcore from the path given, built like any wheel, not a workspace link.
    install += ["--no-sources", "--constraint", str(constraints), *requirements]
    if reinstall:
        install += ["--reinstall-package", "sdkcore", "--reinstall-package", "clawops"]
    subprocess.run(install, check=True, timeout=_TIMEOUT, cwd=ROOT)
    stamp.write_text(spec)
    return python_of(venv)


def public_clawops(version: str) -> Path:
    """The interpreter of an environment holding `clawops==version` from PyPI."""
    return _make(CACHE / f"clawops-{version}", [f"clawops=={version}"], reinstall=False)


def workspace_clawops() -> Path:
    """The interpreter of an environment holding this checkout's clawops and sdkcore, built
    and installed as a user would (no extras, no editable install)."""
    packages = [str(ROOT / "packages" / "sdkcore"), str(ROOT / "packages" / "clawops")]
    return _make(CACHE / "clawops-workspace", packages, reinstall=True)
