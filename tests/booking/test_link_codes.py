"""Specialists' link codes work for a day, and a person gets a few wrong guesses an hour:
through the bot, kept across a restart, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from backends import fresh_postgres, needs_postgres
from clock import Clock
from consult_data import seed
from sqlalchemy import func, select

from bot.app import build_app, prepare_database
from db.models import LinkAttempt, Specialist
from services.booking.specialists import (
    LINK_ALPHABET,
    LINK_LENGTH,
    WRONG_LINKS_LIMIT,
    LinkError,
    SpecialistService,
)
from services.people.privacy import sweep_expired

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
SPEC = 7101
GUESSER = 7102
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk
CODE_RE = re.compile(rf"\b[{LINK_ALPHABET}]{{{LINK_LENGTH}}}\b")
WRONG = "ABCD2345"
EXPIRED = "Срок действия кода истёк"
TOO_MANY = "Слишком много неверных кодов"


async def _clocked(app) -> Clock:
    clock = Clock(NOW)
    app.booking.now = clock
    await seed(app.sessions, app.settings.zone, MONDAY)
    return clock


async def _code(client, until: str = "пн, 23 ноября, 10:00") -> str:
    admin = client.user(ADMIN)
    await admin.send("/linkcode E1")
    assert f"Код действует сутки — до {until}" in admin.text()
    return CODE_RE.search(admin.text()).group(0)


async def _linked(app) -> int | None:
    async with app.sessions() as session:
        return await session.scalar(select(Specialist.telegram_user_id).where(Specialist.id == 1))


async def test_a_link_code_expires_after_a_day(client, app):
    clock = await _clocked(app)
    code = await _code(client)
    specialist = client.user(SPEC)
    clock.moment += timedelta(hours=24, minutes=1)
    await specialist.send(f"/link {code}")
    assert EXPIRED in specialist.text() and await _linked(app) is None

    code = await _code(client, "вт, 24 ноября, 10:01")  # a new one: a day from now
    clock.moment += timedelta(hours=23)
    await specialist.send(f"/link {code}")
    assert "Аккаунт привязан" in specialist.text() and await _linked(app) == client.person_id(SPEC)


async def test_wrong_codes_are_limited_per_person_even_across_a_restart(client, app, settings):
    clock = await _clocked(app)
    code = await _code(client)
    guesser = client.user(GUESSER)
    for _ in range(WRONG_LINKS_LIMIT):
        await guesser.send(f"/link {WRONG}")
        assert "Код не подошёл" in guesser.text()
    clock.moment += timedelta(minutes=20)
    await guesser.send(f"/link {code}")  # even the right code: the limit comes first
    assert TOO_MANY in guesser.text() and "через 40 мин." in guesser.text()
    assert await _linked(app) is None

    # Another person is not held back by the guesser.
    other = client.user(SPEC)
    await other.send(f"/link {WRONG}")
    assert "Код не подошёл" in other.text()

    restarted = build_app(settings)  # the count lives in the database, not in the process
    restarted.booking.now = clock
    second = await client.again(restarted)
    try:
        again = second.user(GUESSER)
        await again.send(f"/link {code}")
        assert TOO_MANY in again.text()
        clock.moment += timedelta(minutes=41)  # the first wrong guess is an hour old now
        await again.send(f"/link {code}")
        assert "Аккаунт привязан" in again.text() and await _linked(app) == client.person_id(
            GUESSER
        )
    finally:
        await second.close()
        await restarted.close()

    clock.moment += timedelta(hours=1)
    swept = await sweep_expired(app.write_sessions, 24, now=clock())
    assert swept.link_attempts == WRONG_LINKS_LIMIT + 1
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(LinkAttempt)) == 0


@needs_postgres
async def test_link_codes_expire_and_guesses_are_limited_on_postgres(settings):
    app = build_app(settings, await fresh_postgres())
    try:
        await prepare_database(app)
        clock = await _clocked(app)
        specialists = SpecialistService(app.sessions, app.write_sessions, app.booking)

        code = await specialists.new_link_code(1)
        clock.moment += timedelta(hours=25)
        try:
            await specialists.link(SPEC, code)
        except LinkError as error:
            assert error.reason == "expired"
        else:
            raise AssertionError("an expired code linked")

        code = await specialists.new_link_code(1)
        reasons = []
        for attempt in [WRONG] * WRONG_LINKS_LIMIT + [code]:
            try:
                await specialists.link(GUESSER, attempt)
            except LinkError as error:
                reasons.append(error.reason)
        assert reasons == ["bad_code"] * WRONG_LINKS_LIMIT + ["too_many"]
        clock.moment += timedelta(hours=1)
        assert (await specialists.link(GUESSER, code)).telegram_user_id == GUESSER
    finally:
        await app.close()
