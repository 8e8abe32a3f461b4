"""Broadcasts: audiences, the outbox, and the delivery engine that works it.

The outbox has one row per broadcast and recipient (unique), filled by one INSERT … SELECT,
so an audience of any size is never loaded into memory. Workers claim rows with a lease
(FOR UPDATE SKIP LOCKED on PostgreSQL), share one rate budget through `send_windows`, and
obey one pause (`send_pause`) when Telegram answers 429. A row is `sending` only while its
request is in flight: a worker killed then leaves it `uncertain`, never resent.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import and_, exists, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Broadcast, Outbox, SendPause, SendWindow, Subscription, User

TOPICS = ("orientation", "clubs", "consultations")
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 5
FINAL_STATES = ("sent", "failed", "blocked", "uncertain")


@dataclass(frozen=True)
class Audience:
    topics: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    grade_from: int | None = None
    grade_to: int | None = None
    localities: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Audience:
        data = json.loads(raw or "{}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def audience_query(audience: Audience):  # type: ignore[no-untyped-def]
    """Users the audience reaches: not blocked, subscribed to one of the topics, in segment."""
    conditions = [User.blocked_at.is_(None)]
    if audience.topics:
        conditions.append(
            exists().where(Subscription.user_id == User.id, Subscription.topic.in_(audience.topics))
        )
    if audience.roles:
        conditions.append(User.role.in_(audience.roles))
    if audience.grade_from is not None or audience.grade_to is not None:
        # A grade, or else an age (a pupil is about grade + 6 years old).
        low, high = audience.grade_from or 1, audience.grade_to or 11
        conditions.append(
            or_(
                User.child_grade.between(low, high),
                and_(User.child_grade.is_(None), User.child_age.between(low + 6, high + 6)),
            )
        )
    if audience.localities:
        conditions.append(User.locality_id.in_(audience.localities))
    if audience.languages:
        conditions.append(User.locale.in_(audience.languages))
    return select(User.id, User.locale).where(and_(*conditions))


class Result(Enum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403: never again, and left out of later audiences
    FAILED = "failed"  # a 400 that retrying cannot fix
    RETRY = "retry"  # 5xx or a network error before the request left
    RATE_LIMITED = "rate_limited"  # 429: pause everyone for retry_after
    UNCERTAIN = "uncertain"  # timed out after leaving: may have been delivered


@dataclass(frozen=True, slots=True)
class Outcome:
    result: Result
    retry_after: float = 0.0
    error: str = ""


@dataclass(frozen=True, slots=True)
class Letter:
    outbox_id: int
    broadcast_id: int
    user_id: int
    locale: str


Send = Callable[[Letter], Awaitable[Outcome]]


@dataclass
class Progress:
    broadcast_id: int
    status: str
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def done(self) -> int:
        return sum(self.counts.get(state, 0) for state in FINAL_STATES)

    @property
    def left(self) -> int:
        return max(self.total - self.done, 0)

    def rate(self, now: datetime) -> float:
        if not self.started_at:
            return 0.0
        seconds = ((self.finished_at or now) - self.started_at).total_seconds()
        return self.counts.get("sent", 0) / seconds if seconds > 0 else 0.0

    def eta_seconds(self, now: datetime, cap: float) -> int:
        rate = self.rate(now) or cap
        return math.ceil(self.left / rate) if rate else 0


class BroadcastService:
    """Creating and steering broadcasts (the composer's side)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sessions = sessions
        self._write = write_sessions
        self.now = clock

    async def audience_size(self, audience: Audience) -> int:
        async with self._sessions() as session:
            inner = audience_query(audience).subquery()
            return (await session.execute(select(func.count()).select_from(inner))).scalar_one()

    async def create(self, created_by: int, audience: Audience, **content: object) -> int:
        async with self._write() as session:
            broadcast = Broadcast(created_by=created_by, audience=audience.to_json(), **content)
            session.add(broadcast)
            await session.commit()
            return broadcast.id

    async def schedule(self, broadcast_id: int, at: datetime | None = None) -> bool:
        """Send now (at=None) or at a time; the engine starts it when due."""
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Broadcast)
                .where(Broadcast.id == broadcast_id, Broadcast.status == "draft")
                .values(status="scheduled", scheduled_at=at or self.now())
            )
        return result.rowcount == 1

    async def set_progress_message(
        self, broadcast_id: int, chat_id: int | None, message_id: int | None
    ) -> None:
        async with self._write() as session, session.begin():
            await session.execute(
                update(Broadcast)
                .where(Broadcast.id == broadcast_id)
                .values(progress_chat_id=chat_id, progress_message_id=message_id)
            )

    async def _switch(
        self, broadcast_id: int, old: tuple[str, ...], new: str, **values: object
    ) -> bool:
        async with self._write() as session, session.begin():
            result = await session.execute(
                update(Broadcast)
                .where(Broadcast.id == broadcast_id, Broadcast.status.in_(old))
                .values(status=new, **values)
            )
        return result.rowcount == 1

    async def pause(self, broadcast_id: int) -> bool:
        return await self._switch(broadcast_id, ("running", "scheduled"), "paused")

    async def resume(self, broadcast_id: int) -> bool:
        """Back to where it was: running, or scheduled if it was paused before it started."""
        broadcast = await self.get(broadcast_id)
        if broadcast is None:
            return False
        resumed = "running" if broadcast.started_at is not None else "scheduled"
        return await self._switch(broadcast_id, ("paused",), resumed)

    async def cancel(self, broadcast_id: int) -> bool:
        """Stops it; rows not yet sent stay pending and are counted as cancelled."""
        return await self._switch(
            broadcast_id,
            ("draft", "scheduled", "running", "paused"),
            "cancelled",
            finished_at=self.now(),
        )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        async with self._sessions() as session:
            return await session.get(Broadcast, broadcast_id)

    async def progress(self, broadcast_id: int) -> Progress | None:
        async with self._sessions() as session:
            broadcast = await session.get(Broadcast, broadcast_id)
            if broadcast is None:
                return None
            rows = (
                await session.execute(
                    select(Outbox.state, func.count())
                    .where(Outbox.broadcast_id == broadcast_id)
                    .group_by(Outbox.state)
                )
            ).all()
        return Progress(
            broadcast.id,
            broadcast.status,
            broadcast.total,
            dict(rows),
            broadcast.started_at,
            broadcast.finished_at,
        )


