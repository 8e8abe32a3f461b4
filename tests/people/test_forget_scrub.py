"""/forget leaves nothing of the person in the database's files: SQLite's main file and WAL
read as raw bytes while the bot runs; on PostgreSQL no old row version left in the tables."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from backends import fresh_postgres, needs_postgres
from consult_data import seed
from sqlalchemy import func, make_url, select, text

from bot.app import build_app, prepare_database
from db import scrub
from db.models import Booking, QuizResult
from db.scrub import checkpoint_wal
from harness import BotClient
from services.people.children import Given

pytestmark = pytest.mark.both_messengers

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk
MONDAY = date(2026, 11, 23)
PARENT = 8301

NAME = "Зинаида Квашнина"
PHONE = "+79995550123"
QUESTION = "Вопрос-маркер QX7781: сын не хочет читать"
REASON = "Причина-маркер RZ5512"
ABANDONED = "Прасковья Незаконченная"  # typed in a booking dialog left halfway
CHILD = "Чадо-маркер CH4417"  # a child's name kept in /settings
SECRETS = (NAME, PHONE, QUESTION, REASON, ABANDONED, CHILD)


async def _consultations(app) -> None:
    app.booking.now = lambda: NOW
    await seed(app.sessions, app.settings.zone, MONDAY)


async def _book(user, time: str, name: str, question: str | None, phone: str = PHONE) -> None:
    await user.send("👨‍👩‍👧 Консультации")
    await user.press("📝 Записаться")
    await user.press("Психолого-педагогическая помощь")
    await user.press("МБОУ «СОШ № 5»")
    await user.press("Иванова М. П. · педагог-психолог")
    await user.press("23")
    await user.press(time)
    await user.press("🏫 Очно")
    await user.press("✅ Согласен(на)")  # the booking's data notice
    await user.send(name)
    if question is None:  # left here: the name stays in the conversation state
        return
    await user.send(phone)
    await user.send("9")
    await user.send(question)
    await user.press("✅ Подтвердить")
    assert "Вы записаны" in user.text()


async def _cancel_with_reason(user) -> None:
    await user.send("👨‍👩‍👧 Консультации")
    await user.press("📋 Мои записи")
    await user.press("❌ Отменить 23.11 09:45")
    await user.send(REASON)
    assert "отменена" in user.text()


async def _leave_traces(client) -> None:
    """Bookings of the parent between other parents' rows (freed space in the middle of a
    page is not overwritten by later rows), one cancelled with a reason, a dialog left."""
    await _book(
        client.user(PARENT + 1), "12:15", "Ольга Соседова", "Вопрос соседки", "+79130001122"
    )
    parent = client.user(PARENT)
    for user_id, name in ((client.person_id(PARENT + 1), "Соседский ребёнок"), (parent.id, CHILD)):
        await client.app.profiles.get_or_create(user_id, "ru")
        await client.app.profiles.give_consent(user_id)
        await client.app.children.add(user_id, Given(age=9), name=name)
    await _book(parent, "09:00", NAME, QUESTION)
    await _book(parent, "09:45", NAME, QUESTION)
    await _cancel_with_reason(parent)
    await _book(
        client.user(PARENT + 2), "09:45", "Ирина Соседова", "Вопрос соседки", "+79130003344"
    )
    await _take_quiz(client, parent)
    await _book(parent, "11:30", ABANDONED, None)


async def _take_quiz(client, parent) -> None:
    """A quiz result kept with consent (gone with the profile: ON DELETE CASCADE)."""
    await client.app.profiles.give_consent(parent.id)
    await parent.send("/quiz")
    await parent.press("👨‍👩‍👧 Я родитель — о ребёнке")
    for question in client.app.quiz.questions:
        await parent.press(question.answers[0].text["ru"])
    assert "Результат сохранён" in parent.text()


async def _forget(client) -> None:
    parent = client.user(PARENT)
    await parent.send("/forget")
    await parent.press("Да, удалить")
    assert "Ваши данные удалены" in parent.text()


def _files(database: Path) -> bytes:
    """The main file and the WAL, as they are on disk now."""
    data = database.read_bytes()
    wal = database.with_name(database.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _found(data: bytes) -> list[str]:
    return [secret for secret in SECRETS if secret.encode() in data]


async def test_forget_leaves_nothing_in_the_sqlite_file_or_its_wal(client, app):
    database = Path(make_url(app.settings.database_url).database)
    await _consultations(app)
    await _leave_traces(client)
    # What the test looks for is there before (the WAL holds the dialog's steps).
    assert _found(_files(database)) == list(SECRETS)

    await _forget(client)

    assert _found(_files(database)) == []
    async with app.engine.connect() as connection:  # not left to how SQLite was built
        assert (await connection.exec_driver_sql("PRAGMA secure_delete")).scalar() == 1
    async with app.sessions() as session:  # the bookings still count, anonymously
        rows = (await session.execute(select(Booking.status, Booking.name))).all()
    assert sorted(rows) == [
        ("active", "Ирина Соседова"),
        ("active", "Ольга Соседова"),
        ("cancelled", None),
        ("cancelled", None),
    ]


async def test_the_wal_is_emptied_once_a_reader_lets_go_and_the_loop_runs_meanwhile(app):
    database = Path(make_url(app.settings.database_url).database)
    wal = database.with_name(database.name + "-wal")
    reader = await app.engine.connect()
    await reader.exec_driver_sql("SELECT count(*) FROM users")  # holds its snapshot
    async with app.engine.begin() as connection:
        await connection.exec_driver_sql(
            "INSERT INTO users (id, locale, created_at) VALUES (1, 'ru', '2026-01-01')"
        )
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    async def let_go() -> None:
        await asyncio.sleep(0.3)
        await reader.rollback()
        await reader.close()

    beat = asyncio.create_task(heartbeat())
    emptied, _ = await asyncio.gather(checkpoint_wal(app.engine), let_go())
    beat.cancel()
    assert emptied and wal.stat().st_size == 0
    assert ticks >= 20  # the wait was asyncio sleeps, not a blocked loop


async def test_a_reader_that_never_lets_go_gives_up_with_a_warning(app, monkeypatch, caplog):
    monkeypatch.setattr(scrub, "CHECKPOINT_TRIES", 3)
    reader = await app.engine.connect()
    await reader.exec_driver_sql("SELECT count(*) FROM users")
    async with app.engine.begin() as connection:
        await connection.exec_driver_sql(
            "INSERT INTO users (id, locale, created_at) VALUES (1, 'ru', '2026-01-01')"
        )
    try:
        assert await checkpoint_wal(app.engine) is False
    finally:
        await reader.close()
    assert "could not be emptied" in caplog.text


@needs_postgres
async def test_forget_on_postgres_vacuums_the_old_row_versions_away(settings, logged_errors):
    """An UPDATE or DELETE leaves the old row version in the table until VACUUM: right after
    /forget none is left (pgstattuple counts them). The bytes of removed versions may stay in
    the pages' free space until reused: the limit documented in db/scrub.py."""
    engine = await fresh_postgres()
    app = build_app(settings, engine)
    client = None
    try:
        await prepare_database(app)
        await _consultations(app)
        async with engine.begin() as connection:
            await connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        client = BotClient(app)
        await _leave_traces(client)
        assert (await _dead_versions(engine))["bookings"] > 0  # the cancellation's

        await _forget(client)

        assert await _dead_versions(engine) == dict.fromkeys(TABLES, 0)
        async with app.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(QuizResult)) == 0
        async with app.sessions() as session:
            rows = await session.execute(
                select(Booking.name, Booking.question).where(Booking.user_id.is_(None))
            )
        assert rows.all() == [(None, None), (None, None)]
        assert not logged_errors
    finally:
        if client is not None:
            await client.dispatcher.storage.close()
        await app.close()


TABLES = ("bookings", "users", "children", "quiz_results", "fsm_records")


async def _dead_versions(engine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {
            table: (
                await connection.execute(
                    text("SELECT dead_tuple_count FROM pgstattuple(:t)"), {"t": table}
                )
            ).scalar_one()
            for table in TABLES
        }
