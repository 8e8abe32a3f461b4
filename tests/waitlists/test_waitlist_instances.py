"""Waitlist notices across a restart and two instances on one database (SQLite file or
PostgreSQL): a worker that claimed notices and died leaves them to the others after the lease;
two instances releasing and sending at once tell each person exactly once, in the order they
joined, as many at a time as there are seats."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from backends import POSTGRES_URL, fresh_postgres, needs_postgres
from clock import Clock
from instances import instances
from waitlist_kit import ADMIN, a_programme, no_demo_queues, sent_to

from bot.config import Settings
from bot.notify.waitlists import WaitlistNotices
from services.waitlists.entries import WaitlistService
from services.waitlists.notices import WaitNoticeWorker

FAMILIES = [9601, 9602, 9603, 9604, 9605]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def shared(request, settings: Settings) -> Settings:
    if request.param == "sqlite":
        return settings
    engine = await fresh_postgres()
    await engine.dispose()
    return settings.model_copy(update={"database_url": POSTGRES_URL})


async def _clock_jobs(kit, moment: datetime) -> None:
    """Both running instances run their release and notice jobs at once, at `moment`."""
    clock = Clock(moment)
    jobs = []
    for app, client in kit.running:
        service = WaitlistService(
            app.sessions, app.write_sessions, app.booking, notice_hours=48, clock=clock
        )
        worker = WaitNoticeWorker(app.write_sessions, clock)
        notices = WaitlistNotices(client.bot, app)

        async def job(service=service, worker=worker, notices=notices) -> None:
            await service.release()
            await worker.run_due(notices.deliver_wait)

        jobs.append(job())
    await asyncio.gather(*jobs)


async def test_each_notice_once_and_in_order_across_a_restart_and_two_instances(shared):
    async with instances(shared, "sql") as kit:
        first = await kit.start()
        app = kit.running[0][0]
        await no_demo_queues(app)
        programme_id = await a_programme(app, free=0)
        for user_id in FAMILIES:
            family = first.user(user_id)
            await family.send(f"/start p-{programme_id}")
            await family.press("🔔 Сообщить, когда появится место")
        admin = first.user(ADMIN)
        await admin.send(f"/start p-{programme_id}")
        await admin.press("🪑 Места")
        await admin.send("2")
        now = datetime.now(UTC)
        # The first instance claims the two notices and dies before sending them.
        assert len(await WaitNoticeWorker(app.write_sessions, Clock(now)).claim()) == 2
        await kit.stop(first)

        second = await kit.start()
        await kit.start()  # a second instance beside it
        start = len(second.session.log)
        await _clock_jobs(kit, now + timedelta(seconds=30))
        assert sent_to(second, start) == []  # the dead worker's lease still holds them
        told = []
        for moment in (
            now + timedelta(minutes=3),  # the lease is over: the first two
            now + timedelta(minutes=4),  # nothing more: their seats are held
            now + timedelta(hours=49),  # held no longer: the next two
            now + timedelta(hours=50),
            now + timedelta(hours=98),  # the last
            now + timedelta(hours=99),
        ):
            start = len(second.session.log)
            await _clock_jobs(kit, moment)
            told.append(sorted(chat for chat, _ in sent_to(second, start)))
        assert told == [[9601, 9602], [], [9603, 9604], [], [9605], []]
        assert kit.rejections() == []


async def test_enrolment_reminders_once_across_a_restart_and_two_instances(shared):
    from datetime import time

    from services.waitlists.enrolment import EnrolReminderWorker

    async with instances(shared, "sql") as kit:
        first = await kit.start()
        app = kit.running[0][0]
        zone = app.settings.zone
        programme_id = await a_programme(app, free=3)
        opens = datetime.now(zone).date() + timedelta(days=2)
        await app.enrolment.set_start(programme_id, opens)
        for user_id in FAMILIES:
            family = first.user(user_id)
            await family.send(f"/start p-{programme_id}")
            await family.press("⏰ Напомнить о начале записи")
        morning = datetime.combine(opens, time(9, 0), tzinfo=zone)
        claimed = await EnrolReminderWorker(app.write_sessions, zone, 9, Clock(morning)).claim(2)
        assert len(claimed) == 2  # and the process dies
        await kit.stop(first)

        second = await kit.start()
        await kit.start()
        told = []
        for moment in (morning, morning + timedelta(minutes=3), morning + timedelta(minutes=4)):
            start = len(second.session.log)
            await asyncio.gather(
                *(
                    EnrolReminderWorker(running.write_sessions, zone, 9, Clock(moment)).run_due(
                        WaitlistNotices(client.bot, running).deliver_enrolment
                    )
                    for running, client in kit.running
                )
            )
            told.append(sorted(chat for chat, _ in sent_to(second, start)))
        assert told[0] == [9603, 9604, 9605]  # the dead worker's two wait for its lease
        assert told[1] == [9601, 9602] and told[2] == []
