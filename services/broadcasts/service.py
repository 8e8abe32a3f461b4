"""Broadcasts: audiences, the outbox, and the delivery engine that works it.

The outbox has one row per broadcast and recipient (unique), filled by one INSERT … SELECT,
so an audience of any size is never loaded into memory. Workers claim rows with a lease
(FOR UPDATE SKIP LOCKED on PostgreSQL), share one rate budget through `send_windows`, and
obey one pause (`send_pause`) when Telegram answers 429. Each messenger has its own budget and
pause, and its process claims only its own people's rows (a broadcast reaches a Telegram and a
MAX audience through two processes). A row is `sending` only while its
request is in flight: a worker killed then leaves it `uncertain`, never resent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import and_, exists, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import read_rows
from db.models import Broadcast, Child, Outbox, SendPause, SendWindow, Subscription, User
from services.messengers.claims import own
from services.messengers.ids import Messenger
from services.people.children import FIRST_SCHOOL_AGE, school_year

TOPICS = ("orientation", "clubs", "consultations")
LEASE = timedelta(seconds=60)  # a request in flight (`sending`) longer than this: uncertain
SWEEP_EVERY = timedelta(seconds=5)  # how often lapsed `sending` rows are marked uncertain
CLAIM_LEASE = timedelta(seconds=10)  # claimed rows a dead worker held wait this long, no more
MAX_ATTEMPTS = 5
# Each messenger's budget lives in its own part of `send_windows` (slot numbers are below
# 2^36 until the year 3000) and its own `send_pause` row: MAX's 429 does not stop Telegram.
BUDGET_KEYS: dict[str, tuple[int, int]] = {"telegram": (0, 1), "max": (2**40, 2)}
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
    """Users the audience reaches: with consent on record, not blocked, subscribed to one of
    the topics, in segment. Without consent nobody gets a letter, whatever the audience."""
    conditions = [User.consent_version.is_not(None), User.blocked_at.is_(None)]
    if audience.topics:
        conditions.append(
            exists().where(Subscription.user_id == User.id, Subscription.topic.in_(audience.topics))
        )
    if audience.roles:
        conditions.append(User.role.in_(audience.roles))
    if audience.grade_from is not None or audience.grade_to is not None:
        # A child in those grades now: its estimated birth year (services/people/children.py).
        low, high = audience.grade_from or 1, audience.grade_to or 11
        start = school_year(datetime.now(UTC).date()) - FIRST_SCHOOL_AGE
        conditions.append(
            exists().where(Child.user_id == User.id, Child.born.between(start - high, start - low))
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


class Pacer:
    """Sends spread evenly under a sliding-window cap (one process; times are passed in).

    Telegram counts sends over a sliding window, so a budget handed out per calendar second
    lets the end of one second and the start of the next go out together: up to twice the cap
    within one second, answered with 429. Here tokens trickle in at `rate` a second, at most
    `burst` are held (a small group that one transaction marks `sending`), and no more than
    one second's worth (`rate`) ever falls into one `window`; a window a little longer than a
    second leaves room for the way to the server to vary.
    """

    def __init__(self, rate: float, *, burst: int = 1, window: float = 1.0) -> None:
        self.rate = float(rate)
        self.burst = max(1, burst)
        self.window = window
        self.limit = max(1, int(rate))  # sends allowed in any one window (a second's worth)
        self._tokens = float(self.burst)
        self._stamp: float | None = None
        self._log: deque[tuple[float, int]] = deque()  # (time, sends) within the last window
        self._in_window = 0

    def _advance(self, now: float) -> None:
        if self._stamp is not None and now > self._stamp:
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        if self._stamp is None or now > self._stamp:
            self._stamp = now
        horizon = now - self.window
        while self._log and self._log[0][0] <= horizon:
            self._in_window -= self._log.popleft()[1]

    def available(self, now: float) -> int:
        """How many sends may go at `now`."""
        self._advance(now)
        return max(0, min(int(self._tokens + 1e-9), self.limit - self._in_window))

    def delay(self, now: float, count: int = 1) -> float:
        """Seconds from `now` until `count` sends (at most `burst`) may go."""
        self._advance(now)
        count = min(max(count, 1), self.burst, self.limit)
        wait = max(0.0, (count - self._tokens) / self.rate)
        excess = self._in_window + count - self.limit
        if excess > 0:  # wait until enough of the window's sends have slid out of it
            for stamp, sends in self._log:
                excess -= sends
                if excess <= 0:
                    wait = max(wait, stamp + self.window - now)
                    break
        return wait

    def record(self, now: float, count: int, sent_at: float | None = None) -> None:
        """`count` sends were let go at `now` (tokens are counted from then) and left at
        `sent_at` (the window counts them from then; later than `now` by a transaction)."""
        if count <= 0:
            return
        self._advance(now)
        self._tokens -= count
        self._log.append((max(sent_at or now, now), count))
        self._in_window += count


class RateBudget:
    """The budget every worker shares, in `send_windows`, and the pause after a 429, in
    `send_pause`; both read and charged inside the transaction that marks rows `sending`, so no
    extra round trip is spent on them.

    The budget is kept per slot of 1/`slots` second (a row's `second` holds the slot's number),
    each slot granting its share of the cap and any `slots` slots in a row exactly the cap. A
    budget per calendar second let two workers spend one second's cap at its end and the next
    one's at its start: a sliding second saw up to twice the cap. With short slots (50 ms at
    high rates) no sliding second sees more than the cap and one slot's share, however many
    workers there are.
    """

    def __init__(self, cap: int, messenger: Messenger = "telegram") -> None:
        self.cap = cap
        self.base, self.pause_id = BUDGET_KEYS[messenger]
        # Slots a second: 20 (50 ms) at high rates; at low ones each slot keeps at least 5
        # sends, or evenly paced sends (25/s: one per 40 ms) would miss slots of one.
        self.slots = max(1, min(20, cap // 5))
        self.pause_until = 0.0  # time.time() before which this process does not send
        self._swept = -1

    def share(self, slot: int) -> int:
        """The slot's part of the cap (they differ by at most one; `slots` in a row: the cap)."""
        index = slot % self.slots
        return self.cap * (index + 1) // self.slots - self.cap * index // self.slots

    def slot(self) -> int:
        return math.floor(time.time() * self.slots)

    def next_slot_in(self) -> float:
        """Seconds until the next slot begins."""
        now = time.time()
        return (math.floor(now * self.slots) + 1) / self.slots - now

    def paused_for(self) -> float:
        return max(0.0, self.pause_until - time.time())

    def hold(self, seconds: float) -> None:
        """Stop this process's sending at once (a 429 just arrived); `pause` tells the rest."""
        self.pause_until = max(self.pause_until, time.time() + seconds)

    async def reserve(self, session: AsyncSession, want: int) -> int:
        """Sends granted now (0 when paused or this slot's share is used up)."""
        now = time.time()
        slot = math.floor(now * self.slots)
        share = self.share(slot)
        granted = min(want, share)
        # One statement in the usual case: charged only while nobody has paused sending.
        if not await self._charge(session, slot, granted, share, now):
            until = (
                await session.execute(select(SendPause.until).where(SendPause.id == self.pause_id))
            ).scalar_one_or_none()
            if until is not None and until.timestamp() > now:
                self.pause_until = max(self.pause_until, until.timestamp())
                return 0
            used = (
                await session.execute(
                    select(SendWindow.used).where(SendWindow.second == self.base + slot)
                )
            ).scalar_one_or_none()
            granted = min(granted, share - (used or 0))
            if granted <= 0 or not await self._charge(session, slot, granted, share, now):
                return 0
        minute = slot // (60 * self.slots)
        if minute != self._swept:
            self._swept = minute
            await session.execute(
                SendWindow.__table__.delete().where(
                    SendWindow.second >= self.base,
                    SendWindow.second < self.base + slot - 60 * self.slots,
                )
            )
        return granted

    async def _charge(
        self, session: AsyncSession, slot: int, count: int, share: int, now: float
    ) -> bool:
        # Atomic against other workers: applies only within the share and while not paused.
        dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
        running = ~exists().where(
            SendPause.id == self.pause_id, SendPause.until > datetime.fromtimestamp(now, UTC)
        )
        values = select(literal(self.base + slot), literal(count)).where(running)
        statement = dialect.insert(SendWindow).from_select(["second", "used"], values)
        statement = statement.on_conflict_do_update(
            index_elements=["second"],
            set_={"used": SendWindow.used + count},
            where=and_(SendWindow.used + count <= share, running),
        ).returning(SendWindow.used)
        return (await session.execute(statement)).first() is not None

    async def pause(self, session: AsyncSession, seconds: float) -> None:
        """Every worker of this messenger stops sending for `seconds` (the 429's retry_after)."""
        self.hold(seconds)
        until = datetime.fromtimestamp(self.pause_until, UTC)
        dialect = sqlite if session.bind.dialect.name == "sqlite" else postgresql
        statement = dialect.insert(SendPause).values(id=self.pause_id, until=until)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["id"],
                set_={"until": until},
                where=SendPause.until < until,
            )
        )


