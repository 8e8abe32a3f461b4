"""MAX names a message by a string `mid`; the bot's code (aiogram's types, the dialogs' stored
state) by an integer. Each mid gets an integer id once, in the database, so a restart or a second
instance edits and deletes the same messages. A pair never changes once made, so each process
also keeps the ones it used lately.

Only the messages the bot may name later get one: its own (edited, deleted, their buttons
pressed) and group messages (replied to); a person's message in their private chat does not
(bot/max/messages.py). A mid MAX has just given the bot's own message is new: its row is
inserted straight away, one statement, without looking for it first."""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import MAX_ID, MaxMessage, utcnow

CACHED = 20_000


class MaxMessageIds:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        cached: int = CACHED,
    ) -> None:
        self.sessions = sessions
        self.write_sessions = write_sessions
        self.cached = cached
        self._ids: OrderedDict[str, int] = OrderedDict()
        self._mids: OrderedDict[int, str] = OrderedDict()

    async def id_of(self, mid: str, *, new: bool = False) -> int:
        """The integer id of `mid`, given now if it has none yet. `new`: a mid MAX has just
        made (the answer to the bot's send), so no row is looked for before inserting one."""
        known = self._ids.get(mid)
        if known is not None:
            return known
        message_id = None if new else await self._find(mid)
        if message_id is None:
            try:
                async with self.write_sessions() as session, session.begin():
                    message_id = await session.scalar(
                        insert(MaxMessage)
                        .values(mid=mid, created_at=utcnow())
                        .returning(MaxMessage.id)
                    )
            except IntegrityError:  # another instance gave it one in the meantime
                message_id = await self._find(mid)
            assert message_id is not None
        self._remember(mid, message_id)
        return message_id

    async def mid_of(self, message_id: int) -> str | None:
        """The mid behind an id this bot gave out; None for an id it never gave."""
        if not 0 < message_id <= MAX_ID:
            return None
        known = self._mids.get(message_id)
        if known is not None:
            return known
        async with self.sessions() as session:
            mid = await session.scalar(select(MaxMessage.mid).where(MaxMessage.id == message_id))
        if mid is not None:
            self._remember(mid, message_id)
        return mid

    async def _find(self, mid: str) -> int | None:
        async with self.sessions() as session:
            return await session.scalar(select(MaxMessage.id).where(MaxMessage.mid == mid))

    def _remember(self, mid: str, message_id: int) -> None:
        self._ids[mid] = message_id
        self._mids[message_id] = mid
        while len(self._ids) > self.cached:
            _, old_id = self._ids.popitem(last=False)
            self._mids.pop(old_id, None)
