"""Staff rights on every update: every staff router takes staff's updates only, so someone who
is not staff (or no longer is, mid-dialog) gets nothing of staff's in any staff state, by text
or by button; and staff's own views of hidden programmes and centres work for them."""

from __future__ import annotations

import importlib
import pkgutil
import typing

import pytest
from aiogram.filters import StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import AnswerCallbackQuery, SendVenue
from aiogram.types import Document
from composer_steps import audience, start_composing
from sqlalchemy import select
from test_random_walk import FINGERPRINT, is_staff_button

import handlers
from db.models import Broadcast, Organisation, Programme
from handlers.broadcasts.composer import BcCtl
from handlers.catalog.views import CentreAction, ProgrammeAction
from handlers.routes import Routes

ADMIN = 900001
STRANGER = 7401


def staff_routes() -> list[Routes]:
    """Every Routes table of the handlers package declared staff-only."""
    found = []
    for module_info in pkgutil.walk_packages(handlers.__path__, "handlers."):
        module = importlib.import_module(module_info.name)
        found += [v for v in vars(module).values() if isinstance(v, Routes) and v.staff]
    return found


def staff_states() -> list[str]:
    """The states the staff routers' handlers are bound to, and their dialogs' windows."""
    states: set[str] = set()
    for routes in staff_routes():
        for filter_callback in routes.states():
            states |= _states_of(filter_callback)
    return sorted(states)


def _states_of(filter_callback: object) -> set[str]:
    items = (
        filter_callback.states if isinstance(filter_callback, StateFilter) else (filter_callback,)
    )
    found: set[str] = set()
    for item in items:
        if isinstance(item, State):
            found.add(item.state)
        elif isinstance(item, type) and issubclass(item, StatesGroup):
            found |= set(item.__all_states_names__)
    return found


def staff_buttons() -> list[str]:
    """A button of every staff kind, with every code its action field knows."""
    samples: list[object] = [
        ProgrammeAction(id=1, act="hide"),
        ProgrammeAction(id=1, act="show"),
        ProgrammeAction(id=1, act="seats"),
        CentreAction(id=1, act="hide"),
        CentreAction(id=1, act="show"),
    ]
    for kind, field, fixed in ((BcCtl, "a", {"id": 1}),):
        for code in typing.get_args(kind.model_fields[field].annotation):
            samples.append(kind(**{field: code, **fixed}))
    return [sample.pack() for sample in samples]  # type: ignore[attr-defined]


async def _fingerprint(app) -> tuple:
    async with app.sessions() as session:
        return tuple((await session.execute(FINGERPRINT)).one())


def test_the_staff_routers_and_their_states_are_found():
    names = {routes.name for routes in staff_routes()}
    assert {"staff_menu", "events_admin", "broadcast_composer", "staff_consult"} <= names
    assert {"admin_import", "staff_reports", "catalog_staff", "staff_closed_days"} <= names
    states = staff_states()
    assert "BroadcastComposer:schedule" in states  # dialogs' windows count
    assert "CatalogFlow:seats" in states
    dialogs = {
        getattr(group, "__full_group_name__", "")
        for routes in staff_routes()
        for group in routes.states()
    }
    assert {"ConsultSetup", "CloseDays", "ClosedDays", "StaffReports"} <= dialogs


TYPED = ("Заголовок", "25.12.2030 10:00", "05.12.2030", "01.09.2026–31.12.2026", "5", "Томск")


