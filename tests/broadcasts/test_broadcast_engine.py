"""The delivery engine against scripted outcomes: nothing lost, nothing sent twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest
from backends import fresh_postgres, needs_postgres
from sqlalchemy import insert, select

from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Child, Outbox, SendWindow, Subscription, User
from services.broadcasts.service import (
    Audience,
    BroadcastService,
    DeliveryEngine,
    Letter,
    Outcome,
    Result,
)
from services.people.children import Given, born_from
from services.people.profiles import CONSENT_VERSION


class Script:
    """A fake sender: outcomes by user id (a list is consumed attempt by attempt)."""

    def __init__(self, outcomes: dict[int, list[Outcome]] | None = None) -> None:
        self.outcomes = outcomes or {}
        self.delivered: Counter[int] = Counter()
        self.calls = 0

    async def __call__(self, letter: Letter) -> Outcome:
        self.calls += 1
        planned = self.outcomes.get(letter.user_id)
        outcome = planned.pop(0) if planned else Outcome(Result.SENT)
        if outcome.result in (Result.SENT, Result.UNCERTAIN):
            self.delivered[letter.user_id] += 1
        return outcome


CONSENT = {"consent_version": CONSENT_VERSION, "consent_at": datetime.now(UTC)}


async def _users(sessions, count: int, **fields) -> None:
    async with sessions() as session:
        await session.execute(
            insert(User),
            [
                {"id": i, "locale": "ru", "created_at": datetime.now(UTC), **CONSENT, **fields}
                for i in range(1, count + 1)
            ],
        )
        await session.execute(
            insert(Subscription),
            [{"user_id": i, "topic": "orientation"} for i in range(1, count + 1)],
        )
        await session.commit()


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'o.sqlite3'}")
    await migrate.upgrade(engine)
    yield engine
    await engine.dispose()


def _services(engine, cap: int = 1000):
    sessions, writes = create_session_factory(engine), create_write_session_factory(engine)
    return BroadcastService(sessions, writes), DeliveryEngine(writes, cap, concurrency=32), sessions


ORIENTATION = Audience(topics=("orientation",))


async def _start(service: BroadcastService, audience: Audience = ORIENTATION) -> int:
    broadcast_id = await service.create(1, audience, text="<b>Билет в будущее</b>")
    assert await service.schedule(broadcast_id)
    return broadcast_id


async def test_everyone_gets_exactly_one(engine):
    service, worker, sessions = _services(engine)
    await _users(sessions, 300)
    broadcast_id = await _start(service)
    send = Script()
    counts = await worker.run_for(send, 30)
    assert counts == {"sent": 300}
    assert set(send.delivered.values()) == {1} and len(send.delivered) == 300
    progress = await service.progress(broadcast_id)
    assert progress.status == "done" and progress.counts == {"sent": 300} and progress.total == 300


async def test_blocked_failed_retried_and_uncertain(engine):
    service, worker, sessions = _services(engine)
    await _users(sessions, 20)
    await _start(service)
    send = Script(
        {
            1: [Outcome(Result.BLOCKED, error="Forbidden")],
            2: [Outcome(Result.RETRY, error="502"), Outcome(Result.SENT)],
            3: [Outcome(Result.RETRY)] * 5,
            4: [Outcome(Result.UNCERTAIN, error="timeout")],
            5: [Outcome(Result.FAILED, error="chat not found")],
        }
    )
    moment = [datetime.now(UTC)]
    worker.now = lambda: moment[0]
    worker.per_chat_interval = 0  # retries of one chat at once; the 1 s rule has its own test
    for _ in range(8):
        await worker.run_for(send, 10)
        moment[0] = moment[0].replace(year=moment[0].year + 1)  # every retry is due by now
    async with sessions() as session:
        states = dict((await session.execute(select(Outbox.user_id, Outbox.state))).all())
        blocked = (await session.get(User, 1)).blocked_at
    assert states[1] == "blocked" and blocked is not None
    assert states[2] == "sent" and send.delivered[2] == 1
    assert states[3] == "failed"
    assert states[4] == "uncertain" and send.delivered[4] == 1
    assert states[5] == "failed"
    assert all(states[i] == "sent" for i in range(6, 21))

    # Blocked users are left out of later audiences.
    assert await service.audience_size(Audience(topics=("orientation",))) == 19


async def test_rate_limit_pauses_and_loses_nothing(engine):
    service, worker, sessions = _services(engine)
    await _users(sessions, 10)
    broadcast_id = await _start(service)
    send = Script({5: [Outcome(Result.RATE_LIMITED, retry_after=1)]})
    started = asyncio.get_running_loop().time()
    while (await service.progress(broadcast_id)).status != "done":
        await worker.run_for(send, 10)
        await asyncio.sleep(0.05)
    assert asyncio.get_running_loop().time() - started >= 1.0
    assert len(send.delivered) == 10 and set(send.delivered.values()) == {1}


async def test_a_killed_worker_resumes_from_the_outbox(engine):
    service, worker, sessions = _services(engine)
    await _users(sessions, 50)
    await _start(service)
    await worker.start_due()
    claimed = await worker.claim(20)  # the process dies holding these
    assert len(claimed) == 20
    # One of them was in flight when it died.
    async with create_write_session_factory(engine)() as session:
        await session.execute(
            Outbox.__table__.update()
            .where(Outbox.id == claimed[0].outbox_id)
            .values(state="sending")
        )
        await session.commit()

    restarted = DeliveryEngine(create_write_session_factory(engine), 1000)
    send = Script()
    await restarted.run_for(send, 5)
    assert len(send.delivered) == 30  # the 20 claimed wait for their lease
    restarted.now = lambda: datetime.now(UTC).replace(year=2031)
    await restarted.run_for(send, 5)
    assert len(send.delivered) == 49 and max(send.delivered.values()) == 1
    async with sessions() as session:
        uncertain = (
            (await session.execute(select(Outbox.user_id).where(Outbox.state == "uncertain")))
            .scalars()
            .all()
        )
    assert uncertain == [claimed[0].user_id]


async def test_pause_resume_cancel(engine):
    service, worker, sessions = _services(engine)
    await _users(sessions, 30)
    broadcast_id = await _start(service)
    await worker.start_due()
    assert await service.pause(broadcast_id)
    send = Script()
    await worker.run_for(send, 2)
    assert send.calls == 0
    assert await service.resume(broadcast_id)
    await worker.run_for(send, 10)
    assert len(send.delivered) == 30
    second = await _start(service)
    assert await service.cancel(second)
    await worker.run_for(send, 2)
    assert len(send.delivered) == 30
    assert (await service.progress(second)).status == "cancelled"


async def _child(sessions, user_id: int, given: Given) -> None:
    """A child as services/people/children.py stores one: what was given, its birth year."""
    today = datetime.now(UTC).date()
    async with sessions() as session:
        await session.execute(
            insert(Child).values(
                user_id=user_id,
                age=given.age,
                grade=given.grade,
                noted_on=today,
                born=born_from(given, today),
                interests="",
                health_needs=False,
                created_at=datetime.now(UTC),
            )
        )
        await session.commit()


async def test_audience_segments(engine):
    service, _, sessions = _services(engine)
    await _users(sessions, 10, role="parent", locality_id=None)
    for user_id in range(1, 11):
        await _child(sessions, user_id, Given(grade=9 if user_id <= 3 else 7))
    async with sessions() as session:
        await session.execute(User.__table__.update().where(User.id <= 3).values(role="pupil"))
        await session.execute(User.__table__.update().where(User.id == 10).values(locale="en"))
        await session.commit()
    assert await service.audience_size(Audience(topics=("orientation",), roles=("pupil",))) == 3
    assert await service.audience_size(Audience(grade_from=8, grade_to=11)) == 3
    assert await service.audience_size(Audience(languages=("en",))) == 1
    assert await service.audience_size(Audience(topics=("clubs",))) == 0


@needs_postgres
async def test_two_workers_on_postgres_share_the_work_and_the_budget():
    engine = await fresh_postgres()
    try:
        await migrate.upgrade(engine)
        service, _, sessions = _services(engine)
        await _users(sessions, 400)
        await _start(service)
        workers = [
            DeliveryEngine(create_write_session_factory(engine), 200, concurrency=16)
            for _ in range(2)
        ]
        send = Script()
        await asyncio.gather(*(w.run_for(send, 30) for w in workers))
        assert len(send.delivered) == 400 and set(send.delivered.values()) == {1}
        async with sessions() as session:
            windows = dict(
                (await session.execute(select(SendWindow.second, SendWindow.used))).all()
            )
        # One budget for both, kept per slot of 50 ms: no run of a second's worth of slots
        # (a sliding second) granted more than the cap, and 400 needed more than one second.
        slots = workers[0].budget.slots
        assert slots == 20
        assert max(sum(windows.get(k, 0) for k in range(s, s + slots)) for s in windows) <= 200
        assert sum(windows.values()) >= 400 and max(windows) - min(windows) >= slots
    finally:
        await engine.dispose()


async def test_one_message_a_second_to_one_chat(engine):
    service, worker, sessions = _services(engine)
    await _users(sessions, 3)
    await _start(service)
    second = await _start(service)  # two broadcasts to the same three chats
    send = Script()
    started = asyncio.get_running_loop().time()
    while (await service.progress(second)).status != "done":
        await worker.run_for(send, 5)
    assert asyncio.get_running_loop().time() - started >= 1.0
    assert send.delivered == Counter({1: 2, 2: 2, 3: 2})


async def test_grade_segments_take_a_childs_age_when_no_grade_was_given(engine):
    service, _, sessions = _services(engine)
    await _users(sessions, 4)
    await _child(sessions, 1, Given(grade=9))
    await _child(sessions, 2, Given(age=15))
    await _child(sessions, 3, Given(age=8))
    await _child(sessions, 4, Given(age=7))  # of two children, one in range is enough
    await _child(sessions, 4, Given(grade=10))
    assert await service.audience_size(Audience(grade_from=8, grade_to=11)) == 3


async def test_a_broadcast_paused_before_it_started_resumes_as_scheduled(engine):
    service, worker, sessions = _services(engine)
    await _users(sessions, 5)
    broadcast_id = await _start(service)
    assert await service.pause(broadcast_id)
    assert await service.resume(broadcast_id)
    send = Script()
    await worker.run_for(send, 5)
    assert len(send.delivered) == 5 and (await service.progress(broadcast_id)).status == "done"
