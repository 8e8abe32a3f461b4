"""Events: lists that fit the profile, cards, "remind me", deep links, reminders sent once,
and the staff's /events_admin."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import SendMessage
from backends import fresh_postgres, needs_postgres
from clock import Clock
from sqlalchemy import delete, select, update

from bot.notify.events import EventNotices
from db import migrate
from db.engine import create_engine, create_session_factory, create_write_session_factory
from db.models import Event, EventReminder, User
from services.booking.reminders import Outcome
from services.events.demo import load_demo_events_if_empty
from services.events.reminders import EventReminderService
from services.events.service import (
    EventError,
    EventService,
    NewEvent,
    Viewer,
    parse_grades,
    parse_local_time,
    reminder_due,
)

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
TOMSK, SEVERSK = 1, 2


async def _onboard(user, role: str, place: str, age: str | None) -> None:
    await user.send("/start")
    await user.press(role)
    await user.send(place)
    if age is None:
        await user.press("Пропустить")
    else:
        await user.send(age)
    await user.press("✅ Согласен(на)")


async def _only(app, *events: NewEvent) -> list[int]:
    """Replaces the demo events with these."""
    async with app.sessions() as session:
        await session.execute(delete(Event))
        await session.commit()
    service = EventService(app.sessions, app.write_sessions)
    return [await service.create(event) for event in events]


def _soon(days: float, title: str, **audience) -> NewEvent:
    return NewEvent(
        title=title,
        starts_at=datetime.now(UTC) + timedelta(days=days),
        description="Описание & подробности <важно>",
        place="Томск, пр. Ленина, 26",
        registration_url="https://bvbinfo.ru/",
        **audience,
    )


async def _hide_and_age(app, event_id: int, *, hidden=None, starts_at=None) -> None:
    values = {}
    if hidden is not None:
        values["hidden"] = hidden
    if starts_at is not None:
        values["starts_at"] = starts_at
    async with app.sessions() as session:
        await session.execute(update(Event).where(Event.id == event_id).values(**values))
        await session.commit()


# --- the list ----------------------------------------------------------------------------------
async def test_the_list_shows_the_events_that_fit_each_profile(client, app):
    ids = await _only(
        app,
        _soon(1, "Для всех"),
        _soon(2, "Только ученикам", roles=("pupil",)),
        _soon(3, "Для 6–11 классов", grade_from=6, grade_to=11),
        _soon(4, "Только в Северске", localities=(SEVERSK,)),
        _soon(
            5,
            "Родителям младших в Томске",
            roles=("parent",),
            grade_from=1,
            grade_to=4,
            localities=(TOMSK,),
        ),
        _soon(6, "Скрытое"),
        _soon(7, "Прошедшее"),
    )
    await _hide_and_age(app, ids[5], hidden=True)
    await _hide_and_age(app, ids[6], starts_at=datetime.now(UTC) - timedelta(hours=1))

    anna = client.user(7001)  # a parent in Tomsk, child of 10: grade 4
    await _onboard(anna, "Родитель", "Томск", "10")
    await anna.press("📅 События")
    text = anna.text()
    assert "Мероприятия для вас" in text
    assert "Для всех" in text and "Родителям младших в Томске" in text
    for other in (
        "Только ученикам",
        "Для 6–11 классов",
        "Только в Северске",
        "Скрытое",
        "Прошедшее",
    ):
        assert other not in text
    assert text.index("Для всех") < text.index("Родителям младших")  # soonest first

    await anna.press("📋 Все мероприятия")
    everything = anna.text()
    assert "Только ученикам" in everything and "Только в Северске" in everything
    assert "Скрытое" not in everything and "Прошедшее" not in everything
    await anna.press("🎯 Только для меня")
    assert "Только ученикам" not in anna.text()

    boris = client.user(7002)  # a pupil in Seversk, grade 8
    await _onboard(boris, "Ученик", "Северск", "8 класс")
    await boris.press("📅 События")
    text = boris.text()
    for fits in ("Для всех", "Только ученикам", "Для 6–11 классов", "Только в Северске"):
        assert fits in text
    assert "Родителям младших" not in text


async def test_someone_without_a_profile_sees_every_event_and_pages_turn(client, app):
    await _only(app, *(_soon(1 + n, f"Урок ПроеКТОрии №{n}", roles=("pupil",)) for n in range(8)))
    guest = client.user(7003)
    await guest.send("/start")
    await guest.send("/cancel")
    await guest.press("📅 События")
    assert "№0" in guest.text() and "№5" in guest.text() and "№6" not in guest.text()
    assert "1 из 2" in guest.visible_labels()
    await guest.press("▶️")
    assert guest.edits() and "№7" in guest.text() and "7. " in guest.text()


async def test_an_empty_list_says_so(client, app):
    await _only(app)
    anna = client.user(7004)
    await anna.send("📅 События")
    assert "пока нет" in anna.text()


# --- the card, reminders, sharing ---------------------------------------------------------------
async def test_card_remind_me_once_then_offer_to_cancel(client, app):
    (event_id,) = await _only(app, _soon(3, "«Билет в будущее»: профпробы"))
    anna = client.user(7010)
    await _onboard(anna, "Родитель", "Томск", None)
    await anna.press("📅 События")
    await anna.press("1. «Билет в будущее»: профпробы")
    card = anna.text()
    assert "«Билет в будущее»: профпробы" in card
    assert "Описание &amp; подробности" not in card and "Описание & подробности <важно>" in card
    assert "📍 Томск, пр. Ленина, 26" in card and "для всех" in card
    assert "📝 Зарегистрироваться" in anna.visible_labels()

    await anna.press("🔔 Напомнить")
    assert "Напомню" in anna.callback_answer().text
    async with app.sessions() as session:
        rows = (await session.execute(select(EventReminder))).scalars().all()
        starts_at = (await session.get(Event, event_id)).starts_at
    assert [(r.event_id, r.user_id, r.state) for r in rows] == [
        (event_id, client.person_id(7010), "pending")
    ]
    assert rows[0].due_at == starts_at - timedelta(hours=24)

    await anna.press("🔔 Напомнить")
    assert "уже стоит" in anna.text()
    await anna.press("🔕 Не напоминать")
    assert "не напомню" in anna.text()
    async with app.sessions() as session:
        assert (await session.execute(select(EventReminder))).first() is None


async def test_share_gives_a_deep_link_that_opens_the_card_for_a_newcomer(client, app):
    (event_id,) = await _only(app, _soon(2, "Фестиваль профессий: видеопроизводство"))
    anna = client.user(7020)
    await anna.send("📅 События")
    await anna.press("1. Фестиваль профессий: видеопроизводство")
    await anna.press("🔗 Поделиться")
    assert client.start_link(f"e-{event_id}") in anna.text()

    newcomer = client.user(7021)
    await newcomer.send(f"/start e-{event_id}")
    texts = newcomer.texts()
    assert "Фестиваль профессий: видеопроизводство" in texts[0]
    assert "🔔 Напомнить" in newcomer.visible_labels()
    assert "короткую настройку" in texts[-1]


async def test_hidden_or_past_events_are_politely_no_longer_available(client, app):
    hidden, past = await _only(app, _soon(2, "Скрытое"), _soon(3, "Прошедшее"))
    anna = client.user(7030)
    await anna.send("📅 События")
    await anna.press("1. Скрытое")
    await _hide_and_age(app, hidden, hidden=True)
    await anna.press("🔔 Напомнить")
    assert "больше недоступно" in anna.callback_answer().text
    await _hide_and_age(app, past, starts_at=datetime.now(UTC) - timedelta(minutes=5))
    await anna.press("2. Прошедшее")
    assert "больше недоступно" in anna.callback_answer().text
    await anna.send(f"/start e-{past}")
    assert "больше недоступно" in anna.texts()[0]
    await anna.send("/start e-999999")
    assert "больше недоступно" in anna.texts()[0]


async def test_the_events_deep_link_section_offers_the_list(client, app):
    await _only(app, _soon(2, "День открытых дверей «IT-куба»"))
    anna = client.user(7040)
    await anna.send("/start events")
    assert "Мероприятия по профориентации" in anna.texts()[0]
    await anna.press("📅 Показать мероприятия")
    assert "День открытых дверей «IT-куба»" in anna.text()


# --- services ----------------------------------------------------------------------------------
def test_viewer_grade_from_age_and_reminder_times():
    assert Viewer.of("parent", None, 10, 1).grade == 4
    assert Viewer.of("parent", 7, 10, 1).grade == 7
    assert Viewer.of("parent", None, 5, 1).grade == 0  # not at school: no grade range fits
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert reminder_due(now + timedelta(days=2), now) == now + timedelta(days=1)
    assert reminder_due(now + timedelta(hours=5), now) == now + timedelta(hours=4)
    assert reminder_due(now + timedelta(minutes=30), now) == now


def test_typed_dates_and_grades(settings):
    zone = settings.zone  # Asia/Tomsk, UTC+7
    now = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    assert parse_local_time("25.12.2026 15:30", zone, now) == datetime(
        2026, 12, 25, 8, 30, tzinfo=UTC
    )
    for bad, code in (
        ("завтра", "date-format"),
        ("31.02.2026 10:00", "date-format"),
        ("21.11.2026 10:00", "date-past"),
    ):
        with pytest.raises(EventError) as error:
            parse_local_time(bad, zone, now)
        assert error.value.code == code
    assert parse_grades("8") == (8, 8) and parse_grades(" 6 - 11 ") == (6, 11)
    for bad in ("12", "9-5", "восьмой", "0"):
        with pytest.raises(EventError):
            parse_grades(bad)


async def test_demo_events_are_upcoming_and_loaded_once(app):
    service = EventService(app.sessions, app.write_sessions)
    page = await service.upcoming(None, per_page=50)
    assert 6 <= page.total <= 10
    assert not await load_demo_events_if_empty(app.sessions, app.settings.zone)
    pupil_in_seversk = await service.upcoming(Viewer("pupil", 8, SEVERSK), per_page=50)
    assert 0 < pupil_in_seversk.total < page.total


async def test_remind_twice_makes_one_row_even_at_once(app):
    (event_id,) = await _only(app, _soon(3, "Урок"))
    async with app.sessions() as session:
        session.add(User(id=7050, locale="ru"))
        await session.commit()
    service = EventService(app.sessions, app.write_sessions)
    results = await asyncio.gather(*(service.remind(7050, event_id) for _ in range(5)))
    assert sorted(r.outcome.value for r in results) == ["already"] * 4 + ["set"]


# --- reminders: claimed, sent once, never after the start ---------------------------------------


class Outbox:
    def __init__(self, outcome: Outcome = Outcome.SENT) -> None:
        self.outcome = outcome
        self.sent: list[tuple[int, int]] = []

    async def __call__(self, reminder) -> Outcome:
        self.sent.append((reminder.event_id, reminder.user_id))
        return self.outcome


@pytest.fixture
async def engine(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'e.sqlite3'}")
    yield engine
    await engine.dispose()


async def _reminder(engine, starts_in=timedelta(days=3)):
    """An event and one person's reminder for it; returns (event start, clock, write sessions)."""
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    writes = create_write_session_factory(engine)
    booked = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
    clock = Clock(booked)
    service = EventService(sessions, writes, clock)
    async with sessions() as session:
        session.add(User(id=1, locale="ru"))
        await session.commit()
    event_id = await service.create(NewEvent(title="Профпробы", starts_at=booked + starts_in))
    await service.remind(1, event_id)
    return event_id, booked + starts_in, clock, writes


