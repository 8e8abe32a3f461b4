"""«📅 События»: the section (a dialog, handlers/events/listing), event cards opened by deep
links, "remind me" and sharing.

Event cards open from the list, from a shared deep link (`/start e-<id>`, for anyone, even
before onboarding) and from a broadcast's button, which is such a link; their buttons work
wherever the card is.
"""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager, StartMode

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.screens import redraw, remove_buttons
from handlers.conversation import leave
from handlers.events.cards import EventAct, send_card
from handlers.events.listing.dialog import events_dialog
from handlers.events.listing.states import EventsSection
from handlers.filters import MenuButton
from handlers.links import Open, Section, deep_link, remind_onboarding
from handlers.menu import main_menu
from handlers.routes import Routes
from services.catalog.localities import LocalityService
from services.events.service import EventService, Remind
from services.messengers.ids import Messenger
from services.people import deeplinks
from services.people.deeplinks import DeepLink
from services.people.profiles import Profile

router = Routes("events")
links = Routes("events_links")  # tried before /start's own (handlers/links.py)
router.dialog(events_dialog)

# /start events: a few words and the list behind a button (the menu's button opens the list).
SECTION = Section("events-intro", main_menu, dialog=EventsSection.intro)


@router.message(MenuButton("menu-events"))
async def events_button(message: Message, state: FSMContext, dialog_manager: DialogManager) -> None:
    await leave(state, dialog_manager)
    await dialog_manager.start(EventsSection.listing, mode=StartMode.RESET_STACK)


# --- deep links --------------------------------------------------------------------------------
@links.message(*deep_link("event"))
async def open_link(
    message: Message,
    link: DeepLink,
    state: FSMContext,
    dialog_manager: DialogManager,
    t: Translator,
    profile: Profile,
    settings: Settings,
    events: EventService,
    localities: LocalityService,
) -> None:
    """`/start e-<id>`: the card for anyone; a polite note when the event is gone."""
    await leave(state, dialog_manager)
    card = await events.open(link.id)
    if card is None:
        await message.answer(t("event-gone"), reply_markup=main_menu(t))
    else:
        await send_card(message, card, t, settings.zone, localities)
    await remind_onboarding(message, t, profile)


@router.callback_query(Open.filter(F.kind == "event"))  # a typed question's answer
async def open_event(
    query: CallbackQuery,
    callback_data: Open,
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
    messenger: Messenger,
) -> None:
    card = await events.open(callback_data.id)
    if card is None:
        callback_answer.text = t("event-gone-toast")
        callback_answer.show_alert = True
        return
    link = deeplinks.url((await bot.me()).username, "event", card.id, messenger)
    await query.message.answer(
        t("event-share-text", title=card.title, link=link),
        disable_web_page_preview=True,
    )
