"""Presses as they really arrive: twice, two at once, on a message Telegram no longer includes,
on a message without text, from an inline message, and with forged or mutated callback data."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import CallbackQuery, Document, InaccessibleMessage, Location, Message, Update
from backends import fresh_postgres, needs_postgres
from sqlalchemy import select

from bot.app import OFFLINE_TOKEN, App, build_app, create_bot, prepare_database
from bot.config import Settings
from bot.notify.broadcasts import ProgressReporter
from bot.testing.offline_session import NOT_MODIFIED, OfflineSession
from db.models import User
from handlers.booking.specialist import Rate, SpecView
from handlers.broadcasts.progress import progress_keyboard
from handlers.catalog.views import CentreAction, ListView, ProgrammeAction
from handlers.events.cards import EventAct
from handlers.people.privacy import Forget
from harness import BotClient, TestUser
from services.broadcasts.service import Audience, DeliveryEngine

ADMIN = 900001
# The consultations' buttons are a dialog's now: tests/booking/test_booking_dialogs.py.
# The locality lists' too: tests/people/test_people_dialogs.py, tests/catalog/test_nearby.py.
KINDS = (CentreAction, EventAct, Forget, ListView, ProgrammeAction, Rate, SpecView)
_ids = itertools.count(70_000_000)


# --- fixtures: a client that lets Telegram refuse "not modified" (the bot takes it as done) -----
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
async def any_app(request, settings: Settings) -> AsyncIterator[App]:
    engine = await fresh_postgres() if request.param == "postgres" else None
    app = build_app(settings, engine=engine)
    await prepare_database(app)
    yield app
    await app.close()


async def _client(app: App, logged_errors) -> AsyncIterator[BotClient]:
    client = BotClient(app)
    yield client
    await client.dispatcher.storage.close()
    refused = [str(o.error) for o in client.rejections if NOT_MODIFIED not in str(o.error)]
    assert not refused, f"Telegram would have refused: {refused}"
    assert not logged_errors, [r.getMessage() for r in logged_errors]


@pytest.fixture
async def lenient(app: App, logged_errors) -> AsyncIterator[BotClient]:
    async for client in _client(app, logged_errors):
        yield client


@pytest.fixture
async def on_both(any_app: App, logged_errors) -> AsyncIterator[BotClient]:
    async for client in _client(any_app, logged_errors):
        yield client


def not_modified(client: BotClient) -> int:
    return sum(NOT_MODIFIED in str(o.error) for o in client.rejections)


def press_update(
    user: TestUser, message: Message | InaccessibleMessage | None, data: str
) -> Update:
    query = CallbackQuery(
        id=f"press{next(_ids)}",
        from_user=user.user,
        chat_instance="ci",
        message=message,
        inline_message_id="inline-1" if message is None else None,
        data=data,
    )
    return Update(update_id=next(_ids), callback_query=query)


async def press(user: TestUser, message: Message | InaccessibleMessage | None, data: str) -> list:
    """Press, and check the press was answered exactly once; returns the calls it made."""
    update = press_update(user, message, data)
    out = await user.client.feed(update)
    answers = [o for o in out if isinstance(o.method, AnswerCallbackQuery)]
    assert len(answers) == 1, f"{data!r} answered {len(answers)} times"
    user.last = out
    return out


def data_of(message: Message, label: str) -> str:
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.text == label:
                return button.callback_data
    raise AssertionError(f"no {label!r} on the message")


def apologies(client: BotClient, t) -> list:  # type: ignore[no-untyped-def]
    return [
        o
        for o in client.session.log
        if isinstance(o.method, SendMessage) and o.method.text == t("error-apology")
    ]


# --- "message is not modified" ---------------------------------------------------------------
async def test_the_offline_session_refuses_an_edit_that_changes_nothing_as_telegram_does(app):
    bot = Bot(OFFLINE_TOKEN, session=OfflineSession())  # no middlewares: the session alone
    sent = await bot.send_message(7201, "Экран")
    await bot.edit_message_text("Экран 2", chat_id=7201, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Экран 2", chat_id=7201, message_id=sent.message_id)


async def test_the_bot_takes_an_edit_that_changes_nothing_as_done(app):
    session = OfflineSession()
    bot = create_bot(app.settings, session=session)
    sent = await bot.send_message(7202, "Экран")
    assert await bot.edit_message_text("Экран", chat_id=7202, message_id=sent.message_id) is True
    assert await bot.edit_message_reply_markup(chat_id=7202, message_id=sent.message_id) is True
    assert [NOT_MODIFIED in str(o.error) for o in session.log[1:]] == [True, True]
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):  # others stay
        await bot.edit_message_text("Экран", chat_id=7202, message_id=999)


async def test_a_double_tap_and_two_presses_at_once_change_the_screen_once_and_fail_nothing(
    lenient, app
):
    t = app.locales.get("ru")
    anna = lenient.user(7203)
    await anna.send("/settings")
    settings_screen = anna.messages[-1]
    language = data_of(settings_screen, t("settings-btn-language"))
    await press(anna, settings_screen, language)
    await press(anna, settings_screen, language)  # the same copy of the message: a double tap
    shown = anna.messages[-1]
    assert shown.text == t("settings-language-ask")
    back = data_of(shown, t("btn-back"))
    await asyncio.gather(
        lenient.feed(press_update(anna, shown, back)), lenient.feed(press_update(anna, shown, back))
    )
    assert t("settings-btn-language") in anna.visible_labels()  # the settings screen again
    assert not_modified(lenient) == 2  # Telegram's refusals, taken as done
    assert apologies(lenient, t) == []
    answered = [o for o in lenient.session.log if isinstance(o.method, AnswerCallbackQuery)]
    assert len(answered) == 4 and all(o.error is None for o in answered)


async def test_the_progress_of_a_cancelled_broadcast_is_not_an_edit_that_failed(
    lenient, app, caplog
):
    async with app.sessions() as session:
        session.add(User(id=7204, locale="ru", created_at=datetime.now(UTC)))
        await session.commit()
    broadcast_id = await app.broadcasts.create(ADMIN, Audience(), text="Урок «ПроеКТОрии»")
    shown = await lenient.bot.send_message(ADMIN, "…")
    await app.broadcasts.set_progress_message(broadcast_id, ADMIN, shown.message_id)
    await app.broadcasts.schedule(broadcast_id)
    await DeliveryEngine(app.write_sessions, 1000).start_due()
    reporter = ProgressReporter(lenient.bot, app, app.broadcasts, controls=progress_keyboard)
    await reporter.update(force=True)
    admin = lenient.user(ADMIN)
    await admin.press("⛔ Отменить")
    await admin.press("⛔ Да, отменить рассылку")  # the button redraws the message: cancelled
    with caplog.at_level(logging.INFO, logger="bot.notify.broadcasts"):
        await reporter.update(force=True)  # the same text again
    assert not_modified(lenient) == 1
    assert not [r for r in caplog.records if "not edited" in r.getMessage()]
    assert "отменена" in lenient.session.log[-1].method.text  # the final report went out


# --- presses the bot cannot answer by editing the message -------------------------------------
def _origin(message: Message, kind: str) -> Message | InaccessibleMessage | None:
    if kind == "inaccessible":
        return InaccessibleMessage(chat=message.chat, message_id=message.message_id, date=0)
    if kind == "inline":
        return None
    content = (
        {"document": Document(file_id="d", file_unique_id="d", file_name="a.ics")}
        if kind == "document"
        else {"location": Location(latitude=56.48, longitude=84.95)}
    )
    return Message(
        message_id=message.message_id,
        date=message.date,
        chat=message.chat,
        from_user=message.from_user,
        reply_markup=message.reply_markup,
        **content,
    )


SCREENS = [  # who, how the screen opens, the button pressed on it, a line of the next screen
    (7205, "menu-catalog", "direction-all", "catalog-filters-none"),
    (7205, "menu-consult", "booking-btn-book", "booking-ask-service"),
]
# /settings and /consult_admin are dialogs: aiogram-dialog edits its own window by id and sends
# a new one when Telegram refuses the edit ("message can't be edited").


@pytest.mark.parametrize("kind", ["inaccessible", "document", "location", "inline"])
@pytest.mark.parametrize(("user_id", "opener", "button", "expected"), SCREENS)
async def test_a_press_on_a_message_the_bot_cannot_edit_gets_the_screen_as_a_new_message(
    client, app, kind, user_id, opener, button, expected
):
    t = app.locales.get("ru")
    person = client.user(user_id)
    await person.send(opener if opener.startswith("/") else t(opener))
    screen = next(m for m in reversed(person.messages) if m.reply_markup is not None)
    before = dict(client.session.chat(user_id).messages)
    out = await press(person, _origin(screen, kind), data_of(screen, t(button)))
    sent = [o for o in out if isinstance(o.method, SendMessage)]
    assert not [o for o in out if isinstance(o.method, EditMessageText)]
    assert sent and sent[0].method.chat_id == user_id and sent[0].message.reply_markup
    assert client.session.chat(user_id).messages[screen.message_id] == before[screen.message_id]
    if expected:
        assert t(expected).splitlines()[0] in sent[0].method.text


# --- forged and mutated callback data ----------------------------------------------------------
HUGE = str(2**63)


def forge(sample: CallbackData, **raw: str) -> str:
    """`sample`'s callback data with some fields replaced by raw text, as a client could send."""
    parts = [sample.__prefix__]
    for name, value in sample.model_dump().items():
        encoded = "" if value is None else str(int(value) if isinstance(value, bool) else value)
        parts.append(raw.get(name, encoded))
    return sample.__separator__.join(parts)