async def test_an_event_reminder_is_sent_once_at_its_time(engine):
    event_id, starts_at, clock, writes = await _reminder(engine)
    worker, outbox = EventReminderService(writes, clock), Outbox()
    await worker.run_due(outbox)
    assert outbox.sent == []
    clock.moment = starts_at - timedelta(hours=24)
    await worker.run_due(outbox)
    await worker.run_due(outbox)
    assert outbox.sent == [(event_id, 1)]


async def test_a_restart_loses_no_event_reminder(engine):
    event_id, starts_at, clock, _ = await _reminder(engine)
    await engine.dispose()
    clock.moment = starts_at - timedelta(hours=2)  # down for most of a day: still before the start
    outbox = Outbox()
    await EventReminderService(create_write_session_factory(engine), clock).run_due(outbox)
    assert outbox.sent == [(event_id, 1)]


async def test_a_killed_worker_leaves_the_reminder_to_the_next_after_the_lease(engine):
    event_id, starts_at, clock, writes = await _reminder(engine)
    clock.moment = starts_at - timedelta(hours=24)
    assert len(await EventReminderService(writes, clock).claim()) == 1  # then the process dies
    outbox = Outbox()
    second = EventReminderService(writes, clock)
    await second.run_due(outbox)
    assert outbox.sent == []
    clock.moment += timedelta(minutes=3)
    await second.run_due(outbox)
    assert outbox.sent == [(event_id, 1)]


