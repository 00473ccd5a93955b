"""The messaging half of the emulator (messages, Kakao, sender numbers, blocked recipients):
its tables, seed data and routers, installed on an app in one call."""

from __future__ import annotations

from fastapi import FastAPI

from sdkcore.emulator import Database

from ._blocked_recipients import router as blocked_recipients_router
from ._config import EmulatorConfig
from ._kakao_channels import router as kakao_channels_router
from ._kakao_templates import router as kakao_templates_router
from ._messages import router as messages_router
from ._messaging_store import seed_messaging
from ._sender_numbers import router as sender_numbers_router
from ._store import now

__all__ = ["install_messaging"]


def install_messaging(app: FastAPI, db: Database, config: EmulatorConfig) -> None:
    """Create and seed the messaging tables in ``db`` and route the messaging endpoints."""
    seed_messaging(db, config, now())
    for router in (
        messages_router,
        sender_numbers_router,
        blocked_recipients_router,
        kakao_channels_router,
        kakao_templates_router,
    ):
        app.include_router(router)
