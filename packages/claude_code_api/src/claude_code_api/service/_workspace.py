"""A task's working directory: made fresh (or copied from an allowed directory, within limits),
and its files fingerprinted before and after the run to list what the task changed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from ._calls import ServiceError

__all__ = ["snapshot", "task_directory"]

_COPY_LIMIT_FILES = 2000
_COPY_LIMIT_BYTES = 50_000_000


def task_directory(directory: Path, source: Path | None) -> Path:
    """`directory` made empty, or as a copy of `source`; 400 when `source` is too large."""
    if source is None:
        directory.mkdir(parents=True)
        return directory
    files = [p for p in source.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    if len(files) > _COPY_LIMIT_FILES or size > _COPY_LIMIT_BYTES:
        raise ServiceError(
            400,
            f"working_directory too large to copy: {len(files)} files, {size} bytes "
            f"(at most {_COPY_LIMIT_FILES} files, {_COPY_LIMIT_BYTES} bytes)",
        )
    shutil.copytree(source, directory, symlinks=True)
    return directory


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Size and SHA-256 of every regular file under `root`, by relative path."""
    files: dict[str, tuple[int, str]] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            files[path.relative_to(root).as_posix()] = (len(data), hashlib.sha256(data).hexdigest())
    return files
