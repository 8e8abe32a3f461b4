"""«📅 События»: upcoming events that fit the profile, event cards, "remind me", sharing.

Event cards open from the list, from a shared deep link (`/start e-<id>`, for anyone, even
before onboarding) and from a broadcast's button, which is such a link.
"""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from aiogram import Bot, F
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.pager import pager_row
from bot.telegram.screens import redraw, remove_buttons
from handlers.audience import grade_range_text
from handlers.callback_types import Id, PageNo, one_of
from handlers.filters import MenuButton
from handlers.links import Section, deep_link, remind_onboarding
from handlers.menu import main_menu
from handlers.routes import Routes
from services.catalog.localities import LocalityService
from services.events.service import PER_PAGE, EventCard, EventPage, EventService, Remind, Viewer
from services.people import deeplinks
from services.people.deeplinks import DeepLink
from services.people.profiles import Profile

router = Routes("events")
links = Routes("events_links")  # tried before /start's own (handlers/links.py)


class EventList(CallbackData, prefix="evl"):
    p: PageNo = 0
    a: bool = False  # every upcoming event, not only those that fit the profile


class EventAct(CallbackData, prefix="eva"):
    id: Id
    act: one_of("card", "rem", "unrem", "share")


def viewer_of(profile: Profile | None) -> Viewer:
    if profile is None:
        return Viewer()
    return Viewer.of(profile.role, profile.child_grade, profile.child_age, profile.locality_id)


# --- rendering -----------------------------------------------------------------------------
def _href(url: str) -> Html:
    return Html(html.escape(url, quote=True))


async def audience_text(t: Translator, card: EventCard, localities: LocalityService) -> str:
    parts = []
    if card.roles:
        parts.append(", ".join(t(f"event-role-{role}") for role in card.roles))
    if card.grade_from is not None or card.grade_to is not None:
        parts.append(grade_range_text(t, card.grade_from, card.grade_to))
    if card.localities:
        names = []
        for locality_id in card.localities:
            place = await localities.get(locality_id)
            if place is not None:
                names.append(place.title(t.locale))
        if names:
            parts.append(", ".join(names))
    return " · ".join(parts) if parts else t("event-for-everyone")


async def card_text(
    t: Translator, card: EventCard, zone: ZoneInfo, localities: LocalityService
) -> str:
    lines = [t("event-card-title", title=card.title)]
    if card.description:
        lines += ["", t("event-card-description", text=card.description)]
    lines += ["", t("event-card-when", when=when_text(t, card.starts_at, zone))]
    if card.place:
        lines.append(t("event-card-place", place=card.place))
    if card.online_url:
        lines.append(t("event-card-online", url=_href(card.online_url)))
    lines.append(t("event-card-audience", audience=await audience_text(t, card, localities)))
    return "\n".join(lines)


def card_keyboard(t: Translator, card: EventCard) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if card.registration_url:
        builder.row(InlineKeyboardButton(text=t("event-btn-register"), url=card.registration_url))
    if card.online_url:
        builder.row(InlineKeyboardButton(text=t("event-btn-online"), url=card.online_url))
    builder.row(
        InlineKeyboardButton(
            text=t("event-btn-remind"), callback_data=EventAct(id=card.id, act="rem").pack()
        ),
        InlineKeyboardButton(
            text=t("event-btn-share"), callback_data=EventAct(id=card.id, act="share").pack()
        ),
    )
    return builder.as_markup()


async def send_card(
    message: Message,
    card: EventCard,
    t: Translator,
    zone: ZoneInfo,
    localities: LocalityService,
) -> None:
    await message.answer(
        await card_text(t, card, zone, localities),
        reply_markup=card_keyboard(t, card),
        disable_web_page_preview=True,
    )


def list_text(t: Translator, page: EventPage, zone: ZoneInfo, show_all: bool) -> str:
    if not page.items:
        return t("events-empty-all" if show_all else "events-empty-mine")
    lines = [t("events-header-all" if show_all else "events-header-mine", count=page.total), ""]
    for n, item in enumerate(page.items, start=page.page * PER_PAGE + 1):
        lines.append(
            t("events-line", n=n, when=when_text(t, item.starts_at, zone), title=item.title)
        )
    return "\n".join(lines)


def list_keyboard(t: Translator, page: EventPage, show_all: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for n, item in enumerate(page.items, start=page.page * PER_PAGE + 1):
        builder.row(
            InlineKeyboardButton(
                text=f"{n}. {item.title}"[:60],
                callback_data=EventAct(id=item.id, act="card").pack(),
            )
        )
    if nav := pager_row(t, page.page, page.pages, lambda p: EventList(p=p, a=show_all).pack()):
        builder.row(*nav)
    builder.row(
        InlineKeyboardButton(
            text=t("events-btn-mine" if show_all else "events-btn-all"),
            callback_data=EventList(p=0, a=not show_all).pack(),
        )
    )
    return builder.as_markup()


async def list_screen(
    t: Translator,
    events: EventService,
    profile: Profile | None,
    zone: ZoneInfo,
    page: int,
    show_all: bool,
) -> tuple[str, InlineKeyboardMarkup]:
    viewer = None if show_all else viewer_of(profile)
    found = await events.upcoming(viewer, page)
    return list_text(t, found, zone, show_all), list_keyboard(t, found, show_all)


# --- the section ---------------------------------------------------------------------------
def intro_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("events-btn-open"), callback_data=EventList())
    return builder.as_markup()


