"""The writer of the per-update transactions (db/engine.py): one held connection on SQLite."""

from __future__ import annotations

import asyncio

import pytest
from backends import fresh_postgres, needs_postgres
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from db.engine import SerialWriter, create_engine

TABLE = "CREATE TABLE claims (id INTEGER PRIMARY KEY)"


async def _count(engine) -> int:
    async with engine.connect() as connection:
        return await connection.scalar(text("SELECT count(*) FROM claims"))


async def test_sqlite_transactions_share_one_connection_and_a_failure_gives_it_up(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    writer = SerialWriter(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(TABLE))
        seen = set()
        for n in range(3):
            async with writer.transaction() as connection:
                await connection.execute(text(f"INSERT INTO claims VALUES ({n})"))
                seen.add(id(await connection.get_raw_connection()))
        assert len(seen) == 1 and await _count(engine) == 3
        assert engine.sync_engine.pool.checkedout() == 1  # held between transactions

        with pytest.raises(IntegrityError):  # rolled back, and the connection is given up
            async with writer.transaction() as connection:
                await connection.execute(text("INSERT INTO claims VALUES (10)"))
                await connection.execute(text("INSERT INTO claims VALUES (0)"))
        assert await _count(engine) == 3
        assert engine.sync_engine.pool.checkedout() == 0
        async with writer.transaction() as connection:  # a fresh one
            await connection.execute(text("INSERT INTO claims VALUES (11)"))

        # Concurrent writers take turns; each commits its own rows.
        async def claim(n: int) -> None:
            async with writer.transaction() as connection:
                await connection.execute(text(f"INSERT INTO claims VALUES ({n})"))
                await asyncio.sleep(0)

        await asyncio.gather(*(claim(100 + n) for n in range(20)))
        assert await _count(engine) == 24
        # Closed while a transaction runs: that one commits and its connection is not kept.
        async with writer.transaction() as connection:
            await writer.close()
            await connection.execute(text("INSERT INTO claims VALUES (200)"))
        assert await _count(engine) == 25
    finally:
        await writer.close()
        assert engine.sync_engine.pool.checkedout() == 0
        await engine.dispose()


async def test_without_holding_each_transaction_takes_a_pooled_connection(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    writer = SerialWriter(engine, hold=False)
    try:
        async with writer.transaction() as connection:
            await connection.execute(text(TABLE))
        assert engine.sync_engine.pool.checkedout() == 0
    finally:
        await engine.dispose()


@needs_postgres
async def test_postgres_writers_run_side_by_side_on_pooled_connections():
    engine = await fresh_postgres()
    writer = SerialWriter(engine)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(TABLE))
        both_in = asyncio.Event()
        inside = 0

        async def claim(n: int) -> None:
            nonlocal inside
            async with writer.transaction() as connection:
                await connection.execute(text(f"INSERT INTO claims VALUES ({n})"))
                inside += 1
                if inside == 2:
                    both_in.set()
                await asyncio.wait_for(both_in.wait(), 10)  # the other is inside too

        await asyncio.gather(claim(1), claim(2))
        assert await _count(engine) == 2
        assert engine.sync_engine.pool.checkedout() == 0
    finally:
        await writer.close()
        await engine.dispose()
