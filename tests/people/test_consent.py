"""Consent that says what it means: an honest consent text with its edition, the booking notice
for everyone (who sees the data, how long it is kept) recorded with each booking, dates shown
in the configured zone, /mydata showing each consent, and migration 0008."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from aiogram.fsm.storage.base import StorageKey
from backends import fresh_postgres, needs_postgres
from consult_data import seed
from sqlalchemy import insert, select, text

from bot.config import Settings
from bot.telegram.i18n import Locales
from db import migrate
from db.engine import create_engine
from db.models import Booking, Subscription, User
from services.booking.service import NOTICE_VERSION, Choice
from services.people.profiles import CONSENT_VERSION

pytestmark = pytest.mark.both_messengers

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # Sunday, 10:00 in Tomsk
MONDAY = date(2026, 11, 23)
AGREE = "✅ Согласен(на)"


@pytest.fixture
def settings(tmp_path) -> Settings:
    """As the suite's, with a retention figure of its own: the notice must state this one."""
    return Settings(
        _env_file=None,
        bot_token=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        redis_url=None,
        admin_ids=[900001],
        default_locale="ru",
        retention={"booking_days": 31},
    )


@pytest.fixture
async def consult(app):
    app.booking.now = lambda: NOW
    await seed(app.sessions, app.settings.zone, MONDAY)
    return app


async def _to_notice(user) -> None:
    await user.send("👨‍👩‍👧 Консультации")
    await user.press("📝 Записаться")
    await user.press("Психолого-педагогическая помощь")
    await user.press("МБОУ «СОШ № 5»")
    await user.press("Иванова М. П. · педагог-психолог")
    await user.press("23")
    await user.press("09:00")
    await user.press("🏫 Очно")


# --- the consent text ------------------------------------------------------------------------
@pytest.mark.parametrize("locale", ["ru", "en"])
def test_the_consent_text_names_what_is_kept_and_its_edition(locale):
    t = Locales(default="ru").get(locale)
    consent = t("consent-text")
    assert CONSENT_VERSION in consent
    words = {
        "ru": ("роль", "населённый пункт", "возраст", "анонс", "третьим лицам", "/forget"),
        "en": ("role", "locality", "age", "announcement", "third parties", "/forget"),
    }[locale]
    for word in words:
        assert word in consent, word


async def test_onboarding_shows_the_current_edition(client):
    anna = client.user(5101)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.send("Томск")
    await anna.press("Пропустить")
    assert f"(редакция {CONSENT_VERSION})" in anna.text()
    assert "темы анонсов, на которые вы подпишетесь" in anna.text()


# --- the booking notice ----------------------------------------------------------------------
async def test_the_booking_notice_is_shown_to_someone_with_profile_consent(client, consult):
    await consult.profiles.get_or_create(client.person_id(5110), "ru")
    await consult.profiles.give_consent(client.person_id(5110))
    anna = client.user(5110)
    await _to_notice(anna)
    notice = anna.text()
    assert "Кто увидит данные записи" in notice and f"редакция {NOTICE_VERSION}" in notice
    assert "31 день после консультации" in notice  # Settings.retention.booking_days
    assert "Как к вам обращаться" not in notice  # nothing is asked before the notice
    await anna.press(AGREE)
    assert "Как к вам обращаться" in anna.text()


async def test_each_booking_keeps_its_notice_and_mydata_shows_both_consents(client, consult):
    anna = client.user(5111)
    await anna.send("/start")
    await anna.press("Родитель")
    await anna.send("Томск")
    await anna.press("Пропустить")
    await anna.press(AGREE)  # the profile's consent
    given = datetime(2026, 11, 21, 20, 30, tzinfo=UTC)  # Sunday 03:30 in Tomsk
    await consult.profiles.update(client.person_id(5111), consent_at=given)
    await _to_notice(anna)
    await anna.press(AGREE)  # the booking's notice, accepted at NOW
    await anna.send("Анна Петровна")
    await anna.send("+79991234567")
    await anna.press("Пропустить")
    await anna.press("Пропустить")
    await anna.press("✅ Подтвердить")
    async with consult.sessions() as session:
        row = (
            await session.execute(select(Booking).where(Booking.user_id == client.person_id(5111)))
        ).scalar_one()
    assert (row.notice_version, row.notice_at) == (NOTICE_VERSION, NOW)

    await anna.send("/mydata")
    text = anna.text()
    assert f"редакция {CONSENT_VERSION}, дано вс, 22 ноября, 03:30" in text
    assert (
        f"Уведомление о данных записи: редакция {NOTICE_VERSION}, принято вс, 22 ноября, 10:00"
        in text
    )


