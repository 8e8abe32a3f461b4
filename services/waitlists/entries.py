"""Joining and leaving waitlists, and releasing the people waiting when a seat or time frees.

A programme's queue: when it has free seats, as many people are released (to be told) as there
are seats not already held by a notice; a notice holds its seat for WAITLIST__NOTICE_HOURS
after it was sent, then the next in line is released too. People are released in the order
they joined; a hidden programme releases nobody. A consultation's queue (a topic, at one
organisation or any): everyone waiting is released at once when the topic has free time
within the booking horizon; the first to book gets it (booking's own guarantee).

`release` runs on the clock (and right after staff change seats): it only moves rows from
`waiting` to `pending`, in one transaction a queue is read and moved in (on PostgreSQL the
programme's row is locked for it), so two instances never release the same seat twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import (
    ConsultService,
    Organisation,
    Programme,
    Provider,
    WaitlistEntry,
)
from services.booking.service import BookingService, Choice

# A notice in these states holds its seat (sent ones only for the notice's hours).
ON_THE_WAY = ("pending", "claimed", "sending")
TOLD = ("sent", "uncertain")
FINISHED = ("sent", "failed", "uncertain", "skipped")


class Joined(Enum):
    JOINED = "joined"
    ALREADY = "already"  # already waiting, or being told right now
    HAS_ROOM = "has_room"  # the programme has seats / the topic has free time: nothing to wait for
    GONE = "gone"  # no such programme or topic, or hidden


def programme_target(programme_id: int) -> str:
    return f"p:{programme_id}"


def consult_target(service_id: int, provider_id: int | None) -> str:
    return f"c:{service_id}:{provider_id if provider_id is not None else '*'}"


@dataclass(frozen=True, slots=True)
class StoredWait:
    """One waitlist entry as /mydata shows it."""

    kind: str  # programme | consult
    title: str  # programme name, or topic (and organisation)
    title_en: str
    joined_at: datetime
    state: str
    sent_at: datetime | None


class WaitlistService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        booking: BookingService,
        *,
        notice_hours: int = 48,
        horizon_days: int = 28,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self._booking = booking
        self.notice_hours = notice_hours
        self.horizon_days = horizon_days
        self.now = clock

    # --- a person -----------------------------------------------------------------------
    async def join_programme(self, user_id: int, programme_id: int, locale: str) -> Joined:
        async with self._write() as session, session.begin():
            row = (
                await session.execute(
                    select(Programme.seats_free, Programme.hidden, Organisation.hidden)
                    .join(Organisation, Organisation.id == Programme.organisation_id)
                    .where(Programme.id == programme_id)
                )
            ).first()
            if row is None or row[1] or row[2]:
                return Joined.GONE
            if row[0] != 0:
                return Joined.HAS_ROOM
            return await self._join(
                session,
                WaitlistEntry(
                    user_id=user_id,
                    target=programme_target(programme_id),
                    programme_id=programme_id,
                    locale=locale,
                ),
            )

    async def join_consultation(
        self, user_id: int, service_id: int, provider_id: int | None, locale: str
    ) -> Joined:
        if await self._booking.service(service_id) is None:
            return Joined.GONE
        if provider_id is not None and provider_id not in {
            p.id for p in await self._booking.providers(service_id)
        }:
            return Joined.GONE
        if await self._has_time(service_id, provider_id):
            return Joined.HAS_ROOM
        async with self._write() as session, session.begin():
            return await self._join(
                session,
                WaitlistEntry(
                    user_id=user_id,
                    target=consult_target(service_id, provider_id),
                    service_id=service_id,
                    provider_id=provider_id,
                    locale=locale,
                ),
            )

    async def _join(self, session: AsyncSession, entry: WaitlistEntry) -> Joined:
        old = (
            await session.execute(
                select(WaitlistEntry).where(
                    WaitlistEntry.user_id == entry.user_id, WaitlistEntry.target == entry.target
                )
            )
        ).scalar_one_or_none()
        now = self.now()
        if old is not None:
            if old.state not in FINISHED:
                return Joined.ALREADY
            # Told before and still nothing: back in the queue, at its end.
            old.state, old.joined_at, old.locale = "waiting", now, entry.locale
            old.due_at = old.claimed_until = old.sent_at = None
            return Joined.JOINED
        entry.joined_at, entry.state = now, "waiting"
        try:
            async with session.begin_nested():
                session.add(entry)
        except IntegrityError:  # the same press twice at once
            return Joined.ALREADY
        return Joined.JOINED

    async def leave_programme(self, user_id: int, programme_id: int) -> bool:
        return await self._leave(user_id, programme_target(programme_id))

    async def leave_consultation(
        self, user_id: int, service_id: int, provider_id: int | None
    ) -> bool:
        return await self._leave(user_id, consult_target(service_id, provider_id))

    async def _leave(self, user_id: int, target: str) -> bool:
        """Only a waiting entry: a notice on its way is settled by the worker."""
        async with self._write() as session, session.begin():
            result = await session.execute(
                delete(WaitlistEntry).where(
                    WaitlistEntry.user_id == user_id,
                    WaitlistEntry.target == target,
                    WaitlistEntry.state == "waiting",
                )
            )
        return result.rowcount == 1

    async def waiting_for(self, user_id: int, programme_id: int) -> bool:
        return await self._waiting(user_id, programme_target(programme_id))

    async def waiting_for_consultation(
        self, user_id: int, service_id: int, provider_id: int | None
    ) -> bool:
        return await self._waiting(user_id, consult_target(service_id, provider_id))

    async def _waiting(self, user_id: int, target: str) -> bool:
        async with self._sessions() as session:
            state = (
                await session.execute(
                    select(WaitlistEntry.state).where(
                        WaitlistEntry.user_id == user_id, WaitlistEntry.target == target
                    )
                )
            ).scalar_one_or_none()
        return state is not None and state not in FINISHED

    async def stored(self, user_id: int) -> list[StoredWait]:
        return await stored_waits(self._sessions, user_id)

    # --- the clock ----------------------------------------------------------------------
    async def release(self, programme_ids: list[int] | None = None) -> int:
        """Moves the people to be told now to `pending`; returns how many."""
        released = await self.release_programmes(programme_ids)
        if programme_ids is None:
            released += await self.release_consultations()
        return released

    async def release_programmes(self, programme_ids: list[int] | None = None) -> int:
        now = self.now()
        held_since = now - timedelta(hours=self.notice_hours)
        released = 0
        async with self._write() as session, session.begin():
            waiting = select(WaitlistEntry.programme_id).where(
                WaitlistEntry.state == "waiting", WaitlistEntry.programme_id.is_not(None)
            )
            candidates = (
                select(Programme.id, Programme.seats_free)
                .join(Organisation, Organisation.id == Programme.organisation_id)
                .where(
                    Programme.seats_free > 0,
                    Programme.hidden.is_(False),
                    Organisation.hidden.is_(False),
                    Programme.id.in_(waiting.scalar_subquery()),
                )
                .order_by(Programme.id)
            )
            if programme_ids is not None:
                candidates = candidates.where(Programme.id.in_(programme_ids))
            if session.bind.dialect.name == "postgresql":
                candidates = candidates.with_for_update(of=Programme)
            for programme_id, seats_free in (await session.execute(candidates)).all():
                held = (
                    await session.execute(
                        select(func.count()).where(
                            WaitlistEntry.programme_id == programme_id,
                            or_(
                                WaitlistEntry.state.in_(ON_THE_WAY),
                                and_(
                                    WaitlistEntry.state.in_(TOLD),
                                    func.coalesce(WaitlistEntry.sent_at, WaitlistEntry.due_at)
                                    > held_since,
                                ),
                            ),
                        )
                    )
                ).scalar_one()
                room = seats_free - held
                if room <= 0:
                    continue
                next_ids = (
                    await session.scalars(
                        select(WaitlistEntry.id)
                        .where(
                            WaitlistEntry.programme_id == programme_id,
                            WaitlistEntry.state == "waiting",
                        )
                        .order_by(WaitlistEntry.joined_at, WaitlistEntry.id)
                        .limit(room)
                    )
                ).all()
                if next_ids:
                    await session.execute(
                        update(WaitlistEntry)
                        .where(WaitlistEntry.id.in_(next_ids), WaitlistEntry.state == "waiting")
                        .values(state="pending", due_at=now)
                    )
                    released += len(next_ids)
        return released

    async def release_consultations(self) -> int:
        async with self._sessions() as session:
            targets = (
                await session.execute(
                    select(
                        WaitlistEntry.target, WaitlistEntry.service_id, WaitlistEntry.provider_id
                    )
                    .where(WaitlistEntry.state == "waiting", WaitlistEntry.service_id.is_not(None))
                    .distinct()
                )
            ).all()
        released = 0
        for target, service_id, provider_id in targets:
            if not await self._has_time(service_id, provider_id):
                continue
            async with self._write() as session, session.begin():
                result = await session.execute(
                    update(WaitlistEntry)
                    .where(WaitlistEntry.target == target, WaitlistEntry.state == "waiting")
                    .values(state="pending", due_at=self.now())
                )
            released += result.rowcount
        return released

    async def _has_time(self, service_id: int, provider_id: int | None) -> bool:
        today = self._booking.now().astimezone(self._booking.zone).date()
        last = today + timedelta(days=self.horizon_days)
        return bool(await self._booking.free_days(Choice(service_id, provider_id), today, last))


async def stored_waits(
    sessions: async_sessionmaker[AsyncSession], user_id: int
) -> list[StoredWait]:
    """A person's waitlist entries, for /mydata."""
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    WaitlistEntry,
                    Programme.name.label("programme"),
                    ConsultService.name.label("service"),
                    ConsultService.name_en.label("service_en"),
                    Provider.name.label("provider"),
                )
                .outerjoin(Programme, Programme.id == WaitlistEntry.programme_id)
                .outerjoin(ConsultService, ConsultService.id == WaitlistEntry.service_id)
                .outerjoin(Provider, Provider.id == WaitlistEntry.provider_id)
                .where(WaitlistEntry.user_id == user_id)
                .order_by(WaitlistEntry.joined_at, WaitlistEntry.id)
            )
        ).all()
    found = []
    for row in rows:
        entry = row.WaitlistEntry
        if entry.programme_id is not None:
            kind, title, title_en = "programme", row.programme, row.programme
        else:
            kind = "consult"
            title = ", ".join(p for p in (row.service, row.provider) if p)
            title_en = ", ".join(p for p in (row.service_en or row.service, row.provider) if p)
        found.append(
            StoredWait(
                kind, title or "—", title_en or "—", entry.joined_at, entry.state, entry.sent_at
            )
        )
    return found
