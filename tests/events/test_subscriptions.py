"""Subscriptions, opt-in after consent: the topics offered at the end of onboarding with none
ticked, the «🔔 Подписки» screen (settings, /subscribe) with toggles saved at once, and
consent asked first of anyone who has none."""

from __future__ import annotations

import pytest
from backends import POSTGRES_URL, fresh_postgres, needs_postgres
from sqlalchemy import select

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Subscription, User
from services.broadcasts.service import TOPICS, Audience, BroadcastService, DeliveryEngine
from services.events.subscriptions import SubscriptionService
from services.people.profiles import CONSENT_VERSION

pytestmark = pytest.mark.both_messengers

ORIENTATION, CLUBS, CONSULTATIONS = (
    "Профориентация и мероприятия",
    "Кружки и набор в них",
    "Консультации для семьи",
)
AGREE, NOT_NOW = "✅ Согласен(на)", "Не сейчас"


async def _rows(app, user_id: int) -> set[str]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Subscription.topic).where(Subscription.user_id == user_id)
        )
    return set(rows.scalars())


async def _consent(app, user_id: int) -> str | None:
    async with app.sessions() as session:
        user = await session.get(User, user_id)
    return user.consent_version if user else None


async def _onboard(user, role: str, consent: bool = True) -> None:
    await user.send("/start")
    await user.press(role)
    await user.send("Томск")
    await user.press("Пропустить")
    await user.press(AGREE if consent else NOT_NOW)


async def test_onboarding_offers_the_topics_none_ticked_and_subscribes_to_none(client, app):
    for user_id, role in ((7101, "Родитель"), (7102, "Ученик"), (7103, "Педагог или другое")):
        person = client.user(user_id)
        await _onboard(person, role)
        assert "Профиль сохранён" in person.text()
        offer = person.texts()[-1]
        assert "О чём присылать анонсы" in offer
        labels = person.visible_labels()
        assert {f"⬜ {ORIENTATION}", f"⬜ {CLUBS}", f"⬜ {CONSULTATIONS}", "Готово"} <= set(labels)
        assert not any(label.startswith("✅") for label in labels)
        assert await _rows(app, user_id) == set()


async def test_topics_ticked_on_the_offer_are_saved_and_done_says_which(client, app):
    anna = client.user(7104)
    await _onboard(anna, "Родитель")
    await anna.press(f"⬜ {CLUBS}")
    assert "включена" in anna.callback_answer().text
    assert anna.edits(), "the offer is redrawn in place"
    assert f"✅ {CLUBS}" in anna.visible_labels() and "Готово" in anna.visible_labels()
    await anna.press(f"⬜ {CONSULTATIONS}")
    await anna.press(f"✅ {CONSULTATIONS}")
    assert "выключена" in anna.callback_answer().text
    assert await _rows(app, client.person_id(7104)) == {"clubs"}
    await anna.press("Готово")
    assert f"Анонсы на темы: {CLUBS}." in anna.text()
    assert "Готово" not in anna.visible_labels()


async def test_done_with_nothing_ticked_says_no_announcements(client, app):
    anna = client.user(7105)
    await _onboard(anna, "Родитель")
    await anna.press("Готово")
    assert "Анонсы присылать не буду" in anna.text()
    assert await _rows(app, client.person_id(7105)) == set()


async def test_declining_consent_subscribes_to_nothing_and_gets_no_letter(client, app):
    anna = client.user(7106)
    await _onboard(anna, "Родитель", consent=False)
    done = anna.texts()[-1]
    assert "ничего из ваших ответов не сохранено" in done.lower()
    assert "анонсов я присылать не буду" in done
    assert "О чём присылать анонсы" not in anna.text()
    assert await _rows(app, client.person_id(7106)) == set()
    # No audience reaches her, not even one without topics ("everyone").
    for audience in (Audience(), Audience(topics=TOPICS)):
        assert await app.broadcasts.audience_size(audience) == 0
    broadcast_id = await app.broadcasts.create(1, Audience(), text="Анонс")
    assert await app.broadcasts.schedule(broadcast_id)
    await DeliveryEngine(app.write_sessions, 30).start_due()
    assert (await app.broadcasts.progress(broadcast_id)).total == 0


async def test_subscribe_without_consent_asks_for_it_first(client, app):
    guest = client.user(7120)
    await guest.send("/start")
    await guest.send("/cancel")
    await guest.send("/subscribe")
    assert "нужно ваше согласие" in guest.text()
    assert "Согласие на обработку персональных данных" in guest.text()
    await guest.press(NOT_NOW)
    assert "без согласия анонсы не присылаю" in guest.text().lower()
    assert (
        await _rows(app, client.person_id(7120)) == set()
        and await _consent(app, client.person_id(7120)) is None
    )

    await guest.send("/subscribe")
    await guest.press(AGREE)
    assert "не получаете анонсов" in guest.text()
    assert f"⬜ {ORIENTATION}" in guest.visible_labels()
    assert await _consent(app, client.person_id(7120)) == CONSENT_VERSION
    assert await _rows(app, client.person_id(7120)) == set()
    await guest.press(f"⬜ {ORIENTATION}")
    assert await _rows(app, client.person_id(7120)) == {"orientation"}


