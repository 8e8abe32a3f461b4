"""The in-loop SQLite driver: waits for another writer without blocking the event loop."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy import text

import db.sqlite_inloop
from db.engine import create_engine, immediate


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/inloop.sqlite3")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)"))
    yield engine
    await engine.dispose()


def other_process_writer(engine) -> sqlite3.Connection:
    """A connection of its own holding SQLite's write lock, as a CLI import would."""
    other = sqlite3.connect(engine.url.database, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1, 'theirs')")
    return other


async def test_a_writer_waits_for_the_lock_while_the_loop_keeps_running(engine):
    other = other_process_writer(engine)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    async def ours() -> None:
        async with immediate(engine).begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (2, 'ours')"))

    ticking = asyncio.create_task(ticker())
    writing = asyncio.create_task(ours())
    await asyncio.sleep(0.2)
    assert not writing.done()  # still waiting for the other connection's lock...
    assert ticks >= 10  # ...and the loop went on meanwhile
    other.execute("COMMIT")
    await asyncio.wait_for(writing, 2)
    ticking.cancel()
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT k, v FROM t ORDER BY k"))).all()
    assert [tuple(row) for row in rows] == [(1, "theirs"), (2, "ours")]
    other.close()


async def test_a_lock_held_too_long_is_the_usual_error(engine, monkeypatch):
    monkeypatch.setattr(db.sqlite_inloop, "BUSY_WAIT_S", 0.1)
    other = other_process_writer(engine)
    with pytest.raises(Exception, match="database is locked"):
        async with immediate(engine).begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (2, 'ours')"))
    other.execute("ROLLBACK")
    other.close()


async def test_streamed_results_come_in_batches(engine):
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO t VALUES (:k, :v)"), [{"k": k, "v": f"v{k}"} for k in range(1, 2001)]
        )
    async with engine.connect() as connection:
        result = await connection.stream(text("SELECT k FROM t ORDER BY k"))
        seen = [row.k async for row in result]
    assert seen == list(range(1, 2001))


async def test_the_busy_handler_of_sqlite_itself_is_off(engine):
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 0
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
