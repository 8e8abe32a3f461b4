"""The writer of the per-update transactions (db/engine.py): turns on SQLite, side by side on
PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from backends import fresh_postgres, needs_postgres
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from db.engine import SerialWriter, create_engine

TABLE = "CREATE TABLE claims (id INTEGER PRIMARY KEY)"


async def _count(engine) -> int:
    async with engine.connect() as connection:
        return await connection.scalar(text("SELECT count(*) FROM claims"))


async def test_sqlite_writers_take_turns_and_a_failure_rolls_back(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    writer = SerialWriter(engine)
    try:
        async with writer.transaction() as connection:
            await connection.execute(text(TABLE))
        with pytest.raises(IntegrityError):
            async with writer.transaction() as connection:
                await connection.execute(text("INSERT INTO claims VALUES (10)"))
                await connection.execute(text("INSERT INTO claims VALUES (10)"))
        assert await _count(engine) == 0

        inside = 0
        most_inside = 0

        async def claim(n: int) -> None:
            nonlocal inside, most_inside
            async with writer.transaction() as connection:
                inside += 1
                most_inside = max(most_inside, inside)
                await connection.execute(text(f"INSERT INTO claims VALUES ({n})"))
                await asyncio.sleep(0)
                inside -= 1

        await asyncio.gather(*(claim(100 + n) for n in range(20)))
        assert await _count(engine) == 20
        assert most_inside == 1  # one writer at a time on SQLite
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
        await engine.dispose()


async def test_one_statement_commits_on_its_own_in_one_round_trip(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    writer = SerialWriter(engine)
    statements: list[str] = []
    try:
        async with writer.transaction() as connection:
            await connection.execute(text(TABLE))
        event.listen(
            engine.sync_engine,
            "before_cursor_execute",
            lambda _c, _k, statement, *_: statements.append(statement),
        )
        insert = text("INSERT INTO claims VALUES (:n) ON CONFLICT DO NOTHING RETURNING id")
        claims = await asyncio.gather(*(writer.execute_one(insert, {"n": 7}) for _ in range(5)))
        assert [row for row in claims if row is not None] == [(7,)]  # one caller wins
        assert len(statements) == 5  # no BEGIN or COMMIT around them
        assert await _count(engine) == 1  # and what it wrote stays
    finally:
        await engine.dispose()
