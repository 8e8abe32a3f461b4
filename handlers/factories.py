"""Session factories from the dispatcher's data, for handlers that build a service per update."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import bound_engine, create_write_session_factory

SessionFactory = async_sessionmaker[AsyncSession]


def session_factories(data: dict[str, Any]) -> tuple[SessionFactory, SessionFactory]:
    """Read and write session factories. The bot's dispatcher carries both; one built with
    `sessions` only (a test's) gets write sessions over the same engine, which share its write
    lock (db.engine keeps one per engine)."""
    sessions: SessionFactory = data["sessions"]
    write = data.get("write_sessions") or create_write_session_factory(bound_engine(sessions))
    return sessions, write
