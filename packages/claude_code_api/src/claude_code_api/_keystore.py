"""The per-user key store of `claude-api keys provision/get/store-list`: a JSON file written
with mode 0600 (`CLAUDE_API_HOME`/keys.json, default ~/.claude-api/keys.json)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["HOME_ENV", "KeyStore", "home"]

HOME_ENV = "CLAUDE_API_HOME"


def home() -> Path:
    """The folder of the CLI's files (`CLAUDE_API_HOME`, else ~/.claude-api)."""
    return Path(os.environ.get(HOME_ENV) or "~/.claude-api").expanduser()


class KeyStore:
    """Keys provisioned for services, by service id."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or home() / "keys.json"

    def __repr__(self) -> str:
        return f"KeyStore(path={str(self.path)!r})"

    def load(self) -> dict[str, dict[str, Any]]:
        """Every stored entry (empty when there is no file yet)."""
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        if not isinstance(data, dict):
            raise ValueError(f"{self.path} is not a key store (expected a JSON object)")
        return data

    def get(self, service_id: str) -> dict[str, Any] | None:
        """The entry of one service, if stored."""
        return self.load().get(service_id)

    def put(self, service_id: str, entry: dict[str, Any]) -> None:
        """Store an entry; the file is replaced atomically and readable by its owner only."""
        data = self.load()
        data[service_id] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".keys-")
        try:
            os.fchmod(handle, 0o600)
            with os.fdopen(handle, "w") as file:
                json.dump(data, file, indent=2, sort_keys=True)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
