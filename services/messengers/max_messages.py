"""MAX names a message by a string `mid`; the bot's code (aiogram's types, the dialogs' stored
state) by an integer. Each mid gets an integer id once, in the database, so a restart or a second
instance edits and deletes the same messages. A pair never changes once made, so each process
also keeps the ones it used lately.

Only the messages the bot may name later get one: its own (edited, deleted, their buttons
pressed) and group messages (replied to); a person's message in their private chat does not
(bot/max/messages.py). A mid MAX has just given the bot's own message is new: its row is
inserted without looking for it first, in a group commit with the other sends of the moment."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import SerialWriter, bound_engine
from db.group_commit import GroupCommit
from db.models import MAX_ID, MaxMessage, utcnow

CACHED = 20_000
T = MaxMessage.__table__.c


class MaxMessageIds:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        cached: int = CACHED,
    ) -> None:
        self.sessions = sessions
        self.cached = cached
        self.write_sessions = write_sessions
        self._writer: SerialWriter | None = None  # made at the first write
        # New mids are written in group commits: a surge's sends share one insert.
        self._new: GroupCommit[str, int] = GroupCommit(self._give_ids)
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
            message_id = await self._new.submit(mid)
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
        return (await self._found([mid])).get(mid)

    async def _found(self, mids: Iterable[str]) -> dict[str, int]:
        async with self.sessions() as session:
            rows = await session.execute(select(T.mid, T.id).where(T.mid.in_(list(mids))))
            return {mid: message_id for mid, message_id in rows}

    async def _give_ids(self, mids: list[str]) -> dict[str, int]:
        """One insert for a batch of mids; a mid another instance gave an id meanwhile keeps
        that one."""
        if self._writer is None:
            self._writer = SerialWriter(bound_engine(self.write_sessions))
        postgres = self._writer.dialect_name == "postgresql"
        insert = postgresql_insert if postgres else sqlite_insert
        now = utcnow()
        statement = (
            insert(MaxMessage.__table__)
            .values([{"mid": mid, "created_at": now} for mid in mids])
            .on_conflict_do_nothing(index_elements=[T.mid])
            .returning(T.mid, T.id)
        )
        given = {mid: message_id for mid, message_id in await self._writer.execute_rows(statement)}
        missing = [mid for mid in mids if mid not in given]
        if missing:
            given.update(await self._found(missing))
        return given

    def _remember(self, mid: str, message_id: int) -> None:
        self._ids[mid] = message_id
        self._mids[message_id] = mid
        while len(self._ids) > self.cached:
            _, old_id = self._ids.popitem(last=False)
            self._mids.pop(old_id, None)
