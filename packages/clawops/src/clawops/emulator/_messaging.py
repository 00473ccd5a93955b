"""The messaging half of the emulator (messages, Kakao, sender numbers, blocked recipients):
its tables, seed data and routers, installed on an app in one call."""

from __future__ import annotations

from fastapi import FastAPI

from sdkcore.emulator import Database

from . import _blocked_recipients, _kakao_channels, _kakao_templates, _messages, _sender_numbers
from ._config import EmulatorConfig
from ._messaging_store import seed_messaging
from ._store import now

__all__ = ["install_messaging"]


def install_messaging(app: FastAPI, db: Database, config: EmulatorConfig) -> None:
    """Create and seed the messaging tables in ``db`` and route the messaging endpoints."""
    seed_messaging(db, config, now())
    for module in (
        _messages,
        _sender_numbers,
        _blocked_recipients,
        _kakao_channels,
        _kakao_templates,
    ):
        app.include_router(module.router)
