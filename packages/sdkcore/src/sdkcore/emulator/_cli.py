"""Console helpers shared by the SDKs' ``<package>-emulator`` commands."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["serve_banner"]


def serve_banner(name: str, url: str, details: Mapping[str, str]) -> str:
    """Return the startup text printed by ``<package>-emulator serve``.

    ``details`` (e.g. database path, test API key) are listed one per line, aligned.
    """
    lines = [f"{name} emulator listening on {url}"]
    width = max((len(key) for key in details), default=0)
    lines.extend(f"  {key + ':':<{width + 1}} {value}" for key, value in details.items())
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)
