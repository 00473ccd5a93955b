"""The kit's own middleware, kept outside any middleware the emulator adds itself.

The journal must see every request and faults must act before the app does (including its
own auth middleware), whatever order the app registers middleware in. So instead of joining
``user_middleware`` (where later ``add_middleware`` calls land further out), the kit wraps
the stack Starlette builds.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.types import ASGIApp

__all__ = ["BODY_LIMIT_RANK", "FAULT_RANK", "JOURNAL_RANK", "add_outer_layer"]

# The kit's layers, innermost first: faults act on what the journal records, and the body
# limit sits outside the journal, which buffers every body it records.
FAULT_RANK = 1
JOURNAL_RANK = 2
BODY_LIMIT_RANK = 3

Layer = Callable[[ASGIApp], ASGIApp]

_layers: weakref.WeakKeyDictionary[Starlette, list[tuple[int, Layer]]] = weakref.WeakKeyDictionary()


def add_outer_layer(app: Starlette, rank: int, layer: Layer) -> None:
    """Wrap ``app``'s whole middleware stack in ``layer``; higher ``rank`` sits further out."""
    if app.middleware_stack is not None:
        raise RuntimeError("Cannot add middleware after an application has started")
    layers = _layers.get(app)
    if layers is None:
        layers = _layers[app] = []
        build = app.build_middleware_stack

        def build_with_layers() -> ASGIApp:
            stack = build()
            for _, wrap in sorted(layers, key=lambda item: item[0]):
                stack = wrap(stack)
            return stack

        # An instance attribute shadows the method Starlette calls on first request.
        setattr(app, "build_middleware_stack", build_with_layers)  # noqa: B010
    layers.append((rank, layer))