FORGED = [
    forge(ListView(), p=HUGE),
    forge(ListView(), loc=HUGE),
    forge(ListView(), age="99"),
    forge(ListView(), d="admin"),  # a direction: it would become a Fluent id
    forge(ListView(v="fmt"), fmt="x"),  # a format code
    forge(ProgrammeAction(id=1, act="card"), id=HUGE),
    forge(ProgrammeAction(id=1, act="card"), act="steal"),
    forge(CentreAction(id=1, act="list"), p=HUGE),
    forge(EventAct(id=1, act="rem"), id=str(2**62)),
    forge(SpecView(v="d", d=date(2026, 11, 23).toordinal()), d=HUGE),
    forge(SpecView(v="d", d=date(2026, 11, 23).toordinal()), d="1"),  # year 1: the week before
    forge(Rate(id=1, r=5), id=HUGE),
    forge(Rate(id=1, r=5), r="9"),
    forge(Forget(a="n"), a="x"),
]


def test_each_forged_button_differs_from_a_real_one_in_the_forged_field_only():
    for data in FORGED:
        kinds = [k for k in KINDS if data.startswith(k.__prefix__ + ":")]
        assert len(kinds) == 1, data
        with pytest.raises(ValueError):
            kinds[0].unpack(data)


async def test_forged_buttons_are_outdated_and_change_nothing(on_both, any_app):
    app = any_app
    t = app.locales.get("ru")
    anna = on_both.user(7206)
    await anna.send("/settings")
    screen = anna.messages[-1]
    before = await app.profiles.get_or_create(7206, "ru")
    for data in FORGED:
        out = await press(anna, screen, data)
        assert [type(o.method) for o in out] == [AnswerCallbackQuery], data
        assert out[0].method.text == t("button-outdated"), data
    after = await app.profiles.get_or_create(7206, "ru")
    assert after == before
    async with app.sessions() as session:
        stored = (await session.execute(select(User.role).where(User.id == 7206))).scalar_one()
    assert stored is None
    await anna.send("/mydata")
    assert "admin" not in anna.text() and "None" not in anna.text()


async def test_a_deep_link_with_an_id_beyond_the_database_is_unknown(on_both, any_app):
    t = any_app.locales.get("ru")
    anna = on_both.user(7207)
    for payload in ("p-99999999999", "o-2147483648", "e-2147483648"):
        await anna.send(f"/start {payload}")
        assert t("deeplink-unknown") in anna.texts(), payload


@needs_postgres
async def test_two_first_presses_of_a_new_person_at_once_on_postgresql(settings, logged_errors):
    engine = await fresh_postgres()
    app = build_app(settings, engine=engine)
    await prepare_database(app)
    try:
        async for client in _client(app, logged_errors):
            anna = client.user(7208)
            message = await client.bot.send_message(7208, "Каталог")  # e.g. a shared card
            data = "lv:list:all:0::::0:1"
            await asyncio.gather(
                *(client.feed(press_update(anna, message, data)) for _ in range(2))
            )
            answers = [o for o in client.session.log if isinstance(o.method, AnswerCallbackQuery)]
            assert len(answers) == 2 and all(o.error is None for o in answers)
    finally:
        await app.close()