async def test_a_dialog_begun_before_the_notice_shows_it_before_booking(client, consult):
    anna = client.user(5113)
    await _to_notice(anna)
    await anna.press(AGREE)
    await anna.send("Анна Петровна")
    await anna.send("+79991234567")
    await anna.press("Пропустить")
    await anna.press("Пропустить")
    # As if begun before the notice: the dialog's data (aiogram-dialog keeps a dialog's context
    # under its intent id, the prefix of its buttons' data) without the notice's acceptance.
    button = anna.messages[-1].reply_markup.inline_keyboard[0][0]
    intent_id = button.callback_data.split("\x1d")[0]
    key = StorageKey(
        bot_id=client.bot.id,
        chat_id=client.person_id(5113),
        user_id=client.person_id(5113),
        destiny=f"aiogd:context:{intent_id}",
    )
    context = await client.dispatcher.storage.get_data(key)
    context["dialog_data"].pop("notice_at")
    await client.dispatcher.storage.set_data(key, context)
    await anna.press("✅ Подтвердить")
    assert "Кто увидит данные записи" in anna.text()
    async with consult.sessions() as session:
        assert (await session.execute(select(Booking))).first() is None


async def test_mydata_says_when_a_booking_is_older_than_the_notice(client, consult):
    await consult.profiles.get_or_create(client.person_id(5112), "ru")
    slot = (await consult.booking.free_slots(Choice(1), MONDAY))[0]
    async with consult.sessions() as session:
        await session.execute(
            insert(Booking).values(
                code="OLD001",
                slot_id=slot.id,
                user_id=client.person_id(5112),
                service_id=1,
                format="in_person",
                status="active",
                name="Анна",
                phone="+79991234567",
                locale="ru",
                created_at=NOW,
            )
        )
        await session.commit()
    anna = client.user(5112)
    await anna.send("/mydata")
    assert "Уведомление о данных записи: не показывалось" in anna.text()


# --- dates in the configured zone --------------------------------------------------------------
async def test_the_consent_date_in_settings_is_the_local_one(client, app):
    anna = client.user(5120)
    await anna.send("/start")
    await app.profiles.give_consent(client.person_id(5120))
    # 22 November 20:30 UTC is 23 November 03:30 in Tomsk.
    await app.profiles.update(
        client.person_id(5120), consent_at=datetime(2026, 11, 22, 20, 30, tzinfo=UTC)
    )
    await anna.send("/settings")
    assert "Согласие на обработку данных: дано 23 ноября 2026" in anna.text()
    john = client.user(5121, "en")
    await john.send("/start")
    await app.profiles.give_consent(client.person_id(5121))
    await app.profiles.update(
        client.person_id(5121), consent_at=datetime(2026, 12, 31, 17, 5, tzinfo=UTC)
    )
    await john.send("/settings")
    assert "given on 1 January 2027" in john.text()


async def test_consent_to_an_earlier_edition_shows_as_given_with_its_edition(client, app):
    anna = client.user(5122)
    await anna.send("/start")
    await app.profiles.give_consent(client.person_id(5122))
    given = datetime(2026, 11, 10, 5, 0, tzinfo=UTC)
    await app.profiles.update(client.person_id(5122), consent_version="2026-11", consent_at=given)
    await anna.send("/settings")
    text = anna.text()
    assert "дано 10 ноября 2026 (прежняя редакция 2026-11" in text
    assert "не дано" not in text


# --- migration 0008 ---------------------------------------------------------------------------
async def _migration_0008(engine) -> None:
    await migrate.upgrade(engine, "0007")
    async with engine.begin() as connection:
        await connection.execute(
            insert(User.__table__),
            [
                {"id": 1, "locale": "ru", "created_at": NOW, "consent_version": "2026-11"},
                # "Не сейчас" under the old code: subscribed by the role's defaults all the same
                {"id": 2, "locale": "ru", "created_at": NOW, "consent_version": None},
            ],
        )
        await connection.execute(
            insert(Subscription.__table__),
            [
                {"user_id": user_id, "topic": topic}
                for user_id in (1, 2)
                for topic in ("_chosen", "orientation", "clubs")
            ],
        )
    await migrate.upgrade(engine, "0008")
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT user_id, topic FROM subscriptions"))
        assert sorted(rows.all()) == [(1, "clubs"), (1, "orientation")]
        columns = await connection.execute(text("SELECT notice_version, notice_at FROM bookings"))
        assert columns.all() == []
    await migrate.downgrade(engine, "0007")
    await migrate.upgrade(engine)


async def test_migration_0008_drops_subscriptions_without_consent_sqlite(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'm.sqlite3'}")
    try:
        await _migration_0008(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_migration_0008_drops_subscriptions_without_consent_postgres():
    engine = await fresh_postgres()
    try:
        await _migration_0008(engine)
    finally:
        await engine.dispose()