class RateBudget:
    """Sends per second across all workers, reserved in small chunks from `send_windows`."""

    def __init__(self, write_sessions: async_sessionmaker[AsyncSession], cap: int) -> None:
        self._write = write_sessions
        self.cap = cap
        self._tokens = 0
        self._second = -1
        self._pause_until = 0.0

    async def take(self, count: int = 1) -> None:
        """Wait until `count` sends are allowed (at most the cap at once)."""
        needed = min(count, self.cap)
        while needed > 0:
            now = time.time()
            if now < self._pause_until:
                await asyncio.sleep(self._pause_until - now)
                continue
            second = int(now)
            if second != self._second:
                self._second, self._tokens = second, 0
            if self._tokens == 0:
                self._tokens = await self._reserve(second, needed)
            if self._tokens == 0:
                await asyncio.sleep(second + 1 - time.time() + 0.001)
                continue
            used = min(self._tokens, needed)
            self._tokens -= used
            needed -= used

    async def _reserve(self, second: int, want: int) -> int:
        async with self._write() as session, session.begin():
            pause = await session.get(SendPause, 1)
            if pause is not None and pause.until > datetime.now(UTC):
                self._pause_until = pause.until.timestamp()
                return 0
            used = (
                await session.execute(select(SendWindow.used).where(SendWindow.second == second))
            ).scalar_one_or_none()
            granted = min(want, self.cap - (used or 0))
            if granted <= 0:
                return 0
            # Atomic against other workers: the update applies only while under the cap.
            dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
            statement = dialect.insert(SendWindow).values(second=second, used=granted)
            statement = statement.on_conflict_do_update(
                index_elements=["second"],
                set_={"used": SendWindow.used + granted},
                where=SendWindow.used + granted <= self.cap,
            ).returning(SendWindow.used)
            if (await session.execute(statement)).first() is None:
                return 0
            if used is None:
                await session.execute(
                    SendWindow.__table__.delete().where(SendWindow.second < second - 60)
                )
        return granted

    async def pause_all(self, seconds: float) -> None:
        until = datetime.now(UTC) + timedelta(seconds=seconds)
        self._pause_until = until.timestamp()
        async with self._write() as session, session.begin():
            dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
            statement = dialect.insert(SendPause).values(id=1, until=until)
            await session.execute(
                statement.on_conflict_do_update(index_elements=["id"], set_={"until": until})
            )


