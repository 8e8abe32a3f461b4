"""What consultation and event reminders share: rows due at a time, sent at most once.

A row moves pending → claimed (a lease) → sending → sent. A worker that dies while `claimed`
leaves it to be claimed again when the lease ends: nothing was sent yet. One that dies while
`sending` may or may not have delivered it (the Bot API has no idempotency key), so such a row
becomes `uncertain` and is never repeated. Each kind says how its rows are claimed (which are
due, which are `skipped`); the delivery and the moves between states are the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import read_rows
from services.messengers.ids import Messenger

LEASE = timedelta(minutes=2)
OPEN = ("pending", "claimed", "sending")  # the states a claim reads or moves rows out of

Due = TypeVar("Due")


class Outcome(Enum):
    SENT = "sent"
    NOT_SENT = "not_sent"  # definitely not delivered, try again later
    FAILED = "failed"  # will never be delivered (blocked bot, chat gone)
    UNCERTAIN = "uncertain"  # may have been delivered: never repeat


class DueRowWorker(Generic[Due]):
    """Claims due rows of `model` (id, state, claimed_until, sent_at) and delivers them."""

    model: ClassVar[Any]
    # Set where a claim touches only rows already due: then rows due later do not count as
    # something to claim (see `anything_open`).
    only_due: ClassVar[bool] = False

    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        messenger: Messenger = "telegram",
    ) -> None:
        self._write = write_sessions
        self.now = clock
        # Rows go out through this process's messenger: it claims only its own people's.
        self.messenger = messenger

    async def claim(self, limit: int = 50) -> list[Due]:
        """Rows due now to this worker's messenger's people, each leased to this worker
        (`claimed`) in one transaction."""
        raise NotImplementedError

    async def anything_open(self) -> bool:
        """Whether a claim could find or change a row: one autocommit read, no write lock. Most
        ticks find nothing, and on SQLite a claim's write transaction holds the one writer's
        lock for its round trips, which people's updates wait for."""
        model = self.model
        found = exists().where(model.state.in_(OPEN))
        if self.only_due:
            found = found.where(model.due_at <= self.now())
        return bool((await read_rows(self._write, select(found)))[0][0])

    async def _move(self, row_id: int, old: str, new: str, **values: object) -> bool:
        model = self.model
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(model)
                .where(model.id == row_id, model.state == old)
                .values(state=new, **values)
            )
        return result.rowcount == 1

    async def run_due(
        self, deliver: Callable[[Due], Awaitable[Outcome]], limit: int = 50
    ) -> dict[str, int]:
        """Claim what is due and deliver it; returns counts by outcome."""
        counts = {outcome.value: 0 for outcome in Outcome}
        if not await self.anything_open():
            return counts
        for row in await self.claim(limit):
            row_id: int = row.id  # type: ignore[attr-defined]
            # The point of no return: from here a crash leaves it uncertain, not repeated.
            if not await self._move(row_id, "claimed", "sending", claimed_until=self.now() + LEASE):
                continue
            outcome = await deliver(row)
            counts[outcome.value] += 1
            if outcome is Outcome.SENT:
                await self._move(row_id, "sending", "sent", sent_at=self.now())
            elif outcome is Outcome.NOT_SENT:
                await self._move(row_id, "sending", "pending", claimed_until=None)
            else:
                await self._move(row_id, "sending", outcome.value)
        return counts
