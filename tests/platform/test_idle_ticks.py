"""The clock's jobs tick every few seconds and mostly find nothing: then they only read (one
autocommit statement), and take no write transaction, whose lock people's updates wait for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from services.broadcasts.service import DeliveryEngine, Outcome
from services.due_rows import Outcome as DueOutcome
from services.notices.queue import ALERT, NoticeQueue, NoticeWorker


@contextmanager
def statements(app) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Every statement sent to the database meanwhile (a transaction's BEGIN among them)."""
    seen: list[str] = []
    engine = app.engine.sync_engine  # its listeners hear every engine made from it by options

    def statement(conn, cursor, text, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(text.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)


async def test_an_idle_broadcast_tick_only_reads(app):
    engine = DeliveryEngine(app.write_sessions)

    async def send(letter) -> Outcome:  # type: ignore[no-untyped-def]
        raise AssertionError("nothing to send")

    with statements(app) as seen:
        assert await engine.run_for(send, seconds=1) == {}
    assert seen == ["SELECT"]


async def test_a_notice_tick_claims_only_when_a_notice_is_due(app):
    later = datetime.now(UTC) + timedelta(minutes=5)
    await NoticeQueue(app.write_sessions, clock=lambda: later).put(1, ALERT)
    sent = []

    async def deliver(notice) -> DueOutcome:  # type: ignore[no-untyped-def]
        sent.append(notice.user_id)
        return DueOutcome.SENT

    with statements(app) as seen:  # due in five minutes: not yet
        counts = await NoticeWorker(app.write_sessions).run_due(deliver)
    assert seen == ["SELECT"] and counts["sent"] == 0 and sent == []

    worker = NoticeWorker(app.write_sessions, clock=lambda: later + timedelta(seconds=1))
    with statements(app) as seen:
        counts = await worker.run_due(deliver)
    assert counts["sent"] == 1 and sent == [1]
    assert "UPDATE" in seen  # claimed, then moved to sending and sent
