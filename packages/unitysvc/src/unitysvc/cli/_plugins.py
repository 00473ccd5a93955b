"""Subcommands contributed by other packages, the same contract as the public ``usvc``.

A package advertises a Typer app (or a Click command) in the ``usvc.commands`` entry-point
group (unitysvc-sellers registers ``seller = "unitysvc_sellers.cli:app"``), and ``usvc
<name> ...`` runs it. A ``usvc-<name>`` (or ``usvc_<name>``) executable on PATH covers CLIs
installed in another environment. Built-in commands always win; plugins are imported only
when run, so ``usvc --help`` stays cheap. ``USVC_NO_PLUGINS`` turns discovery off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

__all__ = ["DISABLE_ENV", "GROUP", "PluginGroup", "entry_point_plugins"]

GROUP = "usvc.commands"
DISABLE_ENV = "USVC_NO_PLUGINS"
_SEPARATORS = ("-", "_")
_SUGGESTIONS = {"seller": "unitysvc-sellers", "admin": "unitysvc-admin", "data": "unitysvc-data"}

# Typer may vendor its own Click; its usage error is the parent of Typer's BadParameter.
_UsageError: Any = typer.BadParameter.__mro__[1]


def entry_point_plugins() -> dict[str, EntryPoint]:
    """Advertised subcommands by name (metadata only; nothing is imported)."""
    if os.environ.get(DISABLE_ENV):
        return {}
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def _path_executable(name: str) -> str | None:
    if os.environ.get(DISABLE_ENV):
        return None
    for separator in _SEPARATORS:
        found = shutil.which(f"usvc{separator}{name}")
        if found:
            return found
    return None


def _as_command(loaded: Any, name: str) -> Any:
    if isinstance(loaded, typer.Typer):
        return typer.main.get_command(loaded)
    if callable(getattr(loaded, "make_context", None)):
        return loaded  # a Click command (of any Click)
    raise TypeError(f"{GROUP} entry point {name!r} is neither a Typer app nor a Click command")


class LazyPluginCommand(TyperCommand):
    """Stands for a plugin in help listings; loads it only when it is the command run."""

    def __init__(self, name: str, entry_point: EntryPoint) -> None:
        super().__init__(name=name)
        self._entry_point = entry_point
        self._target: Any = None
        dist = getattr(entry_point, "dist", None)
        self.short_help = f"Provided by {getattr(dist, 'name', None) or entry_point.module}."

    def target(self) -> Any:
        """The plugin's command, loaded on first use; a broken plugin is one stderr line."""
        if self._target is None:
            try:
                self._target = _as_command(self._entry_point.load(), self.name or "")
            except Exception as exc:  # a plugin's import error must not crash usvc itself
                sys.stderr.write(f"Error: the {self.name!r} plugin failed to load: {exc}\n")
                raise typer.Exit(1) from exc
        return self._target

    def get_short_help_str(self, limit: int = 45) -> str:
        """The listing's one-line help, from metadata."""
        return str(self.short_help)

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        """Hand parsing to the plugin: its own options and --help apply unchanged."""
        return self.target().make_context(info_name, args, parent=parent, **extra)


def _path_command(name: str, executable: str) -> Any:
    app = typer.Typer(add_completion=False)

    @app.command(
        name=name,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        add_help_option=False,
        help=f"Run {os.path.basename(executable)} (external command).",
    )
    def run(ctx: typer.Context) -> None:
        sys.stdout.flush()
        raise typer.Exit(subprocess.call([executable, *ctx.args]))

    return typer.main.get_command(app)


class PluginGroup(TyperGroup):
    """The root group: built-in commands, then entry-point plugins, then PATH executables."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """A built-in command, else a plugin of that name."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        entry_point = entry_point_plugins().get(cmd_name)
        if entry_point is not None:
            return LazyPluginCommand(cmd_name, entry_point)
        executable = _path_executable(cmd_name)
        if executable is not None:
            return _path_command(cmd_name, executable)
        return None

    def list_commands(self, ctx: Any) -> list[str]:
        """Built-ins in their order, then the plugins, sorted."""
        builtins = list(super().list_commands(ctx))
        return [*builtins, *sorted(set(entry_point_plugins()) - set(builtins))]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Name the package to install for a known plugin that is missing."""
        try:
            return super().resolve_command(ctx, args)
        except _UsageError:
            package = _SUGGESTIONS.get(args[0] if args else "")
            if package is None:
                raise
            ctx.fail(f"No such command {args[0]!r}; install {package} to enable it.")
