"""Instances of the bot on one database and one conversation storage (SQL or Redis), in the
same Telegram chats: for a restart mid-dialog (stop one, start another) and for a dialog opened
on one instance and continued on another (two running side by side)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseStorage
from backends import REDIS_URL

from bot.app import App, build_app, create_dispatcher, prepare_database
from bot.config import Settings
from bot.testing.offline_session import OfflineSession
from db.fsm_storage import SqlStorage
from harness import BotClient, TestUser

BACKENDS = ("sql", "redis")


class Instances:
    def __init__(self, settings: Settings, backend: str) -> None:
        self.settings = settings
        self.backend = backend
        self.prefix = f"test-{uuid.uuid4().hex}"
        self.session = OfflineSession()
        self.running: list[tuple[App, BotClient]] = []
        self.clients: list[BotClient] = []

    def _storage(self, app: App) -> BaseStorage:
        if self.backend == "redis":
            from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage

            assert REDIS_URL, "TEST_REDIS_URL is not set"
            builder = DefaultKeyBuilder(prefix=self.prefix, with_destiny=True)
            return RedisStorage.from_url(REDIS_URL, key_builder=builder)
        return SqlStorage(app.engine, writer=app.writer)

    async def start(self) -> BotClient:
        app = build_app(self.settings)
        await prepare_database(app)
        client = BotClient(app, create_dispatcher(app, self._storage(app)), session=self.session)
        self.running.append((app, client))
        self.clients.append(client)
        return client

    async def stop(self, client: BotClient) -> None:
        for app, running in list(self.running):
            if running is client:
                await client.dispatcher.storage.close()
                await app.close()
                self.running.remove((app, running))

    @staticmethod
    def move(user: TestUser, client: BotClient) -> TestUser:
        """The same person, their next updates reaching `client`."""
        moved = client.user(user.user.id, user.user.language_code, user.user.first_name)
        moved.last = user.last
        return moved

    def rejections(self) -> list[str]:
        return [str(out.error) for client in self.clients for out in client.rejections]


@asynccontextmanager
async def instances(settings: Settings, backend: str) -> AsyncIterator[Instances]:
    kit = Instances(settings, backend)
    try:
        yield kit
    finally:
        for _app, client in list(kit.running):
            await kit.stop(client)
