"""/events_admin (staff): upcoming events with hidden ones, hide or show, a new event step by step.

The wizard keeps its answers in the FSM data (JSON: strings, numbers, lists) until «✅
Опубликовать»; /cancel or «✖️ Отмена» leaves nothing behind. «◀️ Назад» works at every step.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.pager import pager_row
from bot.telegram.screens import drop_buttons, redraw
from handlers.audience import grades_text, places_text, roles_text, toggle
from handlers.callback_types import Id, PageNo, one_of
from handlers.events.cards import card_text
from handlers.filters import FreeText, NotCommandOrMenu
from handlers.routes import Routes
from services.catalog.localities import LocalityService
from services.events.service import (
    DATE_FORMAT,
    PER_PAGE,
    EventCard,
    EventError,
    EventService,
    NewEvent,
    is_http_url,
    parse_grades,
    parse_local_time,
)
from services.people.profiles import ROLES

router = Routes("events_admin")
log = logging.getLogger(__name__)
MAX_TITLE = 255
MAX_DESCRIPTION = 3000
MAX_PLACE = 255


class EvAdmin(CallbackData, prefix="eadm"):
    a: one_of("list", "card", "hide", "show", "new")
    id: Id = 0
    p: PageNo = 0


class EvDraft(CallbackData, prefix="enew"):
    a: one_of(
        "back",
        "skip",
        "role",
        "grades",
        "places",
        "grades_all",
        "places_all",
        "next",
        "publish",
        "cancel",
    )
    v: one_of("", *ROLES) = ""  # the role of "role"


class EventWizard(StatesGroup):
    title = State()
    description = State()
    starts = State()
    place = State()
    registration = State()
    audience = State()
    grades = State()
    places = State()
    confirm = State()


router.staff_only(refusal="eadm-staff-only", dialogs=(EventWizard,))


WIZARD = StateFilter(EventWizard)
PREVIOUS = {
    "description": "title",
    "starts": "description",
    "place": "starts",
    "registration": "place",
    "audience": "registration",
    "grades": "audience",
    "places": "audience",
    "confirm": "audience",
}


# --- the list and admin cards --------------------------------------------------------------
async def list_screen(
    t: Translator, events: EventService, zone: ZoneInfo, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    found = await events.upcoming(None, page, staff=True)
    builder = InlineKeyboardBuilder()
    lines = [t("eadm-list-header", count=found.total)]
    if not found.items:
        lines.append(t("eadm-list-empty"))
    for n, item in enumerate(found.items, start=found.page * PER_PAGE + 1):
        key = "eadm-list-line-hidden" if item.hidden else "eadm-list-line"
        lines.append(t(key, n=n, when=when_text(t, item.starts_at, zone), title=item.title))
        builder.row(
            InlineKeyboardButton(
                text=f"{n}. {item.title}"[:60], callback_data=EvAdmin(a="card", id=item.id).pack()
            )
        )
    if nav := pager_row(
        t, found.page, found.pages, lambda p: EvAdmin(a="list", p=p).pack(), count_key=None
    ):
        builder.row(*nav)
    builder.row(InlineKeyboardButton(text=t("eadm-btn-new"), callback_data=EvAdmin(a="new").pack()))
    return "\n".join(lines), builder.as_markup()


async def admin_card(
    t: Translator, card: EventCard, zone: ZoneInfo, localities: LocalityService
) -> tuple[str, InlineKeyboardMarkup]:
    status = t("eadm-status-hidden" if card.hidden else "eadm-status-shown")
    text = await card_text(t, card, zone, localities) + "\n\n" + status
    builder = InlineKeyboardBuilder()
    if card.hidden:
        builder.button(text=t("eadm-btn-show"), callback_data=EvAdmin(a="show", id=card.id))
    else:
        builder.button(text=t("eadm-btn-hide"), callback_data=EvAdmin(a="hide", id=card.id))
    builder.button(text=t("eadm-btn-list"), callback_data=EvAdmin(a="list"))
    builder.adjust(1)
    return text, builder.as_markup()


@router.message(Command("events_admin"))
async def events_admin(
    message: Message, state: FSMContext, t: Translator, settings: Settings, events: EventService
) -> None:
    await state.clear()
    text, markup = await list_screen(t, events, settings.zone, 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(EvAdmin.filter(F.a == "list"))
async def list_page(
    query: CallbackQuery,
    callback_data: EvAdmin,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    events: EventService,
) -> None:
    await state.clear()
    text, markup = await list_screen(t, events, settings.zone, callback_data.p)
    await redraw(query, text, markup, previews=False)


@router.callback_query(EvAdmin.filter(F.a.in_({"card", "hide", "show"})))
async def card_actions(
    query: CallbackQuery,
    callback_data: EvAdmin,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
    events: EventService,
    callback_answer: CallbackAnswer,
) -> None:
    if callback_data.a in ("hide", "show"):
        hidden = callback_data.a == "hide"
        await events.set_hidden(callback_data.id, hidden)
        callback_answer.text = t("eadm-hidden-toast" if hidden else "eadm-shown-toast")
    card = await events.get(callback_data.id)
    if card is None:
        callback_answer.text = t("event-gone-toast")
        return
    text, markup = await admin_card(t, card, settings.zone, localities)
    await redraw(query, text, markup, previews=False)


# --- the wizard ----------------------------------------------------------------------------
def _draft(a: str, v: str = "") -> str:
    return EvDraft(a=a, v=v).pack()


def _nav(t: Translator, *extra: tuple[str, str], back: bool = True) -> list[list[Any]]:
    rows = [[InlineKeyboardButton(text=label, callback_data=data)] for label, data in extra]
    last = []
    if back:
        last.append(InlineKeyboardButton(text=t("btn-back"), callback_data=_draft("back")))
    last.append(InlineKeyboardButton(text=t("eadm-btn-cancel"), callback_data=_draft("cancel")))
    rows.append(last)
    return rows


async def prompt(
    step: str, t: Translator, draft: dict[str, Any], zone: ZoneInfo, localities: LocalityService
) -> tuple[str, InlineKeyboardMarkup]:
    rows: list[list[Any]]
    if step == "title":
        text, rows = t("eadm-ask-title"), _nav(t, back=False)
    elif step == "description":
        text, rows = t("eadm-ask-description"), _nav(t, (t("eadm-btn-skip"), _draft("skip")))
    elif step == "starts":
        example = (datetime.now(UTC) + timedelta(days=7)).astimezone(zone)
        text = t(
            "eadm-ask-starts",
            zone=zone.key,
            example=example.replace(hour=15, minute=0).strftime(DATE_FORMAT),
        )
        rows = _nav(t)
    elif step == "place":
        text, rows = t("eadm-ask-place"), _nav(t)
    elif step == "registration":
        text = t("eadm-ask-registration")
        rows = _nav(t, (t("eadm-btn-no-registration"), _draft("skip")))
    elif step == "audience":
        roles = draft.get("roles", [])
        text = t(
            "eadm-audience",
            roles=roles_text(t, roles),
            grades=grades_text(t, draft.get("gf"), draft.get("gt")),
            places=await places_text(t, draft.get("places", []), localities),
        )
        role_buttons = [
            InlineKeyboardButton(
                text=f"{'✅' if role in roles else '⬜'} {t(f'event-role-{role}')}",
                callback_data=_draft("role", role),
            )
            for role in ROLES
        ]
        rows = [
            role_buttons,
            [
                InlineKeyboardButton(text=t("segment-btn-grades"), callback_data=_draft("grades")),
                InlineKeyboardButton(text=t("segment-btn-places"), callback_data=_draft("places")),
            ],
            [InlineKeyboardButton(text=t("eadm-btn-next"), callback_data=_draft("next"))],
            *_nav(t),
        ]
    elif step == "grades":
        text = t("segment-ask-grades")
        rows = _nav(t, (t("segment-btn-all-grades"), _draft("grades_all")))
    elif step == "places":
        text = t("segment-ask-places")
        rows = _nav(t, (t("segment-btn-all-places"), _draft("places_all")))
    else:  # confirm
        card = _card_of(draft)
        text = t("eadm-confirm") + "\n\n" + await card_text(t, card, zone, localities)
        rows = [
            [InlineKeyboardButton(text=t("eadm-btn-publish"), callback_data=_draft("publish"))],
            *_nav(t),
        ]
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def _card_of(draft: dict[str, Any]) -> EventCard:
    return EventCard(
        id=0,
        title=draft.get("title", ""),
        description=draft.get("description", ""),
        starts_at=datetime.fromisoformat(draft["starts"]),
        ends_at=None,
        place=draft.get("place", ""),
        online_url=draft.get("online_url", ""),
        registration_url=draft.get("registration_url", ""),
        roles=tuple(draft.get("roles", [])),
        grade_from=draft.get("gf"),
        grade_to=draft.get("gt"),
        localities=tuple(draft.get("places", [])),
        topic="orientation",
        hidden=False,
    )


async def go(
    step: str,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
    *,
    query: CallbackQuery | None = None,
    message: Message | None = None,
) -> None:
    """Show `step`: in place after a press, as a new prompt after a typed answer."""
    await state.set_state(getattr(EventWizard, step))
    draft = await state.get_data()
    text, markup = await prompt(step, t, draft, settings.zone, localities)
    if query is not None:
        shown = await redraw(query, text, markup, previews=False)
        await state.update_data(pm=shown.message_id)
        return
    assert message is not None
    await drop_buttons(message.bot, message.chat.id, draft.get("pm"))
    sent = await message.answer(text, reply_markup=markup, disable_web_page_preview=True)
    await state.update_data(pm=sent.message_id)


def _step_of(raw_state: str | None) -> str | None:
    if not raw_state or not raw_state.startswith("EventWizard:"):
        return None
    return raw_state.split(":", 1)[1]


@router.callback_query(EvAdmin.filter(F.a == "new"))
async def new_event(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    await state.clear()
    await state.set_state(EventWizard.title)
    text, markup = await prompt("title", t, {}, settings.zone, localities)
    sent = await query.message.answer(text, reply_markup=markup)
    await state.update_data(pm=sent.message_id)


@router.callback_query(WIZARD, EvDraft.filter(F.a == "cancel"))
async def wizard_cancel(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await redraw(query, t("eadm-cancelled"))


@router.callback_query(WIZARD, EvDraft.filter(F.a == "back"))
async def wizard_back(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    step = _step_of(await state.get_state())
    previous = PREVIOUS.get(step or "")
    if previous is None:
        await wizard_cancel(query, state, t)
        return
    await go(previous, state, t, settings, localities, query=query)


@router.callback_query(WIZARD, EvDraft.filter(F.a == "skip"))
async def wizard_skip(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    step = _step_of(await state.get_state())
    if step == "description":
        await state.update_data(description="")
        await go("starts", state, t, settings, localities, query=query)
    elif step == "registration":
        await state.update_data(registration_url="")
        await go("audience", state, t, settings, localities, query=query)


@router.callback_query(EventWizard.audience, EvDraft.filter(F.a == "role"))
async def wizard_role(
    query: CallbackQuery,
    callback_data: EvDraft,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    if callback_data.v in ROLES:
        roles = toggle((await state.get_data()).get("roles", []), callback_data.v)
        await state.update_data(roles=[role for role in ROLES if role in roles])
    await go("audience", state, t, settings, localities, query=query)


@router.callback_query(
    WIZARD, EvDraft.filter(F.a.in_({"grades", "places", "grades_all", "places_all"}))
)
async def wizard_segments(
    query: CallbackQuery,
    callback_data: EvDraft,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    if callback_data.a == "grades_all":
        await state.update_data(gf=None, gt=None)
        await go("audience", state, t, settings, localities, query=query)
    elif callback_data.a == "places_all":
        await state.update_data(places=[])
        await go("audience", state, t, settings, localities, query=query)
    else:
        await go(callback_data.a, state, t, settings, localities, query=query)


@router.callback_query(EventWizard.audience, EvDraft.filter(F.a == "next"))
async def wizard_next(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    await go("confirm", state, t, settings, localities, query=query)


@router.callback_query(EventWizard.confirm, EvDraft.filter(F.a == "publish"))
async def wizard_publish(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
    events: EventService,
    callback_answer: CallbackAnswer,
) -> None:
    draft = await state.get_data()
    new = NewEvent(
        title=draft["title"],
        description=draft.get("description", ""),
        starts_at=datetime.fromisoformat(draft["starts"]),
        place=draft.get("place", ""),
        online_url=draft.get("online_url", ""),
        registration_url=draft.get("registration_url", ""),
        roles=tuple(draft.get("roles", [])),
        grade_from=draft.get("gf"),
        grade_to=draft.get("gt"),
        localities=tuple(draft.get("places", [])),
    )
    try:
        event_id = await events.create(new)
    except EventError as error:
        # The start may have passed while the draft waited: back to the date.
        callback_answer.text = t(f"eadm-error-{error.code}")
        callback_answer.show_alert = True
        if error.code == "date-past":
            await go("starts", state, t, settings, localities, query=query)
        return
    await state.clear()
    callback_answer.text = t("eadm-published-toast")
    await redraw(query, t("eadm-published", title=draft["title"]))
    card = await events.get(event_id)
    text, markup = await admin_card(t, card, settings.zone, localities)
    await query.message.answer(text, reply_markup=markup, disable_web_page_preview=True)


# --- typed answers (handlers/filters.py FreeText: commands and menu buttons leave the wizard)
@router.message(EventWizard.title, FreeText())
async def title_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    title = message.text.strip()
    if not title or len(title) > MAX_TITLE:
        await message.answer(t("eadm-error-title", limit=str(MAX_TITLE)))
        return
    await state.update_data(title=title)
    await go("description", state, t, settings, localities, message=message)


@router.message(EventWizard.description, FreeText())
async def description_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    text = message.text.strip()
    if len(text) > MAX_DESCRIPTION:
        await message.answer(t("eadm-error-description", limit=str(MAX_DESCRIPTION)))
        return
    await state.update_data(description=text)
    await go("starts", state, t, settings, localities, message=message)


@router.message(EventWizard.starts, FreeText())
async def starts_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    try:
        starts_at = parse_local_time(message.text, settings.zone, datetime.now(UTC))
    except EventError as error:
        await message.answer(t(f"eadm-error-{error.code}"))
        return
    await state.update_data(starts=starts_at.isoformat())
    await go("place", state, t, settings, localities, message=message)


@router.message(EventWizard.place, FreeText())
async def place_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    text = message.text.strip()
    if text.lower().startswith(("http://", "https://", "www.")):
        if not is_http_url(text):
            await message.answer(t("eadm-error-url"))
            return
        await state.update_data(online_url=text, place="")
    elif not text or len(text) > MAX_PLACE:
        await message.answer(t("eadm-error-place", limit=str(MAX_PLACE)))
        return
    else:
        await state.update_data(place=text, online_url="")
    await go("registration", state, t, settings, localities, message=message)


@router.message(EventWizard.registration, FreeText())
async def registration_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    text = message.text.strip()
    if not is_http_url(text):
        await message.answer(t("eadm-error-url"))
        return
    await state.update_data(registration_url=text)
    await go("audience", state, t, settings, localities, message=message)


@router.message(EventWizard.grades, FreeText())
async def grades_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    try:
        first, last = parse_grades(message.text)
    except EventError as error:
        await message.answer(t(f"eadm-error-{error.code}"))
        return
    await state.update_data(gf=first, gt=last)
    await go("audience", state, t, settings, localities, message=message)


@router.message(EventWizard.places, FreeText())
async def places_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    localities: LocalityService,
) -> None:
    found, unclear = await localities.resolve(message.text)
    if unclear or not found:
        await message.answer(t("segment-places-unclear", names=", ".join(unclear) or "—"))
        return
    await state.update_data(places=[place.id for place in found])
    await go("audience", state, t, settings, localities, message=message)


@router.message(WIZARD, NotCommandOrMenu())
async def wizard_unexpected(message: Message, t: Translator) -> None:
    """Anything else inside the wizard (a photo, a sticker, a press-only step)."""
    await message.answer(t("eadm-use-buttons"))
