"""SQLite through aiosqlite (db/engine.py): WAL, foreign keys, IMMEDIATE writes, and a lock held
by another process never stalls the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from sqlalchemy import text

from db.engine import create_engine, immediate


async def test_connections_are_tuned(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 't.sqlite3'}")
    try:
        assert engine.dialect.driver == "aiosqlite"
        async with engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert await connection.scalar(text("PRAGMA busy_timeout")) == 5000
    finally:
        await engine.dispose()


async def test_another_process_holding_the_write_lock_does_not_stall_the_loop(tmp_path):
    path = tmp_path / "t.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # as a CLI import in another process would

        gaps: list[float] = []

        async def tick() -> None:
            last = time.monotonic()
            while True:
                await asyncio.sleep(0.01)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        async def write() -> None:
            async with immediate(engine).begin() as connection:
                await connection.execute(text("INSERT INTO t VALUES (1)"))

        ticker = asyncio.create_task(tick())
        writing = asyncio.create_task(write())
        await asyncio.sleep(0.5)
        assert not writing.done()  # waiting on the lock, in aiosqlite's thread
        other.execute("COMMIT")
        other.close()
        await asyncio.wait_for(writing, 5)
        ticker.cancel()
        assert max(gaps) < 0.1, max(gaps)
        async with engine.connect() as connection:
            assert await connection.scalar(text("SELECT count(*) FROM t")) == 1
    finally:
        await engine.dispose()


async def test_read_then_write_transactions_begin_immediate(tmp_path):
    """Two engines (two processes' worth) read, then write: with DEFERRED the second would fail
    with SQLITE_BUSY at once; IMMEDIATE makes it wait for the first."""
    path = tmp_path / "t.sqlite3"
    first, second = create_engine(f"sqlite:///{path}"), create_engine(f"sqlite:///{path}")
    try:
        async with first.begin() as connection:
            await connection.execute(text("CREATE TABLE n (v INTEGER)"))
            await connection.execute(text("INSERT INTO n VALUES (0)"))

        async def bump(engine) -> None:  # type: ignore[no-untyped-def]
            async with immediate(engine).begin() as connection:
                value = await connection.scalar(text("SELECT v FROM n"))
                await asyncio.sleep(0.05)
                await connection.execute(text("UPDATE n SET v = :v"), {"v": value + 1})

        await asyncio.gather(bump(first), bump(second))
        async with first.connect() as connection:
            assert await connection.scalar(text("SELECT v FROM n")) == 2
    finally:
        await first.dispose()
        await second.dispose()


async def test_sqlite_autocommit_either_way_emits_no_begin(tmp_path):
    """`autocommit(engine)` and SQLAlchemy's own isolation_level="AUTOCOMMIT" both run each
    statement as its own transaction: VACUUM, which SQLite refuses inside one, goes through."""
    from db.engine import autocommit as one_statement

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'a.sqlite3'}")
    try:
        async with one_statement(engine).connect() as connection:
            await connection.exec_driver_sql("VACUUM")
        async with engine.connect() as connection:
            standard = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await standard.exec_driver_sql("VACUUM")
    finally:
        await engine.dispose()
