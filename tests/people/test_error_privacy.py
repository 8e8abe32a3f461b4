"""A booking whose write fails in the database: the parent gets an apology, the admins an
alert, the log a line with a traceback, and none of them carries the parent's name, phone or
question (SQL parameters, PostgreSQL's "Failing row contains", the error's text)."""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from aiogram.methods import SendMessage
from backends import fresh_postgres, needs_postgres
from consult_data import seed
from sqlalchemy import func, select

from bot.app import App, build_app, prepare_database
from bot.error_text import WITHHELD, error_label, safe_traceback
from bot.logs import make_handler
from db.models import Booking
from harness import BotClient

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk
MONDAY = date(2026, 11, 23)
ADMIN = 900001
PARENT = 8501
NAME = "Феврония Секретная"
PHONE = "+79995557788"
QUESTION = "Тайный вопрос QZ4417 о дочери"
# How the phone may be written in a log line: as typed, as stored, as digits.
SECRETS = (NAME, "Феврония", "Секретная", PHONE, "9995557788", QUESTION, "QZ4417")

# A write refused by the database itself, as a broken migration or a full disk would.
FAILURES = {
    "sqlite": "CREATE TRIGGER refuse_bookings BEFORE INSERT ON bookings "
    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
    "postgresql": "ALTER TABLE bookings ADD CONSTRAINT refuse_bookings CHECK (id < 0) NOT VALID",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
async def failing_app(request, settings) -> AsyncIterator[App]:
    engine = await fresh_postgres() if request.param == "postgresql" else None
    app = build_app(settings, engine)
    try:
        await prepare_database(app)
        app.booking.now = lambda: NOW
        await seed(app.sessions, app.settings.zone, MONDAY)
        async with app.engine.begin() as connection:
            await connection.exec_driver_sql(FAILURES[app.engine.dialect.name])
        yield app
    finally:
        await app.close()


class _Everything(logging.Handler):
    """Every record at every level, formatted with its traceback as a plain handler would."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> AsyncIterator[tuple[_Everything, io.StringIO, io.StringIO]]:
    root = logging.getLogger()
    raw, text, json_lines = _Everything(), io.StringIO(), io.StringIO()
    handlers = [raw, make_handler("text", text), make_handler("json", json_lines)]
    level = root.level
    root.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    yield raw, text, json_lines
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)


async def _try_to_book(user) -> None:
    await user.send("👨‍👩‍👧 Консультации")
    await user.press("📝 Записаться")
    await user.press("Психолого-педагогическая помощь")
    await user.press("МБОУ «СОШ № 5»")
    await user.press("Иванова М. П. · педагог-психолог")
    await user.press("23")
    await user.press("09:00")
    await user.press("📞 По телефону")
    await user.press("✅ Согласен(на)")  # the booking's data notice
    await user.send(NAME)
    await user.send(PHONE)
    await user.send("9")
    await user.send(QUESTION)
    assert NAME in user.text()  # the confirmation screen shows what will be written
    await user.press("✅ Подтвердить")


async def test_a_failed_booking_write_leaks_nothing_to_logs_or_alerts(
    failing_app, captured, logged_errors
):
    client = BotClient(failing_app)
    raw, text, json_lines = captured
    parent = client.user(PARENT)
    await _try_to_book(parent)

    assert "что-то пошло не так" in parent.text()
    async with failing_app.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Booking))).scalar() == 0
    alerts = [
        out.method.text
        for out in parent.last
        if isinstance(out.method, SendMessage) and out.method.chat_id == ADMIN
    ]
    assert len(alerts) == 1
    assert "IntegrityError" in alerts[0]  # the class, and the update to look for in the log
    [record] = logged_errors
    update_id = record.update_id
    assert str(update_id) in alerts[0]

    logs = "\n".join(raw.lines) + text.getvalue() + json_lines.getvalue()
    assert "Traceback" in logs and "services/booking/service.py" in logs  # still a useful trace
    assert "IntegrityError" in logs and f"update {update_id}" in logs
    for secret in SECRETS:
        assert secret not in logs, secret
        assert secret not in alerts[0], secret
    logged_errors.clear()
    await client.dispatcher.storage.close()
    assert not client.rejections


def test_error_text_keeps_codes_and_frames_and_withholds_messages():
    def parse(age: str) -> int:
        return int(age)

    try:
        try:
            parse(NAME)
        except ValueError as error:
            raise KeyError(PHONE) from error
    except KeyError as error:
        trace = safe_traceback(error)
        label = error_label(error)
    assert "in parse" in trace and "return int(age)" in trace
    assert "ValueError: " + WITHHELD in trace and "KeyError: " + WITHHELD in trace
    assert "direct cause" in trace
    assert NAME not in trace and PHONE not in trace
    assert label == "KeyError"

    try:
        None.text  # type: ignore[union-attr]  # noqa: B018
    except AttributeError as error:
        assert "'NoneType' object has no attribute 'text'" in safe_traceback(error)
