"""The benchmark's own server: a plain Starlette app, light so client costs dominate.

Served in a subprocess by ``python -m uvicorn bench.app:app``.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def get_item(request: Request) -> JSONResponse:
    """Return a small item whose id is the path parameter."""
    item_id = request.path_params["item_id"]
    return JSONResponse({"itemId": item_id, "displayName": f"Item {item_id}", "price": 12.5})


async def create_item(request: Request) -> JSONResponse:
    """Echo the posted JSON object back."""
    return JSONResponse(await request.json())


app = Starlette(
    routes=[
        Route("/items/{item_id}", get_item, methods=["GET"]),
        Route("/items", create_item, methods=["POST"]),
    ]
)