class DeliveryEngine:
    """Works the outbox of running broadcasts. Several may run, in one or more processes."""

    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        cap_per_second: int = 25,
        *,
        concurrency: int = 16,
        per_chat_interval: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._write = write_sessions
        self.per_chat_interval = per_chat_interval
        self.budget = RateBudget(write_sessions, cap_per_second)
        self.concurrency = concurrency
        self.now = clock
        self._last_to_chat: dict[int, float] = {}

    async def start_due(self) -> list[int]:
        """Scheduled broadcasts whose time has come: fill their outbox and run them."""
        now = self.now()
        started = []
        async with self._write() as session, session.begin():
            due = (
                (
                    await session.execute(
                        select(Broadcast).where(
                            Broadcast.status == "scheduled", Broadcast.scheduled_at <= now
                        )
                    )
                )
                .scalars()
                .all()
            )
            for broadcast in due:
                audience = Audience.from_json(broadcast.audience)
                source = audience_query(audience).add_columns(
                    literal(broadcast.id), literal("pending"), literal(0)
                )
                dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
                fill = (
                    dialect.insert(Outbox)
                    .from_select(["user_id", "locale", "broadcast_id", "state", "attempts"], source)
                    .on_conflict_do_nothing(index_elements=["broadcast_id", "user_id"])
                )
                await session.execute(fill)
                total = (
                    await session.execute(
                        select(func.count()).where(Outbox.broadcast_id == broadcast.id)
                    )
                ).scalar_one()
                broadcast.status, broadcast.started_at, broadcast.total = "running", now, total
                started.append(broadcast.id)
        return started

    async def claim(self, limit: int) -> list[Letter]:
        now = self.now()
        async with self._write() as session, session.begin():
            running = select(Broadcast.id).where(Broadcast.status == "running").scalar_subquery()
            await session.execute(
                update(Outbox)
                .where(Outbox.state == "sending", Outbox.claimed_until < now)
                .values(state="uncertain", error="worker stopped while sending")
            )
            rows = (
                select(Outbox.id, Outbox.broadcast_id, Outbox.user_id, Outbox.locale)
                .where(
                    Outbox.broadcast_id.in_(running),
                    or_(
                        and_(
                            Outbox.state == "pending",
                            or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
                        ),
                        and_(Outbox.state == "claimed", Outbox.claimed_until < now),
                    ),
                )
                .order_by(Outbox.id)
                .limit(limit)
            )
            if session.bind.dialect.name == "postgresql":
                rows = rows.with_for_update(skip_locked=True)
            found = (await session.execute(rows)).all()
            if found:
                await session.execute(
                    update(Outbox)
                    .where(Outbox.id.in_([r.id for r in found]))
                    .values(state="claimed", claimed_until=now + LEASE)
                )
        return [Letter(r.id, r.broadcast_id, r.user_id, r.locale) for r in found]

    async def _move(self, ids: list[int], old: str, new: str, **values: object) -> list[int]:
        """Conditional state change of many rows; returns the ids that moved."""
        if not ids:
            return []
        condition = and_(Outbox.id.in_(ids), Outbox.state == old)
        if new == "sending":  # a pause or cancel stops letters already claimed, too
            running = select(Broadcast.id).where(Broadcast.status == "running").scalar_subquery()
            condition = and_(condition, Outbox.broadcast_id.in_(running))
        async with self._write() as session, session.begin():
            moved = await session.execute(
                update(Outbox).where(condition).values(state=new, **values).returning(Outbox.id)
            )
            return list(moved.scalars())

    async def deliver(self, letters: list[Letter], send: Send) -> Counter[str]:
        """Send a batch at once: budget first, then `sending`, the requests, the outcomes."""
        counts: Counter[str] = Counter()
        clock = time.monotonic()
        ready, later, chats = [], [], set()
        for letter in letters:
            recent = self._last_to_chat.get(letter.user_id, 0.0) + self.per_chat_interval > clock
            busy = recent or (letter.user_id in chats and self.per_chat_interval > 0)
            (later if busy else ready).append(letter)
            chats.add(letter.user_id)
        if later:  # one message a second to one chat: these go back in line for a second
            retry_at = self.now() + timedelta(seconds=self.per_chat_interval)
            ids = [letter.outbox_id for letter in later]
            await self._move(ids, "claimed", "pending", next_attempt_at=retry_at)
        await self.budget.take(len(ready))
        lease = self.now() + LEASE
        ids = [letter.outbox_id for letter in ready]
        moved = set(await self._move(ids, "claimed", "sending", claimed_until=lease))
        sending = [letter for letter in ready if letter.outbox_id in moved]
        for letter in sending:
            self._last_to_chat[letter.user_id] = clock
        outcomes = await asyncio.gather(*(send(letter) for letter in sending))
        sent = []
        for letter, outcome in zip(sending, outcomes, strict=True):
            counts[outcome.result.value] += 1
            if outcome.result is Result.SENT:
                sent.append(letter.outbox_id)
            else:
                await self._settle(letter, outcome)
        await self._move(sent, "sending", "sent", sent_at=self.now())
        return counts

    async def _settle(self, letter: Letter, outcome: Outcome) -> None:
        """Everything but a plain success: one row at a time (they are few)."""
        if outcome.result in (Result.RETRY, Result.RATE_LIMITED):
            if outcome.result is Result.RATE_LIMITED:
                await self.budget.pause_all(outcome.retry_after)
            await self._retry(letter.outbox_id, outcome)
            return
        error = outcome.error[:255] or None
        await self._move([letter.outbox_id], "sending", outcome.result.value, error=error)
        if outcome.result is Result.BLOCKED:
            await self._block(letter.user_id)

    async def _block(self, user_id: int) -> None:
        async with self._write() as session, session.begin():
            await session.execute(
                update(User)
                .where(User.id == user_id, User.blocked_at.is_(None))
                .values(blocked_at=self.now())
            )

    async def _retry(self, outbox_id: int, outcome: Outcome) -> None:
        async with self._write() as session, session.begin():
            row = await session.get(Outbox, outbox_id)
            if row is None or row.state != "sending":
                return
            if outcome.result is Result.RATE_LIMITED:
                # Not the recipient's fault: no attempt used up.
                row.next_attempt_at = self.now() + timedelta(seconds=outcome.retry_after)
                row.state = "pending"
                return
            row.attempts += 1
            if row.attempts >= MAX_ATTEMPTS:
                row.state, row.error = "failed", (outcome.error or "too many attempts")[:255]
            else:
                row.state = "pending"
                row.next_attempt_at = self.now() + timedelta(seconds=2**row.attempts)
                row.error = outcome.error[:255] or None

    async def finish_done(self) -> list[int]:
        """Running broadcasts with nothing left to send become done."""
        now = self.now()
        async with self._write() as session, session.begin():
            open_rows = exists().where(
                Outbox.broadcast_id == Broadcast.id,
                Outbox.state.in_(("pending", "claimed", "sending")),
            )
            finished = (
                (
                    await session.execute(
                        update(Broadcast)
                        .where(Broadcast.status == "running", ~open_rows)
                        .values(status="done", finished_at=now)
                        .returning(Broadcast.id)
                    )
                )
                .scalars()
                .all()
            )
        return list(finished)

    async def run_for(self, send: Send, seconds: float) -> dict[str, int]:
        """Start what is due, then deliver until idle or `seconds` pass; returns counts."""
        counts: Counter[str] = Counter()
        deadline = time.monotonic() + seconds
        await self.start_due()
        while time.monotonic() < deadline:
            letters = await self.claim(
                max(self.concurrency, min(self.budget.cap, 4 * self.concurrency))
            )
            if not letters:
                break
            for start in range(0, len(letters), self.concurrency):
                counts.update(await self.deliver(letters[start : start + self.concurrency], send))
        await self.finish_done()
        return dict(counts)
