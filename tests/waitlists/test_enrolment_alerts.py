"""Enrolment start dates: staff set them in chat (a past day refused) and by import (a past
day a problem of its row, nothing stored); the card shows the day and offers «⏰ Напомнить»;
the reminder is sent that morning at WAITLIST__REMIND_HOUR local, once; the campaign screen
lists what opens when, a page at a time."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from catalog_rows import csv_bytes, row
from clock import Clock
from sqlalchemy import select
from waitlist_kit import ADMIN, a_programme, sent_to

from bot.notify.waitlists import WaitlistNotices
from db.models import EnrolReminder, Programme
from handlers.catalog.views import WaitAction
from services.catalog.imports import import_catalog
from services.waitlists.enrolment import EnrolReminderWorker

REMIND = "⏰ Напомнить о начале записи"


async def _starts_on(app, programme_id: int):
    async with app.sessions() as session:
        return await session.scalar(
            select(Programme.enrol_starts_on).where(Programme.id == programme_id)
        )


async def _reminders(app) -> list[EnrolReminder]:
    async with app.sessions() as session:
        return list((await session.scalars(select(EnrolReminder))).all())


def _card(user):
    for message in reversed(user.messages):
        rows = getattr(message.reply_markup, "inline_keyboard", None) or []
        if any(b.text == "🗺 На карте" for r in rows for b in r):
            return message
    raise AssertionError("no card")


async def test_staff_set_the_day_and_a_family_is_reminded_that_morning(any_app, any_client):
    app, client = any_app, any_client
    zone = app.settings.zone
    programme_id = await a_programme(app, free=5)
    today = datetime.now(zone).date()
    admin = client.user(ADMIN)
    await admin.send(f"/start p-{programme_id}")
    await admin.press("📅 Начало записи")
    assert "Когда начинается запись" in admin.text() and "не указано" in admin.text()
    await admin.send((today - timedelta(days=1)).strftime("%d.%m.%Y"))
    assert "уже прошла" in admin.text()
    await admin.send("в сентябре")
    assert "Не понял дату" in admin.text()
    assert await _starts_on(app, programme_id) is None  # nothing stored
    opens = today + timedelta(days=1)
    await admin.send(opens.strftime("%d.%m.%Y"))
    assert admin.texts()[0].startswith("Начало записи:") and "📅 Начало записи:" in admin.text()
    assert await _starts_on(app, programme_id) == opens

    anna = client.user(9401)
    await anna.send(f"/start p-{programme_id}")
    assert "📅 Начало записи:" in anna.text()
    await anna.press(REMIND)
    assert "Напомню утром" in anna.callback_answer().text
    assert "✖️ Не напоминать о начале записи" in anna.visible_labels()
    await anna._callback(_card(anna), WaitAction(id=programme_id, act="remind").pack())
    assert "уже стоит" in anna.callback_answer().text
    assert len(await _reminders(app)) == 1

    deliver = WaitlistNotices(client.bot, app).deliver_enrolment
    morning = datetime.combine(opens, time(9, 0), tzinfo=zone)
    early = EnrolReminderWorker(app.write_sessions, zone, 9, Clock(morning - timedelta(minutes=1)))
    assert (await early.run_due(deliver))["sent"] == 0
    worker = EnrolReminderWorker(app.write_sessions, zone, 9, Clock(morning))
    start = len(client.session.log)
    assert (await worker.run_due(deliver))["sent"] == 1
    assert (await worker.run_due(deliver))["sent"] == 0
    told = sent_to(client, start)
    assert [chat for chat, _ in told] == [9401]
    assert "Сегодня начинается запись" in told[0][1]


async def test_a_reminder_is_refused_without_a_future_day_and_can_be_removed(any_app, any_client):
    app, client = any_app, any_client
    programme_id = await a_programme(app, free=5)
    boris = client.user(9411)
    await boris.send(f"/start p-{programme_id}")
    assert REMIND not in boris.visible_labels()
    card = _card(boris)
    await boris._callback(card, WaitAction(id=programme_id, act="remind").pack())
    assert "Дата начала записи неизвестна" in boris.callback_answer().text
    today = datetime.now(app.settings.zone).date()
    await app.enrolment.set_start(programme_id, today)  # opens today: already open
    await boris._callback(card, WaitAction(id=programme_id, act="remind").pack())
    assert "Запись уже открыта" in boris.callback_answer().text
    assert await _reminders(app) == []

    await app.enrolment.set_start(programme_id, today + timedelta(days=30))
    await boris.send(f"/start p-{programme_id}")
    await boris.press(REMIND)
    await boris.press("✖️ Не напоминать о начале записи")
    assert "снято" in boris.callback_answer().text
    assert await _reminders(app) == []


async def test_the_campaign_screen_lists_what_opens_when(any_app, any_client):
    app, client = any_app, any_client
    programme_id = await a_programme(app, free=5)
    today = datetime.now(app.settings.zone).date()
    await app.enrolment.set_start(programme_id, today + timedelta(days=1))  # before the demo's
    name = (await app.catalog.programme(programme_id)).name
    vera = client.user(9421)
    await vera.send("🔎 Кружки и центры")
    await vera.press("📅 Когда начинается запись")
    text = vera.text()
    assert "Когда начинается запись" in text and "1. " in text and name in text
    assert "1 из 2" in vera.visible_labels()  # the demo's dates too: two pages
    await vera.press("▶️")
    assert "2 из 2" in vera.visible_labels()
    await vera.press("◀️")
    first = next(label for label in vera.visible_labels() if label.startswith("1. "))
    await vera.press(first)
    assert name in vera.text() and REMIND in vera.visible_labels()


async def test_import_takes_the_column_and_refuses_a_past_day(any_app):
    app = any_app
    today = datetime.now(app.settings.zone).date()
    past = csv_bytes([row(enrol_starts_on=(today - timedelta(days=40)).strftime("%d.%m.%Y"))])
    report = await import_catalog(app.sessions, past, file_name="c.csv")
    assert not report.ok
    assert [(p.column, p.reason) for p in report.problems] == [("Начало записи", "day-past")]
    bad = await import_catalog(app.sessions, csv_bytes([row(enrol_starts_on="скоро")]))
    assert [p.reason for p in bad.problems] == ["day"]
    async with app.sessions() as session:
        assert (
            await session.scalar(select(Programme).where(Programme.external_id == "T-PRG-1"))
            is None
        )

    opens = today + timedelta(days=200)
    report = await import_catalog(
        app.sessions, csv_bytes([row(enrol_starts_on=opens.isoformat())]), file_name="c.csv"
    )
    assert report.ok, report.problems
    async with app.sessions() as session:
        stored = await session.scalar(
            select(Programme.enrol_starts_on).where(Programme.external_id == "T-PRG-1")
        )
    assert stored == opens
