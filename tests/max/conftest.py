"""Fixtures of the MAX transport's tests: the fake MAX server, the mid map, a Bot carried to
MAX by `MaxSession`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot

from bot.app import App, create_bot
from bot.max.session import MaxSession
from bot.testing.fake_max_api import FakeMaxApi
from services.messengers.max_messages import MaxMessageIds

MAX_TOKEN = "max-test-token"


@pytest.fixture
async def max_server() -> AsyncIterator[FakeMaxApi]:
    async with FakeMaxApi(token=MAX_TOKEN) as server:
        yield server


@pytest.fixture
def message_ids(app: App) -> MaxMessageIds:
    return MaxMessageIds(app.sessions, app.write_sessions)


@pytest.fixture
async def max_bot(app: App, max_server: FakeMaxApi, message_ids) -> AsyncIterator[Bot]:
    session = MaxSession(MAX_TOKEN, message_ids, api_url=max_server.url, upload_delay=0.01)
    bot = create_bot(app.settings, session=session)
    yield bot
    await bot.session.close()
