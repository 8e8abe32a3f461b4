"""A full programme's waitlist through the dispatcher: joining from the card (once), staff
raising the seats in chat, the people told in joining order, each seat held for the notice's
hours before the next is told, a hidden programme telling no one; bad presses store nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from clock import Clock
from waitlist_kit import ADMIN, a_programme, entries, no_demo_queues, sent_to

from bot.notify.waitlists import WaitlistNotices
from handlers.catalog.views import WaitAction
from services.waitlists.entries import WaitlistService
from services.waitlists.notices import WaitNoticeWorker

JOIN = "🔔 Сообщить, когда появится место"
LEAVE = "✖️ Не сообщать"


async def _card(user, programme_id: int) -> None:
    await user.send(f"/start p-{programme_id}")


def _card_message(user):
    """The newest programme card in the chat."""
    for message in reversed(user.messages):
        markup = message.reply_markup
        rows = getattr(markup, "inline_keyboard", None) or []
        if any(b.text in ("🗺 На карте", "🗺 On the map") for row in rows for b in row):
            return message
    raise AssertionError("no card")


def _labels(user) -> list[str]:
    return [b.text for row in _card_message(user).reply_markup.inline_keyboard for b in row]


async def _tell(app, client, moment: datetime | None = None) -> list[tuple[int, str]]:
    """One run of the clock's release and notice jobs at `moment`; what they sent."""
    clock = Clock(moment or datetime.now(UTC))
    service = WaitlistService(
        app.sessions, app.write_sessions, app.booking, notice_hours=48, clock=clock
    )
    await service.release()
    start = len(client.session.log)
    worker = WaitNoticeWorker(app.write_sessions, clock)
    await worker.run_due(WaitlistNotices(client.bot, app).deliver_wait)
    return sent_to(client, start)


async def test_families_are_told_in_joining_order_as_seats_free(any_app, any_client):
    app, client = any_app, any_client
    await no_demo_queues(app)
    programme_id = await a_programme(app, free=0)
    anna, boris, vera = client.user(9301), client.user(9302), client.user(9303, "en")
    for user in (anna, boris):
        await _card(user, programme_id)
        assert "Мест сейчас нет" in user.text()
        await user.press(JOIN)
        assert "Сообщу, когда появится место" in user.callback_answer().text
        assert LEAVE in user.visible_labels()
    await _card(vera, programme_id)
    await vera.press("🔔 Tell me when a place frees up")
    assert "in the queue" in vera.callback_answer().text

    # Twice: the old button pressed again is answered, nothing more is kept.
    await _card(anna, programme_id)
    assert LEAVE in _labels(anna) and JOIN not in _labels(anna)
    card = _card_message(anna)
    await anna._callback(card, WaitAction(id=programme_id, act="join").pack())
    assert "уже в списке ожидания" in anna.callback_answer().text
    assert [e.user_id for e in await entries(app, programme_id)] == [9301, 9302, 9303]

    # Nothing is told while the programme is full.
    assert await _tell(app, client) == []

    # Staff free one seat in chat: the first to join is told, with the card and its buttons.
    admin = client.user(ADMIN)
    await _card(admin, programme_id)
    await admin.press("🪑 Места")
    await admin.send("1")
    assert "Свободных мест теперь: 1" in admin.text()
    start = len(client.session.log)
    told = await _tell(app, client)
    assert [chat for chat, _ in told] == [9301]
    assert "Появилось место" in told[0][1] and "48 ч" in told[0][1]
    notice = client.session.log[start].method
    labels = [b.text for row in notice.reply_markup.inline_keyboard for b in row]
    assert "✍️ Как записаться" in labels
    assert await _tell(app, client) == []  # once

    # The seat stays anna's for 48 hours; then boris is told too.
    assert await _tell(app, client, datetime.now(UTC) + timedelta(hours=47)) == []
    later = datetime.now(UTC) + timedelta(hours=49)
    assert [chat for chat, _ in await _tell(app, client, later)] == [9302]

    # Two more seats: as many are told as are not held, in joining order; vera in English.
    await _card(admin, programme_id)
    await admin.press("🪑 Места")
    await admin.send("3")
    told = await _tell(app, client)
    assert [chat for chat, _ in told] == [9303]
    assert "A place is free" in told[0][1]
    states = {e.user_id: e.state for e in await entries(app, programme_id)}
    assert states == {9301: "sent", 9302: "sent", 9303: "sent"}


