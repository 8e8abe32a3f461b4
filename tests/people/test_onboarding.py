from __future__ import annotations

import pytest
from kids import given_of
from sqlalchemy import select

from db.models import User
from services.people.profiles import CONSENT_VERSION

pytestmark = pytest.mark.both_messengers


async def test_full_onboarding_with_consent_saves_profile(client, app):
    anna = client.user(5001, "ru")
    await anna.send("/start")
    assert "Здравствуйте" in anna.text()
    assert "Кто вы?" in anna.texts()[-1]

    await anna.press("Родитель")
    assert anna.edits(), "the role question turns into the locality list"
    assert "Населённые пункты" in anna.texts()[0]
    assert "📍 Отправить геопозицию" in anna.visible_labels()

    await anna.send("Томск")
    assert "Томск" in anna.text()
    assert "Сколько лет ребёнку" in anna.texts()[-1]

    await anna.send("10")
    assert "Согласие на обработку персональных данных" in anna.text()
    messenger = "MAX" if client.messenger == "max" else "Telegram"
    assert f"ваш {messenger} ID" in anna.text(), "the messenger the person writes in is named"

    await anna.press("✅ Согласен(na)".replace("na", "на"))
    assert "Профиль сохранён" in anna.text()

    async with app.sessions() as session:
        user = await session.get(User, anna.id)
    assert user.role == "parent"
    assert user.locality_id is not None
    assert await given_of(app.sessions, anna.id) == [(10, None, None)]  # the first child
    assert user.consent_version == CONSENT_VERSION
    assert user.consent_at is not None
    assert user.onboarded_at is not None


async def test_declining_consent_keeps_no_profile_data(client, app):
    pupil = client.user(5002, "ru")
    await pupil.send("/start")
    await pupil.press("Ученик")
    await pupil.share_location(56.60, 84.89)  # Seversk
    assert "Северск" in pupil.text()
    await pupil.send("7 класс")
    await pupil.press("Не сейчас")
    assert "ничего из ваших ответов не сохранено" in pupil.texts()[-1].lower()

    async with app.sessions() as session:
        user = (await session.execute(select(User).where(User.id == pupil.id))).scalar_one()
    assert (user.role, user.locality_id, user.consent_at) == (None,) * 3
    assert await given_of(app.sessions, pupil.id) == []
    assert user.onboarded_at is not None
