"""Alembic driven from code: `python -m bot migrate` and start-up call these."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


async def _with_connection(engine: AsyncEngine, action, *args: str) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config()

    def run(sync_connection) -> None:  # type: ignore[no-untyped-def]
        config.attributes["connection"] = sync_connection
        action(config, *args)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _with_connection(engine, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _with_connection(engine, command.downgrade, revision)


# Virtual tables (and their shadow tables) that migrations create by hand, per dialect.
HAND_MADE_TABLE_PREFIXES = ("organisations_rtree", "programmes_fts")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate filter: leave the hand-made search and spatial tables alone."""
    return not (type_ == "table" and name and name.startswith(HAND_MADE_TABLE_PREFIXES))
