"""The broadcast composer's first steps and an audience of subscribed families, for the tests
of the composer and of staff rights."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from aiogram.types import MessageEntity
from sqlalchemy import insert

from db.models import Child, Subscription, User
from services.people.children import Given, born_from
from services.people.profiles import CONSENT_VERSION

ADMIN = 900001
TOMSK, SEVERSK = 1, 2
HEADLINE = "Фестиваль профессий"
TEXT = f"{HEADLINE} для 8 классов: онлайн-уроки «Видеопроизводство» & «Мобильные приложения»."


async def audience(app, person_id: Callable[[int], int] = int) -> None:
    """Who is subscribed to what; 8005 blocked the bot, 8006 subscribed to nothing.
    `person_id`: the bot's id of each (`client.person_id`, for MAX)."""
    people = [
        (8001, "ru", "parent", TOMSK, 8, ("orientation", "clubs", "consultations"), False),
        (8002, "ru", "pupil", SEVERSK, 8, ("orientation",), False),
        (8003, "en", "parent", TOMSK, None, ("orientation",), False),
        (8004, "ru", "parent", TOMSK, 5, ("clubs",), False),
        (8005, "ru", "parent", TOMSK, 8, ("orientation",), True),
        (8006, "ru", "teacher", TOMSK, None, (), False),
    ]
    now = datetime.now(UTC)
    async with app.sessions() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": person_id(uid),
                    "locale": locale,
                    "role": role,
                    "locality_id": place,
                    "created_at": now,
                    "blocked_at": now if blocked else None,
                    "consent_version": CONSENT_VERSION,  # letters go only with consent
                    "consent_at": now,
                }
                for uid, locale, role, place, grade, _, blocked in people
            ],
        )
        today = now.date()
        await session.execute(
            insert(Child),
            [
                {
                    "user_id": person_id(uid),
                    "grade": grade,
                    "noted_on": today,
                    "born": born_from(Given(grade=grade), today),
                    "interests": "",
                    "health_needs": False,
                    "created_at": now,
                }
                for uid, _, _, _, grade, _, _ in people
                if grade is not None
            ],
        )
        rows = [{"user_id": person_id(p[0]), "topic": topic} for p in people for topic in p[5]]
        await session.execute(insert(Subscription), rows)
        await session.commit()


async def start_composing(admin, text: str = TEXT) -> None:
    await admin.send("/broadcast")
    assert "Новая рассылка" in admin.text()
    bold = MessageEntity(type="bold", offset=0, length=len(HEADLINE))
    await admin.send_message(text=text, entities=[bold])