async def test_leaving_the_list_and_bad_presses_store_nothing(any_app, any_client):
    app, client = any_app, any_client
    await no_demo_queues(app)
    full = await a_programme(app, free=0)
    open_one = await a_programme(app, free=4, skip=1)
    gala = client.user(9311)
    await _card(gala, full)
    await gala.press(JOIN)
    await gala.press(LEAVE)
    assert "Больше не сообщу" in gala.callback_answer().text
    assert JOIN in gala.visible_labels()
    assert await entries(app) == []

    # A programme with seats: no button, and a forged press is answered, nothing kept.
    await _card(gala, open_one)
    assert JOIN not in _labels(gala) and "✍️ Как записаться" in _labels(gala)
    card = _card_message(gala)
    await gala._callback(card, WaitAction(id=open_one, act="join").pack())
    assert "Места сейчас есть" in gala.callback_answer().text
    # A hidden one: the same.
    await app.catalog.set_programme_hidden(full, True)
    await gala._callback(card, WaitAction(id=full, act="join").pack())
    assert "больше недоступна" in gala.callback_answer().text
    # No such programme at all.
    await gala._callback(card, WaitAction(id=2_000_000_000, act="join").pack())
    assert "больше недоступна" in gala.callback_answer().text
    assert await entries(app) == []


async def test_a_programme_hidden_or_full_again_meanwhile_tells_no_one(any_app, any_client):
    app, client = any_app, any_client
    await no_demo_queues(app)
    programme_id = await a_programme(app, free=0)
    dina = client.user(9321)
    await _card(dina, programme_id)
    await dina.press(JOIN)
    await app.catalog.set_free_seats(programme_id, 2)
    await app.waitlists.release()
    assert [e.state for e in await entries(app, programme_id)] == ["pending"]
    await app.catalog.set_free_seats(programme_id, 0)  # taken again before the notice went
    assert await _tell(app, client) == []
    assert [e.state for e in await entries(app, programme_id)] == ["waiting"]
    await app.catalog.set_free_seats(programme_id, 2)
    await app.waitlists.release()
    await app.catalog.set_programme_hidden(programme_id, True)
    assert await _tell(app, client) == []
    # Back in the queue, in her place: shown again, she is told.
    assert [e.state for e in await entries(app, programme_id)] == ["waiting"]
    await app.catalog.set_programme_hidden(programme_id, False)
    assert [chat for chat, _ in await _tell(app, client)] == [9321]


async def test_seats_raised_by_import_tell_the_first_in_line(any_app, any_client):
    from catalog_rows import csv_bytes, row

    from services.catalog.imports import import_catalog

    app, client = any_app, any_client
    await no_demo_queues(app)
    report = await import_catalog(app.sessions, csv_bytes([row(seats_free="0")]), file_name="c.csv")
    assert report.ok, report.problems
    programme_id = await _imported_id(app)
    erik = client.user(9331)
    await _card(erik, programme_id)
    await erik.press(JOIN)
    assert await _tell(app, client) == []
    raised = await import_catalog(app.sessions, csv_bytes([row(seats_free="1")]), file_name="c.csv")
    assert raised.ok and raised.programmes.changed == 1
    assert [chat for chat, _ in await _tell(app, client)] == [9331]


async def _imported_id(app) -> int:
    from sqlalchemy import select

    from db.models import Programme

    async with app.sessions() as session:
        return await session.scalar(select(Programme.id).where(Programme.external_id == "T-PRG-1"))