async def test_an_uncertain_send_is_never_repeated_and_a_transient_one_is(engine):
    _event_id, starts_at, clock, writes = await _reminder(engine)
    clock.moment = starts_at - timedelta(hours=24)
    worker = EventReminderService(writes, clock)
    await worker.run_due(Outbox(Outcome.NOT_SENT))
    assert (await worker.run_due(Outbox(Outcome.UNCERTAIN)))["uncertain"] == 1
    outbox = Outbox()
    clock.moment += timedelta(minutes=5)
    await worker.run_due(outbox)
    assert outbox.sent == []
    async with create_session_factory(engine)() as session:
        assert (await session.execute(select(EventReminder.state))).scalar_one() == "uncertain"


async def test_no_reminder_after_the_start_or_for_a_hidden_event(engine):
    _event_id, starts_at, clock, writes = await _reminder(engine)
    clock.moment = starts_at + timedelta(seconds=1)  # down since before it was due
    outbox = Outbox()
    await EventReminderService(writes, clock).run_due(outbox)
    assert outbox.sent == []
    async with create_session_factory(engine)() as session:
        assert (await session.execute(select(EventReminder.state))).scalar_one() == "skipped"

    service = EventService(create_session_factory(engine), writes, clock)
    clock.moment = starts_at - timedelta(days=2)
    other = await service.create(NewEvent(title="Снят", starts_at=starts_at))
    await service.remind(1, other)
    await service.set_hidden(other, True)
    clock.moment = starts_at - timedelta(hours=23)
    await EventReminderService(writes, clock).run_due(outbox)
    assert outbox.sent == []


