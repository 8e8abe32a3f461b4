"""Stairway: every revision goes up, down and up again, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from backends import fresh_postgres, needs_postgres
from sqlalchemy import inspect

from db import migrate
from db.engine import create_engine
from db.models import Base


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def _stairway(engine) -> None:
    revisions = _revisions()
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        await migrate.upgrade(engine, revision)
        await migrate.downgrade(engine, previous)
        await migrate.upgrade(engine, revision)
        previous = revision
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert set(Base.metadata.tables) <= tables, "models and migrations disagree"
    await migrate.downgrade(engine, "base")
    async with engine.connect() as connection:
        left = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert left <= {"alembic_version"}


async def test_stairway_sqlite(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        await _stairway(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_stairway_postgres():
    engine = await fresh_postgres()
    try:
        await _stairway(engine)
    finally:
        await engine.dispose()


async def test_models_match_migrations(tmp_path):
    """Autogenerate finds nothing to add: every model change came with a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_name": migrate.include_name}),
                    Base.metadata,
                )
            )
        assert diff == []
    finally:
        await engine.dispose()
