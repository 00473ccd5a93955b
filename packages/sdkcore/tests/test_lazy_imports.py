"""`import sdkcore` leaves pydantic's model machinery, pages, streaming and the emulator for
first use, and the lazily loaded names resolve like the others."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

import sdkcore


def test_import_loads_no_models_streams_or_emulator() -> None:
    heavy = (
        "httpcore",
        "pydantic.main",
        "sdkcore._models",
        "sdkcore._pagination",
        "sdkcore._streaming",
        "sdkcore.emulator",
    )
    probe = f"import sys, sdkcore\nprint(' '.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == []


def test_lazy_names_resolve() -> None:
    for name in sdkcore.__all__:
        assert getattr(sdkcore, name) is not None, name
    assert issubclass(sdkcore.CamelModel, sdkcore.BaseModel)
    assert issubclass(sdkcore.BaseModel, pydantic.BaseModel)


def test_deferred_models_validate_and_dump_like_built_ones() -> None:
    class Item(sdkcore.CamelModel):
        item_id: str
        size: int

    # Dumping before any validation builds the serializer on demand too.
    assert Item.model_construct(item_id="a", size=1).to_dict() == {"itemId": "a", "size": 1}
    item = Item.model_validate_json(b'{"itemId": "x", "size": "3", "extra": true}')
    assert (item.item_id, item.size, item.to_dict()) == (
        "x",
        3,
        {"itemId": "x", "size": 3, "extra": True},
    )
    with pytest.raises(pydantic.ValidationError) as raised:
        Item.model_validate({"itemId": "x", "size": "big"})
    assert raised.value.errors()[0]["loc"] == ("size",)


def test_lazy_exports_imports_on_first_access_and_caches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "sdkcore_lazy_probe"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import sdkcore\n"
        "__getattr__ = sdkcore.lazy_exports(\n"
        "    __name__, {'Thing': '._things', 'extras': '.extras'}\n"
        ")\n"
    )
    (package / "_things.py").write_text("class Thing:\n    pass\n")
    (package / "extras.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("sdkcore_lazy_probe", "sdkcore_lazy_probe._things", "sdkcore_lazy_probe.extras"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    probe = importlib.import_module("sdkcore_lazy_probe")
    assert "sdkcore_lazy_probe._things" not in sys.modules
    thing = probe.Thing
    assert thing.__module__ == "sdkcore_lazy_probe._things"
    assert vars(probe)["Thing"] is thing  # cached: the next lookup skips __getattr__
    assert probe.extras.VALUE == 1  # a name mapped to its own submodule is the module
    with pytest.raises(AttributeError, match="'sdkcore_lazy_probe' has no attribute 'Other'"):
        _ = probe.Other