async def test_the_bot_sends_the_reminder_in_the_users_language(client, app):
    (_event_id,) = await _only(app, _soon(0.5, "Открытый урок «ПроеКТОрии»"))
    john = client.user(7060, "en")
    await john.send("📅 Events")
    await john.press("1. Открытый урок «ПроеКТОрии»")
    await john.press("🔔 Remind me")
    async with app.sessions() as session:
        due_at = (await session.execute(select(EventReminder.due_at))).scalar_one()
    worker = EventReminderService(
        app.write_sessions, Clock(due_at), messenger=app.settings.messenger
    )
    start = len(client.session.log)
    counts = await worker.run_due(EventNotices(client.bot, app).deliver)
    assert counts["sent"] == 1
    sent = [o for o in client.session.log[start:] if isinstance(o.method, SendMessage)]
    assert len(sent) == 1 and sent[0].method.chat_id == client.person_id(7060)
    assert sent[0].message.text.startswith("⏰ Reminder: Открытый урок «ПроеКТОрии» — ")
    assert await worker.run_due(EventNotices(client.bot, app).deliver) == {
        "sent": 0,
        "not_sent": 0,
        "failed": 0,
        "uncertain": 0,
    }


@needs_postgres
async def test_four_workers_on_postgres_send_an_event_reminder_once():
    engine = await fresh_postgres()
    try:
        event_id, starts_at, clock, _ = await _reminder(engine)
        clock.moment = starts_at - timedelta(hours=24)
        outbox = Outbox()
        workers = [
            EventReminderService(create_write_session_factory(engine), clock) for _ in range(4)
        ]
        await asyncio.gather(*(w.run_due(outbox) for w in workers))
        assert outbox.sent == [(event_id, 1)]
    finally:
        await engine.dispose()


