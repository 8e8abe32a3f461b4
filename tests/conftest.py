from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from bot.app import App, build_app, prepare_database
from bot.config import Settings
from harness import BotClient


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        redis_url=None,
        admin_ids=[900001],
        default_locale="ru",
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    app = build_app(settings)
    await prepare_database(app)
    yield app
    await app.close()


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged_errors() -> AsyncIterator[list[logging.LogRecord]]:
    """Errors the bot logged; tests that provoke one clear the list after checking it."""
    handler = _ErrorRecords()
    logging.getLogger().addHandler(handler)
    yield handler.records
    logging.getLogger().removeHandler(handler)


@pytest.fixture
async def client(app: App, logged_errors) -> AsyncIterator[BotClient]:
    client = BotClient(app)
    yield client
    await client.dispatcher.storage.close()
    rejected = [str(out.error) for out in client.rejections]
    assert not rejected, f"Telegram would have rejected: {rejected}"
    assert not logged_errors, [r.getMessage() for r in logged_errors]
