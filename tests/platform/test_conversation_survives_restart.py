"""A user stops mid-dialog; the process is rebuilt on the same database; the dialog goes on."""

from __future__ import annotations

import uuid

from aiogram.fsm.storage.base import StorageKey
from backends import REDIS_URL, needs_redis

from bot.app import build_app, create_dispatcher, prepare_database
from bot.testing.offline_session import OfflineSession
from db.fsm_storage import SqlStorage
from harness import BotClient


async def _start_then_restart(settings, make_storage) -> None:
    first = build_app(settings)

    await prepare_database(first)
    chats = OfflineSession()  # Telegram's side outlives the bot: the same chats after the restart
    client = BotClient(first, create_dispatcher(first, make_storage(first)), session=chats)
    user = client.user(7001)
    await user.send("/start")
    await user.press("Родитель")
    await client.dispatcher.storage.close()
    await first.close()

    second = build_app(settings)
    restarted = BotClient(second, create_dispatcher(second, make_storage(second)), session=chats)
    same_user = restarted.user(7001)
    await same_user.send("Северск")
    assert "Северск" in same_user.text()
    assert "Сколько лет ребёнку" in same_user.texts()[-1]
    await restarted.dispatcher.storage.close()
    await second.close()
    assert not restarted.rejections


async def test_dialog_continues_after_restart_sql_storage(settings):
    await _start_then_restart(settings, lambda app: SqlStorage(app.engine))


@needs_redis
async def test_dialog_continues_after_restart_redis_storage(settings):
    from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage

    prefix = f"test-{uuid.uuid4().hex}"

    def make(app):
        return RedisStorage.from_url(
            REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True)
        )

    await _start_then_restart(settings, make)


async def test_sql_storage_round_trips_state_and_data(app):
    storage = SqlStorage(app.engine)
    key = StorageKey(bot_id=1, chat_id=2, user_id=2)
    await storage.set_state(key, "Flow:step")
    await storage.set_data(key, {"a": 1, "name": "Ёлка <b>"})
    fresh = SqlStorage(app.engine)
    assert await fresh.get_state(key) == "Flow:step"
    assert await fresh.get_data(key) == {"a": 1, "name": "Ёлка <b>"}
    await storage.set_state(key, None)
    await storage.set_data(key, {})
    assert await SqlStorage(app.engine).get_state(key) is None


async def test_sql_storage_skips_no_op_writes_and_groups_concurrent_ones(app):
    import asyncio

    from sqlalchemy import event

    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "DELETE")):
            statements.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    try:
        storage = SqlStorage(app.engine)
        quiet = StorageKey(bot_id=1, chat_id=9, user_id=9)
        await storage.set_state(quiet, None)  # what state.clear() does for a user with no state
        await storage.set_data(quiet, {})
        assert statements == []

        keys = [StorageKey(bot_id=1, chat_id=i, user_id=i) for i in range(100, 150)]
        await asyncio.gather(*(storage.set_state(key, "Flow:step") for key in keys))
        assert len(statements) <= 10, "fifty concurrent writes share a few transactions"
        fresh = SqlStorage(app.engine)
        assert [await fresh.get_state(key) for key in keys] == ["Flow:step"] * 50

        # One update's writes (a state, then its data) are one transaction, committed on exit.
        statements.clear()
        one = StorageKey(bot_id=1, chat_id=7, user_id=7)
        async with storage.deferred_writes():
            await storage.set_state(one, "Flow:step")
            await storage.set_data(one, {"answer": 42})
            assert statements == []
        assert len(statements) == 1
        fresh = SqlStorage(app.engine)
        assert (await fresh.get_state(one), await fresh.get_data(one)) == (
            "Flow:step",
            {"answer": 42},
        )
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)


async def test_a_task_an_update_started_writes_at_once_after_the_update_ended(app):
    import asyncio

    storage = SqlStorage(app.engine)
    key = StorageKey(bot_id=1, chat_id=8, user_id=8)
    later = asyncio.Event()

    async def background() -> None:
        await later.wait()
        await storage.set_state(key, "Flow:later")  # the update is over: nobody would flush

    async with storage.deferred_writes():
        task = asyncio.create_task(background())  # inherits the update's context
    later.set()
    await asyncio.wait_for(task, 5)
    assert await SqlStorage(app.engine).get_state(key) == "Flow:later"