async def test_the_settings_button_asks_for_consent_in_place(client, app):
    guest = client.user(7121)
    await guest.send("/settings")
    await guest.press("🔔 Подписки")
    assert guest.edits() and "нужно ваше согласие" in guest.text()
    await guest.press("◀️ Назад")
    assert "⚙️ Настройки" in guest.text()
    assert await _rows(app, client.person_id(7121)) == set()
    state = await client.dispatcher.fsm.get_context(
        client.bot, client.person_id(7121), client.person_id(7121)
    ).get_state()
    assert state is None


async def test_a_topic_pressed_after_consent_was_withdrawn_asks_again_and_stores_nothing(
    client, app
):
    guest = client.user(7122)
    await app.profiles.get_or_create(client.person_id(7122), "ru")
    await app.profiles.give_consent(client.person_id(7122))
    await guest.send("/subscribe")
    await app.profiles.update(
        client.person_id(7122), consent_version=None, consent_at=None
    )  # since withdrawn
    await guest.press(f"⬜ {CLUBS}")
    assert "нужно ваше согласие" in guest.text()
    assert await _rows(app, client.person_id(7122)) == set()


async def test_toggles_are_saved_at_once_and_survive_reopening(client, app):
    anna = client.user(7110)
    await _onboard(anna, "Родитель")
    await anna.send("/settings")
    await anna.press("🔔 Подписки")
    assert "не получаете анонсов" in anna.text()
    assert anna.edits(), "the settings screen turns into the subscriptions screen"

    await anna.press(f"⬜ {CONSULTATIONS}")
    assert "включена" in anna.callback_answer().text
    assert "О чём присылать анонсы" in anna.text()
    assert await _rows(app, client.person_id(7110)) == {"consultations"}
    await anna.press(f"⬜ {CLUBS}")
    await anna.press(f"✅ {CONSULTATIONS}")
    assert "выключена" in anna.callback_answer().text
    assert await _rows(app, client.person_id(7110)) == {"clubs"}

    await anna.press("◀️ Назад")
    assert "⚙️ Настройки" in anna.text()
    await anna.press("🔔 Подписки")
    assert f"✅ {CLUBS}" in anna.visible_labels()
    assert await _rows(app, client.person_id(7110)) == {"clubs"}


async def test_an_earlier_editions_consent_keeps_subscriptions_and_can_unsubscribe(client, app):
    """Consent to an earlier edition is still consent on record: its subscriptions work and can
    be turned off; declining the current edition at /start withdraws it all."""
    async with app.sessions() as session:
        session.add(
            User(id=client.person_id(7130), locale="ru", role="parent", consent_version="2026-11")
        )
        await session.flush()
        session.add_all(
            Subscription(user_id=client.person_id(7130), topic=topic)
            for topic in ("clubs", "orientation")
        )
        await session.commit()
    anna = client.user(7130)
    await anna.send("/subscribe")
    assert f"✅ {CLUBS}" in anna.visible_labels()
    await anna.press(f"✅ {CLUBS}")
    assert await _rows(app, client.person_id(7130)) == {"orientation"}
    assert await app.broadcasts.audience_size(Audience(topics=("orientation",))) == 1

    await _onboard(anna, "Родитель", consent=False)  # the current edition is asked; declined
    async with app.sessions() as session:
        user = await session.get(User, client.person_id(7130))
    assert (user.role, user.consent_version, user.consent_at) == (None, None, None)
    assert await _rows(app, client.person_id(7130)) == set()
    assert await app.broadcasts.audience_size(Audience(topics=("orientation",))) == 0


async def test_the_settings_screen_keeps_its_other_buttons(client):
    anna = client.user(7131)
    await anna.send("/settings")
    labels = anna.visible_labels()
    for label in ("🌐 Язык", "👤 Роль", "📍 Населённый пункт", "👧 Дети", "🔔 Подписки"):
        assert label in labels


# --- the service, on both backends -------------------------------------------------------------
async def _service_stores_only_with_consent(engine) -> None:
    sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
    big = 2**40  # Telegram ids do not fit 32 bits
    async with sessions() as session:
        session.add_all(
            [
                User(id=big, locale="ru", consent_version=CONSENT_VERSION),
                User(id=big + 1, locale="ru"),
            ]
        )
        await session.commit()
    service = SubscriptionService(sessions, writes)
    assert await service.set(big, "clubs", True) == {"clubs"}
    assert await service.set(big, "clubs", True) == {"clubs"}  # twice: still one row
    assert await service.set(big + 1, "clubs", True) == frozenset()  # no consent: nothing
    assert await service.set(big + 2, "clubs", True) == frozenset()  # no such person
    broadcasts = BroadcastService(sessions, writes)
    async with sessions() as session:  # a row from before migration 0008, without consent
        session.add(Subscription(user_id=big + 1, topic="orientation"))
        await session.commit()
    assert await broadcasts.audience_size(Audience(topics=TOPICS)) == 1
    assert await broadcasts.audience_size(Audience()) == 1
    with pytest.raises(ValueError):
        await service.set(big, "_chosen", True)


async def test_the_service_stores_a_topic_only_with_consent_sqlite(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 's.sqlite3'}")
    try:
        await migrate.upgrade(engine)
        await _service_stores_only_with_consent(engine)
    finally:
        await engine.dispose()


@needs_postgres
async def test_the_service_stores_a_topic_only_with_consent_postgres():
    assert POSTGRES_URL
    engine = await fresh_postgres()
    try:
        await migrate.upgrade(engine)
        await _service_stores_only_with_consent(engine)
    finally:
        await engine.dispose()
