"""Shared fixtures. Flow tests run in both messengers: a module marked
`pytestmark = pytest.mark.both_messengers` gets each test twice, `[telegram]` and `[max]`, through
the `messenger` fixture (the `client` is then a Telegram or a MAX harness client, the same API);
a test of such a module that cannot run in MAX says why with `@pytest.mark.telegram_only(why)`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from max_harness import MAX_TOKEN, MaxBotClient, bot_id_of

from bot.app import App, build_app, prepare_database
from bot.config import Settings
from bot.testing.fake_max_api import FakeMaxApi
from harness import BotClient

MESSENGERS = ("telegram", "max")
ADMIN = 900001  # the admin's id in the messenger (settings hold the bot's id for them)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_messengers: run each test in Telegram and in MAX")
    config.addinivalue_line("markers", "telegram_only(reason): not run in MAX, for this reason")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    definition = metafunc.definition
    if (
        "client" in metafunc.fixturenames
        and definition.get_closest_marker("both_messengers") is not None
        and definition.get_closest_marker("telegram_only") is None
    ):
        metafunc.parametrize("messenger", MESSENGERS, indirect=True)


@pytest.fixture
def messenger(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "telegram")


@pytest.fixture
async def settings(tmp_path, messenger: str) -> Settings:
    admin = await bot_id_of(ADMIN) if messenger == "max" else ADMIN
    return Settings(
        _env_file=None,
        bot_token=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        redis_url=None,
        admin_ids=[admin],
        default_locale="ru",
        messenger=messenger,  # the process's messenger, as MESSENGER says in production
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
async def client(app: App, logged_errors, messenger: str) -> AsyncIterator[BotClient]:
    if messenger == "max":
        async with FakeMaxApi(token=MAX_TOKEN) as server:
            max_client = await MaxBotClient.start(app, server)
            yield max_client  # type: ignore[misc]  # the same API as BotClient
            await max_client.close()
            rejections = max_client.rejections
    else:
        client = BotClient(app)
        yield client
        await client.dispatcher.storage.close()
        rejections = client.rejections
    rejected = [str(out.error) for out in rejections]
    assert not rejected, f"{messenger} would have rejected: {rejected}"
    assert not logged_errors, [r.getMessage() for r in logged_errors]