# --- staff: /events_admin ----------------------------------------------------------------------
async def test_events_admin_is_for_staff_only(client):
    anna = client.user(7070)
    await anna.send("/events_admin")
    assert "для сотрудников" in anna.text()


async def test_staff_create_an_event_step_by_step_then_hide_it(client, app):
    await _only(app)
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    assert "Предстоящих мероприятий нет" in admin.text()
    await admin.press("➕ Новое мероприятие")
    await admin.send("Профпробы «Билета в будущее»")
    await admin.press("Пропустить")
    assert "ДД.ММ.ГГГГ ЧЧ:ММ" in admin.text()
    await admin.send("завтра в три")
    assert "Не получилось понять дату" in admin.text()
    await admin.send("01.01.2020 10:00")
    assert "уже прошло" in admin.text()
    await admin.press("◀️ Назад")  # back to the description
    assert "опишите" in admin.text()
    await admin.send("Два часа в роли инженера & VR-специалиста.")
    when = (datetime.now(UTC) + timedelta(days=10)).astimezone(app.settings.zone)
    await admin.send(when.strftime("%d.%m.%Y 15:00"))
    await admin.send("http://not a link")
    assert "не похоже на ссылку" in admin.text()
    await admin.send("Кванториум, пр. Ленина, 26")
    await admin.send("ftp://example.org")
    assert "не похоже на ссылку" in admin.text()
    await admin.send("https://bvbinfo.ru/register")
    assert "для кого" in admin.text()
    await admin.press("⬜ ученики")
    await admin.press("🎓 Классы")
    await admin.send("12")
    assert "от 1 до 11" in admin.text()
    await admin.send("6-11")
    await admin.press("📍 Населённые пункты")
    await admin.send("Томск, Северск")
    assert "Классы: 6–11 классы" in admin.text() and "Томск, Северск" in admin.text()
    await admin.press("Далее ▶️")
    assert "Проверьте мероприятие" in admin.text()
    await admin.press("✅ Опубликовать")
    assert "опубликовано" in admin.text()

    async with app.sessions() as session:
        row = (await session.execute(select(Event))).scalar_one()
    assert row.title == "Профпробы «Билета в будущее»"
    assert row.description == "Два часа в роли инженера & VR-специалиста."
    assert row.starts_at.astimezone(app.settings.zone).strftime("%H:%M") == "15:00"
    assert (row.place, row.online_url) == ("Кванториум, пр. Ленина, 26", "")
    assert row.registration_url == "https://bvbinfo.ru/register"
    assert (row.roles, row.grade_from, row.grade_to) == ("pupil", 6, 11)
    assert row.localities == f"{TOMSK},{SEVERSK}" and not row.hidden

    await admin.press("🙈 Скрыть с афиши")
    assert "Скрыто" in admin.callback_answer().text
    async with app.sessions() as session:
        assert (await session.get(Event, row.id)).hidden
    await admin.press("◀️ К списку")
    assert "(🙈 скрыто)" in admin.text()


async def test_the_event_wizard_leaves_no_trace_on_cancel(client, app):
    await _only(app)
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send("Черновик")
    await admin.send("/cancel")
    assert "вышли" in admin.text()
    await admin.send("Ещё текст")  # no longer inside the wizard: read as a question
    assert "Ищу:" in admin.text()
    async with app.sessions() as session:
        assert (await session.execute(select(Event))).first() is None


async def test_the_service_refuses_bad_events(app):
    service = EventService(app.sessions, app.write_sessions)
    later = datetime.now(UTC) + timedelta(days=1)
    for bad, code in (
        (NewEvent(title="  ", starts_at=later), "title-empty"),
        (NewEvent(title="Урок", starts_at=datetime.now(UTC) - timedelta(minutes=1)), "date-past"),
        (NewEvent(title="Урок", starts_at=later, registration_url="javascript:alert(1)"), "url"),
        (NewEvent(title="Урок", starts_at=later, roles=("admin",)), "roles"),
    ):
        with pytest.raises(EventError) as error:
            await service.create(bad)
        assert error.value.code == code
