"""Subscriptions: defaults by role when onboarding finishes, the «🔔 Подписки» screen in
settings with toggles saved at once, and no defaults forced on someone who chose none."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from db.models import Subscription, User
from services.broadcasts.service import Audience
from services.events.subscriptions import CHOSEN, SubscriptionService


async def _rows(app, user_id: int) -> set[str]:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Subscription.topic).where(Subscription.user_id == user_id)
        )
    return set(rows.scalars()) - {CHOSEN}


async def _onboard(user, role: str, consent: bool = True) -> None:
    await user.send("/start")
    await user.press(role)
    await user.send("Томск")
    await user.press("Пропустить")
    await user.press("✅ Согласен(на)" if consent else "Не сейчас")


async def test_onboarding_gives_defaults_by_role_and_says_how_to_change_them(client, app):
    parent, pupil, teacher = client.user(7101), client.user(7102), client.user(7103)
    await _onboard(parent, "Родитель")
    done = parent.texts()[-1]
    assert "Профиль сохранён" in done
    assert "Консультации для семьи" in done and "⚙️ Настройки → 🔔 Подписки" in done
    await _onboard(pupil, "Ученик")
    await _onboard(teacher, "Педагог или другое")
    assert await _rows(app, 7101) == {"orientation", "clubs", "consultations"}
    assert await _rows(app, 7102) == {"orientation", "clubs"}
    assert await _rows(app, 7103) == {"orientation", "clubs"}


async def test_without_consent_the_role_is_not_kept_and_the_defaults_are_the_general_ones(
    client, app
):
    anna = client.user(7104)
    await _onboard(anna, "Родитель", consent=False)
    assert "ничего из ваших ответов не сохранено" in anna.texts()[-1].lower()
    assert await _rows(app, 7104) == {"orientation", "clubs"}


async def test_toggles_are_saved_at_once_and_survive_reopening(client, app):
    anna = client.user(7110)
    await _onboard(anna, "Родитель")
    await anna.send("/settings")
    await anna.press("🔔 Подписки")
    assert "О чём присылать анонсы" in anna.text()
    assert anna.edits(), "the settings screen turns into the subscriptions screen"
    assert "✅ Консультации для семьи" in anna.visible_labels()

    await anna.press("✅ Консультации для семьи")
    assert "выключена" in anna.callback_answer().text
    assert "⬜ Консультации для семьи" in anna.visible_labels()
    assert await _rows(app, 7110) == {"orientation", "clubs"}

    await anna.press("✅ Кружки и набор в них")
    await anna.press("✅ Профориентация и мероприятия")
    assert "не получаете анонсов" in anna.text()
    assert await _rows(app, 7110) == set()

    await anna.press("◀️ Назад")
    assert "⚙️ Настройки" in anna.text()
    await anna.press("🔔 Подписки")  # reopening must not bring the defaults back
    assert await _rows(app, 7110) == set()
    await anna.press("⬜ Кружки и набор в них")
    assert "включена" in anna.callback_answer().text
    assert await _rows(app, 7110) == {"clubs"}


async def test_someone_who_skipped_onboarding_gets_defaults_when_opening_the_screen(client, app):
    guest = client.user(7120)
    await guest.send("/start")
    await guest.send("/cancel")
    assert await _rows(app, 7120) == set()
    await guest.send("/settings")
    await guest.press("🔔 Подписки")
    assert await _rows(app, 7120) == {"orientation", "clubs"}
    assert "✅ Профориентация и мероприятия" in guest.visible_labels()


async def test_the_settings_screen_keeps_its_other_buttons(client):
    anna = client.user(7130)
    await anna.send("/settings")
    labels = anna.visible_labels()
    for label in ("🌐 Язык", "👤 Роль", "📍 Населённый пункт", "🧒 Возраст ребёнка", "🔔 Подписки"):
        assert label in labels


async def test_defaults_are_given_once_even_when_asked_at_once(app):
    async with app.sessions() as session:
        session.add(User(id=7140, locale="ru", role="parent"))
        await session.commit()
    service = SubscriptionService(app.sessions, app.write_sessions)
    given = await asyncio.gather(*(service.ensure_defaults(7140, "parent") for _ in range(4)))
    assert sorted(given) == [False, False, False, True]
    assert await service.topics(7140) == {"orientation", "clubs", "consultations"}
    await service.set(7140, "clubs", False)
    assert not await service.ensure_defaults(7140, "parent")
    assert await service.topics(7140) == {"orientation", "consultations"}


async def test_the_marker_row_counts_in_no_audience(app):
    async with app.sessions() as session:
        session.add_all([User(id=7150, locale="ru"), User(id=7151, locale="ru")])
        await session.commit()
    service = SubscriptionService(app.sessions, app.write_sessions)
    await service.ensure_defaults(7150, None)
    await service.ensure_defaults(7151, None)
    for topic in ("orientation", "clubs"):
        await service.set(7151, topic, False)
    sizes = [
        await app.broadcasts.audience_size(Audience(topics=(topic,)))
        for topic in ("orientation", "clubs", "consultations")
    ]
    assert sizes == [1, 1, 0]
