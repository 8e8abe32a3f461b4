"""Children in tests: what a person has stored (as given), and a child added directly."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Child
from services.people.children import Given


async def given_of(sessions, user_id: int) -> list[tuple[int | None, int | None, str | None]]:  # type: ignore[no-untyped-def]
    """(age, grade, name) of each child, in the order added."""
    async with sessions() as session:
        rows = (
            await session.scalars(select(Child).where(Child.user_id == user_id).order_by(Child.id))
        ).all()
    return [(row.age, row.grade, row.name) for row in rows]


async def add_child(app, user_id: int, *, age=None, grade=None, name=None, consent=True):  # type: ignore[no-untyped-def]
    """The person's profile (with consent) and a child of that age or grade."""
    await app.profiles.get_or_create(user_id, "ru")
    if consent:
        await app.profiles.give_consent(user_id)
    return await app.children.add(user_id, Given(age=age, grade=grade), name=name)
