"""Which announcements a person wants: topics of broadcasts (orientation, clubs, consultations).

Defaults by role are given once — when onboarding finishes, or the first time someone opens
the subscriptions screen. A marker row (topic `CHOSEN`) records that a person's subscriptions
exist, so that someone who turned every topic off is not subscribed again by the defaults.
The marker matches no broadcast topic, so audiences never count it.
"""

from __future__ import annotations

from sqlalchemy import and_, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Subscription
from services.broadcasts.service import TOPICS

CHOSEN = "_chosen"
DEFAULTS: dict[str | None, tuple[str, ...]] = {
    "parent": TOPICS,
    "pupil": ("orientation", "clubs"),
    "teacher": ("orientation", "clubs"),
}
OTHERS = ("orientation", "clubs")


def defaults_for(role: str | None) -> tuple[str, ...]:
    return DEFAULTS.get(role, OTHERS)


class SubscriptionService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions or sessions

    async def topics(self, user_id: int) -> frozenset[str]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(Subscription.topic).where(Subscription.user_id == user_id)
            )
        return frozenset(rows.scalars()) & frozenset(TOPICS)

    async def ensure_defaults(self, user_id: int, role: str | None) -> bool:
        """Subscribes to the role's default topics unless the person has subscriptions already
        (even none: the marker). True when the defaults were given now."""
        topics = (CHOSEN, *defaults_for(role))
        async with self._write() as session, session.begin():
            dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
            # The marker goes in first and decides: a second caller finds it and stops.
            marker = (
                dialect.insert(Subscription)
                .values(user_id=user_id, topic=CHOSEN)
                .on_conflict_do_nothing(index_elements=["user_id", "topic"])
                .returning(Subscription.topic)
            )
            has_rows = exists().where(Subscription.user_id == user_id, Subscription.topic != CHOSEN)
            if (await session.execute(select(has_rows))).scalar():
                await session.execute(marker)
                return False
            if (await session.execute(marker)).first() is None:
                return False
            await session.execute(
                dialect.insert(Subscription)
                .values([{"user_id": user_id, "topic": topic} for topic in topics[1:]])
                .on_conflict_do_nothing(index_elements=["user_id", "topic"])
            )
        return True

    async def set(self, user_id: int, topic: str, on: bool) -> frozenset[str]:
        if topic not in TOPICS:
            raise ValueError(topic)
        async with self._write() as session, session.begin():
            dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
            rows = [{"user_id": user_id, "topic": CHOSEN}]
            if on:
                rows.append({"user_id": user_id, "topic": topic})
            else:
                await session.execute(
                    delete(Subscription).where(
                        and_(Subscription.user_id == user_id, Subscription.topic == topic)
                    )
                )
            await session.execute(
                dialect.insert(Subscription)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["user_id", "topic"])
            )
        return await self.topics(user_id)

    async def toggle(self, user_id: int, topic: str) -> frozenset[str]:
        return await self.set(user_id, topic, topic not in await self.topics(user_id))
