"""The daily clean-up forgets the ids given to MAX messages once no conversation state can name
them (RETENTION__CONVERSATION_HOURS), on SQLite and PostgreSQL; a recent pair stays usable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backends import fresh_postgres, needs_postgres
from sqlalchemy import insert, select

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import MaxMessage
from services.housekeeping import Housekeeping
from services.messengers.max_messages import MaxMessageIds

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


async def scenario(engine) -> None:  # type: ignore[no-untyped-def]
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    write_sessions = create_write_session_factory(engine)
    async with write_sessions() as session, session.begin():
        for mid, age in (("old.1", 50), ("old.2", 25), ("recent", 23), ("newest", 1)):
            await session.execute(insert(MaxMessage).values(mid=mid, created_at=NOW - age * HOUR))
    ids = MaxMessageIds(sessions, write_sessions, cached=0)
    recent = await ids.id_of("recent")

    def clean_up(hours: int | None) -> Housekeeping:
        return Housekeeping(
            write_sessions,
            keep_days=90,
            booking_days=365,
            message_hours=hours,
            clock=lambda: NOW,
            batch=1,
        )

    assert (await clean_up(None).run()).max_messages == 0, "kept unless told how long"
    assert (await clean_up(24).run()).max_messages == 2
    async with sessions() as session:
        left = (await session.scalars(select(MaxMessage.mid).order_by(MaxMessage.id))).all()
    assert left == ["recent", "newest"]
    assert await ids.mid_of(recent) == "recent"
    assert await ids.id_of("old.1") > recent, "a forgotten mid seen again gets a new id"
    assert (await clean_up(24).run()).max_messages == 0


async def test_old_max_message_ids_are_pruned_but_the_newest_stays(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        await scenario(engine)
    finally:
        await engine.dispose()


async def test_on_sqlite_the_newest_id_is_never_given_again(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'n.sqlite3'}")
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        write_sessions = create_write_session_factory(engine)
        ids = MaxMessageIds(sessions, write_sessions, cached=0)
        first = await ids.id_of("mid.a")
        later = NOW + timedelta(days=30)
        housekeeping = Housekeeping(
            write_sessions, keep_days=90, booking_days=365, message_hours=24, clock=lambda: later
        )
        assert (await housekeeping.run()).max_messages == 0, "the only row is the newest"
        assert await ids.id_of("mid.b") == first + 1
    finally:
        await engine.dispose()


@needs_postgres
async def test_old_max_message_ids_are_pruned_on_postgres():
    engine = await fresh_postgres()
    try:
        await scenario(engine)
    finally:
        await engine.dispose()
