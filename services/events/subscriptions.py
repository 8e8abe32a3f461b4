"""Which announcements a person wants: topics of broadcasts (orientation, clubs, consultations).

Opt-in only: nobody is subscribed by default, and a topic is stored only for a person who has
given consent to the processing of their data (the insert itself checks it, so a stale or
forged press cannot store a row for someone without consent). Turning a topic off needs no
consent: it deletes.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, and_, bindparam, delete, exists, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import read_rows
from db.models import Subscription, User
from services.broadcasts.service import TOPICS

# A marker row of earlier versions ("this person has chosen", against role defaults that no
# longer exist); migration 0008 removed them and nothing writes them. Readers still skip it.
CHOSEN = "_chosen"


_TOPICS_OF = select(Subscription.topic).where(Subscription.user_id == bindparam("user_id"))


class SubscriptionService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions or sessions

    async def topics(self, user_id: int) -> frozenset[str]:
        rows = await read_rows(self._sessions, _TOPICS_OF, {"user_id": user_id})
        return frozenset(row.topic for row in rows) & frozenset(TOPICS)

    async def set(self, user_id: int, topic: str, on: bool) -> frozenset[str]:
        """Turns a topic on (only with consent on record) or off; returns the topics now."""
        if topic not in TOPICS:
            raise ValueError(topic)
        async with self._write() as session, session.begin():
            if on:
                dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
                consented = exists().where(User.id == user_id, User.consent_version.is_not(None))
                row = select(literal(user_id, BigInteger), literal(topic, String))
                await session.execute(
                    dialect.insert(Subscription)
                    .from_select(["user_id", "topic"], row.where(consented))
                    .on_conflict_do_nothing(index_elements=["user_id", "topic"])
                )
            else:
                await session.execute(
                    delete(Subscription).where(
                        and_(Subscription.user_id == user_id, Subscription.topic == topic)
                    )
                )
        return await self.topics(user_id)
