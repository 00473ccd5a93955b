"""Every workspace package builds into wheels that install on their own and carry complete
metadata; the ClawOps quickstart runs from them in a fresh virtual environment.

Builds with ``uv build --all-packages`` (what ``make dist`` runs) and installs with uv into a
new environment outside the workspace, so nothing comes from the checkout.
"""

from __future__ import annotations

import ast
import email.message
import email.parser
import importlib.metadata
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[3]
UV = shutil.which("uv")

pytestmark = [
    pytest.mark.skipif(UV is None, reason="needs uv on PATH"),
    # One build and one environment for the module: keep its tests on one xdist worker.
    pytest.mark.xdist_group("packaging"),
]


@dataclass(frozen=True)
class Package:
    """One workspace member as its pyproject.toml declares it."""

    directory: Path
    name: str
    version: str
    import_name: str

    @property
    def wheel_stem(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}"


def _packages() -> list[Package]:
    found = []
    for pyproject in sorted(ROOT.glob("packages/*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text())["project"]
        found.append(
            Package(
                directory=pyproject.parent,
                name=project["name"],
                version=project["version"],
                import_name=pyproject.parent.name,
            )
        )
    return found


PACKAGES = _packages()
NAMES = {canonicalize_name(p.name) for p in PACKAGES}


def _uv(*args: str, cwd: Path) -> None:
    assert UV is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_"))}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [UV, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"uv {' '.join(args)} failed:\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels and sdists of every package, built as `make dist` builds them."""
    out = tmp_path_factory.mktemp("dist")
    _uv("build", "--all-packages", "--out-dir", str(out), cwd=ROOT)
    return out


def _wheel(dist: Path, package: Package) -> Path:
    return dist / f"{package.wheel_stem}-py3-none-any.whl"


def _metadata(wheel: Path, package: Package) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(f"{package.wheel_stem}.dist-info/METADATA").decode()
    return email.parser.Parser().parsestr(text)


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment holding every wheel (runtime dependencies only), then clawops'
    emulator extra; returns its python."""
    where = tmp_path_factory.mktemp("venv")
    _uv("venv", "--quiet", "--python", sys.executable, str(where / "env"), cwd=where)
    python = where / "env" / ("Scripts" if os.name == "nt" else "bin") / "python"
    wheels = [str(_wheel(dist, p)) for p in PACKAGES]
    # Installed by path: the public PyPI "clawops" has the same name and a higher version.
    _uv("pip", "install", "--quiet", "--python", str(python), *wheels, cwd=where)
    return python


def _run(python: Path, code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(python), "-c", textwrap.dedent(code)],
        cwd=python.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_wheel_and_sdist_metadata_is_complete(dist: Path, package: Package) -> None:
    wheel = _wheel(dist, package)
    assert (dist / f"{package.wheel_stem}.tar.gz").is_file()
    metadata = _metadata(wheel, package)
    assert metadata["Summary"]
    assert metadata["License-Expression"]
    assert metadata["Requires-Python"]
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload(), "the README is the long description"
    classifiers = metadata.get_all("Classifier") or []
    for classifier in ("Typing :: Typed", "Programming Language :: Python :: 3"):
        assert classifier in classifiers
    urls = {value.split(",")[0].strip().lower() for value in metadata.get_all("Project-URL") or []}
    assert {"homepage", "repository", "documentation", "issues"} <= urls
    with zipfile.ZipFile(wheel) as archive:
        assert f"{package.import_name}/py.typed" in archive.namelist()
    for raw in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(raw)
        if canonicalize_name(requirement.name) in NAMES:
            # A bare name would let pip pair the wheel with any release of its sibling.
            assert requirement.specifier, f"{package.name}: {raw} needs a version"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_third_party_import_is_declared(dist: Path, package: Package) -> None:
    """What the wheel's modules import is a dependency of the package (directly or through
    one it declares), in its base requirements or in one of its extras."""
    metadata = _metadata(_wheel(dist, package), package)
    declared = _closure(metadata.get_all("Requires-Dist") or [])
    owners = importlib.metadata.packages_distributions()
    missing = set()
    with zipfile.ZipFile(_wheel(dist, package)) as archive:
        sources = [archive.read(n) for n in archive.namelist() if n.endswith(".py")]
    for module in {m for source in sources for m in _imports(source)}:
        if module in sys.stdlib_module_names or module == package.import_name:
            continue
        distributions = {canonicalize_name(d) for d in owners.get(module, [module])}
        if not distributions & (declared | NAMES):
            missing.add(module)
    assert not missing, f"{package.name} imports undeclared {sorted(missing)}"


def test_packages_import_with_runtime_dependencies_only(venv: Path) -> None:
    imports = "; ".join(f"import {p.import_name}" for p in PACKAGES)
    out = _run(venv, f"{imports}; import clawops; print(clawops.__file__)")
    assert str(venv.parent.parent) in out, "clawops must come from the fresh environment"


def test_clawops_quickstart_runs_from_the_wheels(dist: Path, venv: Path) -> None:
    clawops = next(p for p in PACKAGES if p.name == "clawops")
    sdkcore = next(p for p in PACKAGES if p.name == "sdkcore")
    _uv(
        "pip",
        "install",
        "--quiet",
        "--python",
        str(venv),
        f"clawops[emulator] @ {_wheel(dist, clawops).as_uri()}",
        f"sdkcore @ {_wheel(dist, sdkcore).as_uri()}",
        cwd=venv.parent,
    )
    out = _run(
        venv,
        """
        import asyncio
        from clawops import AsyncClawOps, ClawOps, RateLimitError
        from clawops.emulator import ClawOpsEmulator

        with ClawOpsEmulator() as emu:
            client = ClawOps(**emu.client_kwargs())
            number = client.numbers.create(source="pool")
            call = client.calls.create(
                to="01012345678", from_=number.phone_number, url="https://my-app.com/twiml"
            )
            assert client.calls.get(call.call_id).call_id == call.call_id
            assert call.call_id in [c.call_id for c in client.calls.list()]
            cred = client.sip.credentials.create(display_name="Office Phone")
            client.sip.credentials.delete(cred.id)
            try:
                client.calls.list(max_retries=0, extra_headers={"X-Emulator-Fault": "status=429"})
            except RateLimitError as error:
                print("rate limited", error.status_code)

            async def main() -> int:
                async with AsyncClawOps(**emu.client_kwargs()) as aclient:
                    return len((await aclient.calls.list()).data)

            print("async calls", asyncio.run(main()))
        """,
    )
    assert "rate limited 429" in out
    assert "async calls 1" in out
    cli = venv.parent / ("clawops-emulator.exe" if os.name == "nt" else "clawops-emulator")
    usage = subprocess.run(
        [str(cli), "serve", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "--port" in usage.stdout


def _closure(requirements: list[str]) -> set[str]:
    """Names of the distributions `requirements` pull in, with every extra, as installed in the
    workspace environment (which holds all of them)."""
    seen: set[str] = set()
    pending = [Requirement(r) for r in requirements]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            nested = importlib.metadata.requires(requirement.name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for raw in nested:
            child = Requirement(raw)
            marker = child.marker
            needed = marker is None or any(
                marker.evaluate({"extra": extra}) for extra in ("", *requirement.extras)
            )
            if needed:
                pending.append(child)
    return seen


def _imports(source: bytes) -> set[str]:
    """Top-level modules imported absolutely, except under ``try`` (optional imports)."""
    tree = ast.parse(source)
    optional = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.Try)
        for node in ast.walk(block)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found