# /start events: a few words and the list behind a button (the menu's button opens the list).
SECTION = Section("events-intro", intro_keyboard)


@router.message(MenuButton("menu-events"))
async def events_button(
    message: Message,
    state: FSMContext,
    t: Translator,
    settings: Settings,
    events: EventService,
    profile: Profile | None = None,
) -> None:
    await state.clear()
    text, markup = await list_screen(t, events, profile, settings.zone, 0, False)
    await message.answer(text, reply_markup=markup, disable_web_page_preview=True)


@router.callback_query(EventList.filter())
async def list_page(
    query: CallbackQuery,
    callback_data: EventList,
    t: Translator,
    settings: Settings,
    events: EventService,
    profile: Profile | None = None,
) -> None:
    text, markup = await list_screen(
        t, events, profile, settings.zone, callback_data.p, callback_data.a
    )
    await redraw(query, text, markup, previews=False)  # cards carry links


@router.callback_query(EventAct.filter(F.act == "card"))
async def open_card(
    query: CallbackQuery,
    callback_data: EventAct,
    t: Translator,
    settings: Settings,
    events: EventService,
    localities: LocalityService,
    callback_answer: CallbackAnswer,
) -> None:
    card = await events.open(callback_data.id)
    if card is None:
        callback_answer.text = t("event-gone-toast")
        callback_answer.show_alert = True
        return
    await send_card(query.message, card, t, settings.zone, localities)


# --- deep links --------------------------------------------------------------------------------
@links.message(*deep_link("event"))
async def open_link(
    message: Message,
    link: DeepLink,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    settings: Settings,
    events: EventService,
    localities: LocalityService,
) -> None:
    """`/start e-<id>`: the card for anyone; a polite note when the event is gone."""
    await state.clear()
    card = await events.open(link.id)
    if card is None:
        await message.answer(t("event-gone"), reply_markup=main_menu(t))
    else:
        await send_card(message, card, t, settings.zone, localities)
    await remind_onboarding(message, t, profile)


# --- remind me -----------------------------------------------------------------------------
@router.callback_query(EventAct.filter(F.act == "rem"))
async def remind(
    query: CallbackQuery,
    callback_data: EventAct,
    t: Translator,
    settings: Settings,
    profile: Profile,
    events: EventService,
    callback_answer: CallbackAnswer,
) -> None:
    result = await events.remind(profile.user_id, callback_data.id)
    if result.outcome is Remind.GONE:
        callback_answer.text = t("event-gone-toast")
        callback_answer.show_alert = True
        return
    when = when_text(t, result.due_at, settings.zone) if result.due_at else "—"
    if result.outcome is Remind.SET:
        callback_answer.text = t("event-remind-set", when=when)
        return
    card = await events.get(callback_data.id)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("event-btn-unremind"), callback_data=EventAct(id=callback_data.id, act="unrem")
    )
    await query.message.answer(
        t("event-remind-already", title=card.title if card else "", when=when),
        reply_markup=builder.as_markup(),
    )


@router.callback_query(EventAct.filter(F.act == "unrem"))
async def unremind(
    query: CallbackQuery,
    callback_data: EventAct,
    t: Translator,
    profile: Profile,
    events: EventService,
    callback_answer: CallbackAnswer,
) -> None:
    if not await events.forget_reminder(profile.user_id, callback_data.id):
        callback_answer.text = t("event-unremind-none")
        await remove_buttons(query)
        return
    card = await events.get(callback_data.id)
    callback_answer.text = t("event-unremind-done-toast")
    await redraw(query, t("event-unremind-done", title=card.title if card else ""))


# --- share ---------------------------------------------------------------------------------
@router.callback_query(EventAct.filter(F.act == "share"))
async def share(
    query: CallbackQuery,
    callback_data: EventAct,
    t: Translator,
    bot: Bot,
    events: EventService,
    callback_answer: CallbackAnswer,
) -> None:
    card = await events.open(callback_data.id)
    if card is None:
        callback_answer.text = t("event-gone-toast")
        callback_answer.show_alert = True
        return
    me = await bot.me()
    await query.message.answer(
        t("event-share-text", title=card.title, link=deeplinks.url(me.username, "event", card.id)),
        disable_web_page_preview=True,
    )
