"""`import clawops` stays cheap: models, resources and the emulator load on first use, and
every public name still resolves from the package root."""

from __future__ import annotations

import subprocess
import sys

import pydantic
import pytest

import clawops

# What `import clawops` must leave unloaded: the emulator and its server stack, the async
# extras, httpx's connection pool package, and the models (defining the first pydantic model
# loads most of pydantic).
NOT_ON_IMPORT = (
    "aiohttp",
    "anyio",
    "clawops.emulator",
    "clawops.resources",
    "clawops.types",
    "fastapi",
    "httpcore",
    "pydantic.main",
    "sdkcore.emulator",
    "uvicorn",
)
# What making an `httpx.Client` loads by itself: its pool package, which imports anyio.
BY_HTTPX_CLIENT = {"anyio", "httpcore"}


def loaded_after(code: str) -> set[str]:
    """The modules of NOT_ON_IMPORT loaded after running `code` in a fresh interpreter."""
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {NOT_ON_IMPORT!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60
    )
    return set(result.stdout.split())


@pytest.mark.parametrize(
    "code",
    ["import clawops", "from clawops import ClawOps, AsyncClawOps, ClawOpsError, NotFoundError"],
)
def test_import_loads_nothing_heavy(code: str) -> None:
    assert loaded_after(code) == set()


def test_client_creation_loads_no_models() -> None:
    code = "import clawops; clawops.ClawOps(api_key='sk_test', account_id='AC1')"
    assert loaded_after(code) - BY_HTTPX_CLIENT == set()


def test_first_resource_access_loads_models_not_the_emulator() -> None:
    code = "import clawops; clawops.ClawOps(api_key='sk_test', account_id='AC1').calls"
    loaded = loaded_after(code) - BY_HTTPX_CLIENT
    assert loaded == {"clawops.resources", "clawops.types", "pydantic.main"}


def test_every_public_name_resolves_from_the_root() -> None:
    for name in clawops.__all__:
        assert getattr(clawops, name) is not None, name
    namespace: dict[str, object] = {}
    exec("from clawops import *", namespace)
    assert set(clawops.__all__) <= namespace.keys()
    assert clawops.Call is clawops.types.Call
    assert clawops.SyncPage is clawops.pagination.SyncPage
    assert clawops.resources.Calls.__name__ == "Calls"
    assert clawops.webhooks.verify_signature is not None
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = clawops.Nope  # type: ignore[attr-defined]


def test_models_built_on_first_use_still_validate_fully() -> None:
    call = clawops.Call.model_validate_json(
        b'{"callId": "CA1", "status": "queued", "dateCreated": "2026-01-02T03:04:05Z"}'
    )
    assert call.call_id == "CA1"
    assert call.date_created is not None
    assert call.date_created.year == 2026
    with pytest.raises(pydantic.ValidationError, match=r"callId"):
        clawops.Call.model_validate({"status": "queued"})
    with pytest.raises(pydantic.ValidationError, match="total"):
        clawops.PageMeta.model_validate({"total": "many", "page": 0, "pageSize": 20})
