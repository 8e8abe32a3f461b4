"""An app and a client on SQLite or PostgreSQL (helpers: tests/waitlist_kit.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from backends import fresh_postgres, needs_postgres

from bot.app import App, build_app, prepare_database
from bot.config import Settings
from harness import BotClient


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def any_app(request, settings: Settings) -> AsyncIterator[App]:
    engine = await fresh_postgres() if request.param == "postgres" else None
    app = build_app(settings, engine=engine)
    await prepare_database(app)
    yield app
    await app.close()


@pytest.fixture
async def any_client(any_app: App, logged_errors) -> AsyncIterator[BotClient]:
    client = BotClient(any_app)
    yield client
    await client.dispatcher.storage.close()
    rejected = [str(out.error) for out in client.rejections]
    assert not rejected, f"Telegram would have rejected: {rejected}"
    assert not logged_errors, [r.getMessage() for r in logged_errors]