@pytest.mark.parametrize("state", staff_states())
async def test_someone_not_staff_gets_nothing_of_staffs_in_any_staff_state(client, app, state):
    t = app.locales.get("ru")
    stranger = client.user(STRANGER)
    await stranger.send("/start")
    key = StorageKey(bot_id=client.bot.id, chat_id=STRANGER, user_id=STRANGER)
    storage = client.dispatcher.storage
    draft = {"topics": ["orientation"], "programme_id": 1, "kind": "s", "target": 1, "title": "x"}
    before = await _fingerprint(app)
    document = Document(file_id="BQACdoc-1", file_unique_id="d", file_name="catalog.xlsx")
    for typed in (*TYPED, document):
        await storage.set_state(key, state)
        await storage.set_data(key, draft)
        if isinstance(typed, Document):
            await stranger.send_message(document=typed)
        else:
            await stranger.send(typed)
        assert stranger.text() == t("staff-dialog-ended"), (state, typed)
        assert await storage.get_state(key) is None
    screen = await client.bot.send_message(STRANGER, "…")
    await storage.set_state(key, state)
    await storage.set_data(key, draft)
    for data in staff_buttons():
        await stranger._callback(screen, data)
        assert [type(o.method) for o in stranger.last] == [AnswerCallbackQuery], (state, data)
        assert stranger.callback_answer().show_alert, data
    assert await _fingerprint(app) == before
    shown = [o.message for o in client.session.log if o.message and o.message.chat.id == STRANGER]
    assert not [d for m in shown if m.reply_markup for d in _data(m) if is_staff_button(d)]


def _data(message) -> list[str]:  # type: ignore[no-untyped-def]
    rows = message.reply_markup.inline_keyboard
    return [b.callback_data for row in rows for b in row if b.callback_data]


async def test_a_staff_member_removed_mid_dialog_cannot_schedule_the_broadcast(client, app):
    t = app.locales.get("ru")
    await audience(app)
    admin = client.user(ADMIN)
    await start_composing(admin)
    await admin.press(t("cmp-btn-skip-english"))
    await admin.press(t("cmp-btn-no-button"))
    await admin.press(t("cmp-btn-preview"))
    await admin.press(t("cmp-btn-schedule"))
    assert "Когда отправить?" in admin.text()
    app.settings.admin_ids.remove(ADMIN)  # taken off ADMIN_IDS while the composer waits
    await admin.send("25.12.2030 10:00")
    assert admin.text() == t("staff-dialog-ended")
    await admin.send("25.12.2030 10:00")  # the dialog is over: no second chance either
    async with app.sessions() as session:
        assert (await session.execute(select(Broadcast))).first() is None
    await admin.send("/broadcast")
    assert "сотрудники управления образования" in admin.text()
    app.settings.admin_ids.append(ADMIN)  # back on staff: the composer has not waited
    await admin.send("25.12.2030 10:00")
    assert "Ищу:" in admin.text()


# --- staff's views of hidden items ------------------------------------------------------------
async def test_staff_use_the_buttons_of_a_hidden_programme_and_of_a_hidden_centre(client, app):
    t = app.locales.get("ru")
    async with app.sessions() as session:
        programme = (
            await session.execute(
                select(Programme).where(Programme.enrol_url.is_not(None)).limit(1)
            )
        ).scalar_one()
    admin = client.user(ADMIN)
    await admin.send(f"/start p-{programme.id}")
    await admin.press(t("btn-hide"))
    assert t("staff-hidden") in admin.callback_answer().text
    await admin.press(t("btn-enrol"))
    assert admin.callback_answer().text is None  # not «больше недоступна»
    assert t("enrol-how") in admin.texts()
    await admin.press(t("btn-on-map"))
    assert any(isinstance(o.method, SendVenue) for o in admin.last)
    await admin.press(t("btn-centre"))
    await admin.press(t("btn-hide-centre"))
    async with app.sessions() as session:
        centre = await session.get(Organisation, programme.organisation_id)
        assert centre.hidden
    await admin.press(t("btn-on-map"))  # the centre's: the newest card's button
    assert any(isinstance(o.method, SendVenue) for o in admin.last), admin.callback_answer()
    count = await _programmes_of(app, centre.id)
    await admin.press(t("btn-centre-programmes", count=count))
    listed = [o.message for o in admin.last if o.message is not None]
    assert listed and programme.name[:50] in str(listed[-1].reply_markup)
    # Everyone else: the programme and the centre are gone.
    anna = client.user(7402)
    await anna.send(f"/start p-{programme.id}")
    assert t("deeplink-unknown") in anna.texts()


async def _programmes_of(app, centre_id: int) -> int:
    async with app.sessions() as session:
        rows = await session.execute(
            select(Programme.id).where(Programme.organisation_id == centre_id)
        )
        return len(rows.all())