class DeliveryEngine:
    """Works the outbox of running broadcasts. Several may run, in one or more processes.

    A pipeline, not batch after batch: rows are claimed ahead into a queue; the pacer lets a
    small group go every few milliseconds; one transaction charges the shared budget and marks
    the group `sending`, and its requests start at once (at most `concurrency` in flight);
    outcomes are written back together every `flush_every` seconds.
    """

    def __init__(
        self,
        write_sessions: async_sessionmaker[AsyncSession],
        cap_per_second: int = 25,
        *,
        concurrency: int | None = None,
        per_chat_interval: float = 1.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tick: float = 0.1,
        window: float = 1.0,
        messenger: Messenger = "telegram",
    ) -> None:
        self._write = write_sessions
        self._next_sweep: datetime | None = None
        self.per_chat_interval = per_chat_interval
        # This process sends through one messenger: its rows, its budget, its pause.
        self.messenger = messenger
        self.budget = RateBudget(cap_per_second, messenger)
        # Enough requests in flight for 100 ms of sending at the cap.
        self.concurrency = concurrency or max(16, cap_per_second // 10)
        # Tokens for up to `tick` seconds of sending are held, so a late turn (a slow
        # transaction) catches up; a group (one transaction marks it `sending`) waits for at
        # least `group` tokens, so transactions stay few at high rates.
        # The cap is kept over `window` seconds. Telegram counts where requests arrive, and the
        # way there (the network, the server's queue) varies by some tens of milliseconds: at
        # a cap equal to Telegram's limit (paid broadcasts, 1000/s), that jitter alone drew
        # 429s, each pausing everyone for a second, so there a window of 1.05 s leaves room.
        # Under the free limit (25 of 30/s) a second is enough, and a longer one costs 5%.
        # At least 5 are held, so a send that waited for the next budget slot or for a slow
        # transaction at a low rate (25/s: 200 ms for 5) is made up, not lost.
        depth = min(max(5, round(cap_per_second * tick)), self.concurrency)
        self.pacer = Pacer(cap_per_second, burst=depth, window=window)
        self.group = min(max(1, round(cap_per_second * 0.025)), depth)
        # Rows claimed at once: enough to keep the requests going (a claim comes when half
        # is left), at most a quarter second of sending at high rates: on SQLite a claim runs
        # in the event loop, and a long one would hold the sends back and then let them out
        # in a bunch.
        self.batch = max(
            self.group,
            min(max(2 * self.concurrency, cap_per_second // 4), 4 * cap_per_second),
        )
        self.flush_every = 0.25  # outcomes are written back together this often
        self.now = clock
        self._last_to_chat: dict[int, float] = {}
        self._chat_times: deque[tuple[float, int]] = deque()  # to forget chats after a second

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
                # FOR KEY SHARE (PostgreSQL; SQLite has one writer at a time), which only a
                # delete waits for, not a profile update: a person whose /forget is deleting
                # their row is waited for and then left out, and a /forget that comes later
                # waits for these letters and drops them (services/people/privacy.py).
                source = (
                    audience_query(audience)
                    .add_columns(literal(broadcast.id), literal("pending"), literal(0))
                    .with_for_update(read=True, key_share=True, of=User)
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

    def _mine(self):  # type: ignore[no-untyped-def]
        """This process's letters. Telegram's ids sort before MAX's, so its pending rows come
        first along ix_outbox_work, and `user_id + 0` keeps the planner there (on a bare range
        SQLite walked the (broadcast, user) unique index over the whole audience: 100+ ms a
        claim at 100 000); MAX's rows, last in that order, that unique index reaches directly."""
        if self.messenger == "telegram":
            return own(Outbox.user_id + 0, "telegram")
        return own(Outbox.user_id, self.messenger)

    async def claim(self, limit: int) -> list[Letter]:
        """Rows to send: ones whose claim lapsed (a worker died) first, then pending ones.

        Each part walks ix_outbox_work (broadcast, state, next attempt) and stops at `limit`:
        an ORDER BY id over both states made every claim read and sort the whole remaining
        audience (100 000 rows: a stall long enough to bunch the sends into 429s).
        """
        now = self.now()
        async with self._write() as session, session.begin():
            if self._next_sweep is None or now >= self._next_sweep:
                # Sends that a dead worker left half-done: uncertain, never resent. Not on
                # every claim (it reads the whole outbox); the sending lease is a minute.
                self._next_sweep = now + SWEEP_EVERY
                await session.execute(
                    update(Outbox)
                    .where(Outbox.state == "sending", Outbox.claimed_until < now)
                    .values(state="uncertain", error="worker stopped while sending")
                )
            running = select(Broadcast.id).where(Broadcast.status == "running").scalar_subquery()
            columns = (Outbox.id, Outbox.broadcast_id, Outbox.user_id, Outbox.locale)
            lapsed = select(*columns).where(
                Outbox.broadcast_id.in_(running),
                self._mine(),
                Outbox.state == "claimed",
                Outbox.claimed_until < now,
            )
            pending = select(*columns).where(
                Outbox.broadcast_id.in_(running),
                self._mine(),
                Outbox.state == "pending",
                or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
            )
            found = []
            for rows in (lapsed, pending):
                rows = rows.order_by(
                    Outbox.broadcast_id, Outbox.state, Outbox.next_attempt_at
                ).limit(limit - len(found))
                if session.bind.dialect.name == "postgresql":
                    rows = rows.with_for_update(skip_locked=True)
                found += (await session.execute(rows)).all()
                if len(found) >= limit:
                    break
            if found:
                await session.execute(
                    update(Outbox)
                    .where(Outbox.id.in_([r.id for r in found]))
                    .values(state="claimed", claimed_until=now + CLAIM_LEASE)
                )
        return [Letter(r.id, r.broadcast_id, r.user_id, r.locale) for r in found]

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

    async def _record(
        self,
        finished: list[tuple[Letter, Outcome]],
        later: list[int],
        release: list[int],
    ) -> None:
        """Outcomes and returned rows, written in one transaction."""
        now = self.now()
        sent: list[int] = []
        final: dict[tuple[str, str | None], list[int]] = {}
        blocked: list[int] = []
        retry: list[tuple[Letter, Outcome]] = []
        for letter, outcome in finished:
            if outcome.result is Result.SENT:
                sent.append(letter.outbox_id)
            elif outcome.result in (Result.RETRY, Result.RATE_LIMITED):
                retry.append((letter, outcome))
            else:
                key = (outcome.result.value, outcome.error[:255] or None)
                final.setdefault(key, []).append(letter.outbox_id)
                if outcome.result is Result.BLOCKED:
                    blocked.append(letter.user_id)
        async with self._write() as session, session.begin():
            if sent:
                await session.execute(
                    update(Outbox)
                    .where(Outbox.id.in_(sent), Outbox.state == "sending")
                    .values(state="sent", sent_at=now)
                )
            for (state, error), ids in final.items():
                await session.execute(
                    update(Outbox)
                    .where(Outbox.id.in_(ids), Outbox.state == "sending")
                    .values(state=state, error=error)
                )
            if blocked:  # 403: never again, and left out of later audiences
                await session.execute(
                    update(User)
                    .where(User.id.in_(blocked), User.blocked_at.is_(None))
                    .values(blocked_at=now)
                )
            pause = max(
                (o.retry_after for _, o in retry if o.result is Result.RATE_LIMITED), default=0
            )
            if pause:
                await self.budget.pause(session, pause)
            for letter, outcome in retry:
                await self._retry(session, letter.outbox_id, outcome, now)
            if later:  # one message a second to one chat: these go back in line for a while
                retry_at = now + timedelta(seconds=self.per_chat_interval)
                await session.execute(
                    update(Outbox)
                    .where(Outbox.id.in_(later), Outbox.state == "claimed")
                    .values(state="pending", next_attempt_at=retry_at)
                )
            if release:  # claimed but not sent (paused, cancelled, or time is up): free again
                await session.execute(
                    update(Outbox)
                    .where(Outbox.id.in_(release), Outbox.state == "claimed")
                    .values(state="pending")
                )

    @staticmethod
    async def _retry(
        session: AsyncSession, outbox_id: int, outcome: Outcome, now: datetime
    ) -> None:
        row = await session.get(Outbox, outbox_id)
        if row is None or row.state != "sending":
            return
        if outcome.result is Result.RATE_LIMITED:
            # Not the recipient's fault: no attempt used up.
            row.next_attempt_at = now + timedelta(seconds=outcome.retry_after)
            row.state = "pending"
            return
        row.attempts += 1
        if row.attempts >= MAX_ATTEMPTS:
            row.state, row.error = "failed", (outcome.error or "too many attempts")[:255]
        else:
            row.state = "pending"
            row.next_attempt_at = now + timedelta(seconds=2**row.attempts)
            row.error = outcome.error[:255] or None

    async def _begin(self, letters: list[Letter]) -> tuple[int, list[Letter]]:
        """One transaction: the pause and this second's shared budget, then the rows go
        `sending` (only while still claimed and their broadcast running). Returns how many the
        budget granted (the first ones) and the letters whose rows moved."""
        lease = self.now() + LEASE
        async with self._write() as session, session.begin():
            granted = await self.budget.reserve(session, len(letters))
            if not granted:
                return 0, []
            ids = [letter.outbox_id for letter in letters[:granted]]
            running = select(Broadcast.id).where(Broadcast.status == "running").scalar_subquery()
            moved = set(
                (
                    await session.execute(
                        update(Outbox)
                        .where(
                            Outbox.id.in_(ids),
                            Outbox.state == "claimed",
                            Outbox.broadcast_id.in_(running),
                        )
                        .values(state="sending", claimed_until=lease)
                        .returning(Outbox.id)
                    )
                ).scalars()
            )
        return granted, [letter for letter in letters[:granted] if letter.outbox_id in moved]

    def _chat_busy(self, user_id: int, now: float, group: set[int]) -> bool:
        if self.per_chat_interval <= 0:
            return False
        recent = self._last_to_chat.get(user_id)
        return user_id in group or (recent is not None and recent + self.per_chat_interval > now)

    def _sent_to_chat(self, user_id: int, now: float) -> None:
        self._last_to_chat[user_id] = now
        self._chat_times.append((now, user_id))
        horizon = now - max(self.per_chat_interval, 0.0)
        while self._chat_times and self._chat_times[0][0] <= horizon:  # memory stays flat
            stamp, old = self._chat_times.popleft()
            if self._last_to_chat.get(old) == stamp:
                del self._last_to_chat[old]

    async def has_work(self) -> bool:
        """Whether a broadcast is under way, paused or due to start: one autocommit read. The
        engine ticks every few seconds and mostly finds nothing, and on SQLite each of its
        write transactions (start, claim, finish) holds the one writer's lock, which people's
        updates wait for."""
        due = and_(Broadcast.status == "scheduled", Broadcast.scheduled_at <= self.now())
        found = exists().where(or_(Broadcast.status.in_(("running", "paused")), due))
        return bool((await read_rows(self._write, select(found)))[0][0])

    async def run_for(self, send: Send, seconds: float) -> dict[str, int]:
        """Start what is due, then deliver until idle or `seconds` pass; returns counts."""
        counts: Counter[str] = Counter()
        if not await self.has_work():
            return {}
        clock = time.monotonic
        deadline = clock() + seconds
        await self.start_due()
        queue: deque[Letter] = deque()
        finished: list[tuple[Letter, Outcome]] = []
        later: list[int] = []
        release: list[int] = []
        tasks: set[asyncio.Task[None]] = set()
        wake = asyncio.Event()
        low = self.batch // 2  # claim more below this
        next_claim = 0.0
        exhausted = False
        flushed_at = clock()

        async def one(letter: Letter) -> None:
            try:
                outcome = await send(letter)
            except Exception as error:  # the request may have left: do not send again
                outcome = Outcome(Result.UNCERTAIN, error=type(error).__name__)
            if outcome.result is Result.RATE_LIMITED:
                self.budget.hold(outcome.retry_after)  # at once; `_record` tells the others
            finished.append((letter, outcome))

        def settled(task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            wake.set()  # after the discard, so the loop sees the room it wakes up for

        async def wait(timeout: float) -> None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(timeout, 0.0)):
                    await wake.wait()
            wake.clear()

        try:
            while True:
                now = clock()
                if finished or later or release:
                    limited = any(o.result is Result.RATE_LIMITED for _, o in finished)
                    if limited or not tasks or now - flushed_at >= self.flush_every:
                        done, finished = finished, []
                        await self._record(done, later, release)
                        counts.update(outcome.result.value for _, outcome in done)
                        later, release, flushed_at = [], [], clock()
                        continue
                if now >= deadline:
                    break
                if len(queue) < low and now >= next_claim:
                    asked = self.batch - len(queue)
                    claimed = await self.claim(asked)
                    queue.extend(claimed)
                    exhausted = not claimed
                    if len(claimed) < asked:  # nothing more for now: look again a little later
                        next_claim = clock() + 0.25
                    continue
                if not queue:
                    if exhausted and not tasks and not finished:
                        break
                    await wait(min(next_claim - now, self.flush_every))
                    continue
                paused = self.budget.paused_for()
                if paused:
                    await wait(min(paused, self.flush_every))
                    continue
                want = min(len(queue), self.group)  # a group, not a few letters at a time
                room = self.concurrency - len(tasks)
                if room < want:
                    await wait(self.flush_every)
                    continue
                allowed = self.pacer.available(now)
                if allowed < want:
                    await asyncio.sleep(self.pacer.delay(now, want))
                    continue
                # No more than a budget slot's share: the rest would be refused anyway.
                size = min(len(queue), room, allowed, self.budget.share(self.budget.slot()))
                group: list[Letter] = []
                chats: set[int] = set()
                while queue and len(group) < size:
                    letter = queue.popleft()
                    if self._chat_busy(letter.user_id, now, chats):
                        later.append(letter.outbox_id)
                    else:
                        group.append(letter)
                        chats.add(letter.user_id)
                if not group:
                    continue
                granted, started = await self._begin(group)
                queue.extendleft(reversed(group[granted:]))  # not granted: first in line again
                if not granted:
                    if not self.budget.paused_for():  # this slot's share is spent elsewhere
                        await asyncio.sleep(self.budget.next_slot_in() + 0.001)
                    continue
                moved = {letter.outbox_id for letter in started}
                release.extend(
                    letter.outbox_id for letter in group[:granted] if letter.outbox_id not in moved
                )
                # Tokens count from when the pacer let them go (the transaction's time is not
                # lost); the window from when they leave (its length varies: no bunching).
                sent_at = clock()
                self.pacer.record(now, granted, sent_at)
                for letter in started:
                    self._sent_to_chat(letter.user_id, sent_at)
                    task = asyncio.create_task(one(letter))
                    tasks.add(task)
                    task.add_done_callback(settled)
        finally:
            # Requests in flight finish and are written down; unsent rows are freed.
            if tasks:
                await asyncio.gather(*tasks)
            release.extend(letter.outbox_id for letter in queue)
            if finished or later or release:
                await self._record(finished, later, release)
                counts.update(outcome.result.value for _, outcome in finished)
        await self.finish_done()
        return dict(counts)
