"""Clubs and centres: the catalogue's entry points (the menu's button, directions under another
feature's words, deep links), programme and centre cards and their buttons, and staff's hide,
show and free seats. Its lists and filters are dialogs (dialog.py), and so is «Рядом»
(nearby/)."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager, StartMode

from bot.config import Settings
from bot.telegram.dialogs import below_pressed
from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.screens import redraw
from handlers.catalog.campaign import campaign_dialog
from handlers.catalog.cards import Viewer, send_centre, send_programme
from handlers.catalog.clicks import FORMAT_CYCLE
from handlers.catalog.dialog import browse_dialog, centre_dialog
from handlers.catalog.nearby import open_nearby
from handlers.catalog.nearby.dialog import nearby_dialog
from handlers.catalog.nearby.states import CatalogNearby
from handlers.catalog.states import CatalogBrowse, CatalogFlow, CentreProgrammes
from handlers.catalog.views import (
    CentreAction,
    ListView,
    ProgrammeAction,
    ToList,
    centre_keyboard,
    centre_text,
    programme_keyboard,
    programme_text,
)
from handlers.conversation import drop_buttons, leave
from handlers.demand import latest_question, list_row
from handlers.filters import FreeText, MenuButton, is_staff
from handlers.links import Open, Section, deep_link, remind_onboarding
from handlers.menu import main_menu
from handlers.pickers.child import chosen_age
from handlers.pickers.locality import pick_locality
from handlers.routes import Routes
from services.catalog.browse import CatalogService
from services.catalog.localities import LocalityService
from services.catalog.terms import DIRECTIONS
from services.insights.demand import DemandLogService
from services.messengers.ids import Messenger
from services.people import deeplinks
from services.people.deeplinks import DeepLink
from services.people.profiles import Profile
from services.waitlists.enrolment import EnrolmentService
from services.waitlists.entries import WaitlistService

router = Routes("catalog")
buttons = Routes("catalog_buttons")  # tried early: only catalog makes them
links = Routes("catalog_links")  # tried before /start's own (handlers/links.py)
staff_router = Routes("catalog_staff")  # hide, show, free seats: staff's only
staff_router.staff_only(refusal="staff-only", dialogs=(CatalogFlow.seats,))
router.dialog(browse_dialog)
router.dialog(centre_dialog)
router.dialog(nearby_dialog)
router.dialog(campaign_dialog)


def directions_keyboard(t: Translator) -> InlineKeyboardMarkup:
    """The directions as buttons under another feature's words (search found nothing)."""
    builder = InlineKeyboardBuilder()
    for code in DIRECTIONS:
        builder.button(text=t(f"direction-{code}"), callback_data=ListView(d=code))
    builder.button(text=t("direction-all"), callback_data=ListView(d="all"))
    builder.button(text=t("btn-nearby"), callback_data=ListView(v="nearby"))
    builder.adjust(2)
    return builder.as_markup()


# The menu's button and /start catalog; search offers its keyboard when it found nothing.
SECTION = Section("catalog-intro", directions_keyboard, dialog=CatalogBrowse.directions)
VIEWS = {"dirs": CatalogBrowse.directions, "age": CatalogBrowse.age}


@router.message(MenuButton("menu-catalog"))
async def catalog_button(
    message: Message, t: Translator, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await SECTION.open(message, t, dialog_manager)


@buttons.callback_query(ListView.filter())
async def open_view(
    query: CallbackQuery,
    callback_data: ListView,
    state: FSMContext,
    profile: Profile,
    dialog_manager: DialogManager,
) -> None:
    """A button of `directions_keyboard`, or of a list sent before the lists were a dialog:
    the browsing dialog, on that screen with those filters (in place of the pressed message);
    «Рядом» below it (the words it was under stay)."""
    view = callback_data
    await leave(state, dialog_manager)
    if view.v == "nearby":
        below_pressed()
        await open_nearby(dialog_manager)
        return
    if view.fresh:
        age, loc = await chosen_age(dialog_manager.middleware_data), profile.locality_id
    else:
        age, loc = view.age, view.loc
    fmt = view.fmt
    if view.v == "fmt":
        fmt = FORMAT_CYCLE[(FORMAT_CYCLE.index(fmt) + 1) % len(FORMAT_CYCLE)]
    free = not view.free if view.v == "free" else view.free
    page = view.p if view.v == "list" else 0
    await dialog_manager.start(
        VIEWS.get(view.v, CatalogBrowse.programmes),
        mode=StartMode.RESET_STACK,
        data={"d": view.d, "age": age, "loc": loc, "free": free, "fmt": fmt, "page": page},
    )
    if view.v == "place":
        await pick_locality(dialog_manager, question="screens-place-ask")


# --- programme cards -----------------------------------------------------------------------
@buttons.callback_query(ProgrammeAction.filter(F.act == "card"))  # lists sent before the dialogs
@buttons.callback_query(Open.filter(F.kind == "programme"))  # a search result's button
async def open_programme(
    query: CallbackQuery,
    callback_data: ProgrammeAction | Open,
    t: Translator,
    state: FSMContext,
    settings: Settings,
    catalog: CatalogService,
    localities: LocalityService,
    demand: DemandLogService,
    waitlists: WaitlistService,
    enrolment: EnrolmentService,
    callback_answer: CallbackAnswer,
) -> None:
    staff = is_staff(query.from_user.id, settings)
    viewer = Viewer(query.from_user.id, waitlists, enrolment)
    if not await send_programme(
        query.message, callback_data.id, t, catalog, localities, staff, viewer=viewer
    ):
        callback_answer.text = t("programme-gone")
        callback_answer.show_alert = True
    elif isinstance(callback_data, Open):  # a question's answer: its search led to a card
        await demand.opened(await latest_question(state))


@buttons.callback_query(ProgrammeAction.filter(F.act.in_({"map", "enrol", "share"})))
async def programme_extra(
    query: CallbackQuery,
    callback_data: ProgrammeAction,
    t: Translator,
    bot: Bot,
    state: FSMContext,
    settings: Settings,
    catalog: CatalogService,
    demand: DemandLogService,
    dialog_manager: DialogManager,
    callback_answer: CallbackAnswer,
    messenger: Messenger,
) -> None:
    card = await catalog.programme(callback_data.id, staff=is_staff(query.from_user.id, settings))
    if card is None:
        callback_answer.text = t("programme-gone")
        callback_answer.show_alert = True
        return
    if callback_data.act == "enrol":  # the search (a list's, else a question's) led here
        await demand.booked(list_row(dialog_manager) or await latest_question(state))
    centre = card.organisation
    if callback_data.act == "map":
        await query.message.answer_venue(
            latitude=centre.latitude,
            longitude=centre.longitude,
            title=centre.name[:100],
            address=(centre.address or centre.name)[:100],
        )
    elif callback_data.act == "enrol":
        if card.enrol_url:
            builder = InlineKeyboardBuilder()
            builder.button(text=t("btn-enrol"), url=card.enrol_url)
            await query.message.answer(t("enrol-how"), reply_markup=builder.as_markup())
        else:
            await query.message.answer(t("enrol-no-link", phone=centre.phone or "—"))
    else:
        me = await bot.me()
        link = deeplinks.url(me.username, "programme", card.id, messenger)
        await query.message.answer(
            t("share-text", name=card.name, link=link), disable_web_page_preview=True
        )


# --- deep links ------------------------------------------------------------------------------
@links.message(*deep_link("programme", "organisation"))
async def open_link(
    message: Message,
    link: DeepLink,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    settings: Settings,
    catalog: CatalogService,
    localities: LocalityService,
    waitlists: WaitlistService,
    enrolment: EnrolmentService,
    dialog_manager: DialogManager,
) -> None:
    """`/start p-<id>` and `/start o-<id>`: the card, or a polite note when it is gone."""
    await leave(state, dialog_manager)
    staff = is_staff(profile.user_id, settings)
    if link.kind == "programme":
        viewer = Viewer(profile.user_id, waitlists, enrolment)
        shown = await send_programme(message, link.id, t, catalog, localities, staff, viewer=viewer)
    else:
        shown = await send_centre(message, link.id, t, catalog, localities, staff)
    if not shown:
        await message.answer(t("deeplink-unknown"), reply_markup=main_menu(t))
    await remind_onboarding(message, t, profile)


# --- centres -------------------------------------------------------------------------------
@buttons.callback_query(CentreAction.filter(F.act == "card"))
async def open_centre(
    query: CallbackQuery,
    callback_data: CentreAction,
    t: Translator,
    settings: Settings,
    catalog: CatalogService,
    localities: LocalityService,
    callback_answer: CallbackAnswer,
) -> None:
    staff = is_staff(query.from_user.id, settings)
    if not await send_centre(query.message, callback_data.id, t, catalog, localities, staff):
        callback_answer.text = t("centre-gone")
        callback_answer.show_alert = True


@buttons.callback_query(CentreAction.filter(F.act == "map"))
async def centre_on_map(
    query: CallbackQuery,
    callback_data: CentreAction,
    t: Translator,
    settings: Settings,
    catalog: CatalogService,
    callback_answer: CallbackAnswer,
) -> None:
    centre = await catalog.centre(callback_data.id, staff=is_staff(query.from_user.id, settings))
    if centre is None:
        callback_answer.text = t("centre-gone")
        return
    await query.message.answer_venue(
        latitude=centre.latitude,
        longitude=centre.longitude,
        title=centre.name[:100],
        address=(centre.address or centre.name)[:100],
    )


@buttons.callback_query(CentreAction.filter(F.act == "list"))
async def centre_programmes(
    query: CallbackQuery,
    callback_data: CentreAction,
    state: FSMContext,
    settings: Settings,
    catalog: CatalogService,
    callback_answer: CallbackAnswer,
    t: Translator,
    dialog_manager: DialogManager,
) -> None:
    """Its programmes below the card (or in place of a list sent before lists were dialogs)."""
    centre = await catalog.centre(callback_data.id, staff=is_staff(query.from_user.id, settings))
    if centre is None:
        callback_answer.text = t("centre-gone")
        return
    if callback_data.p == 0:  # a card's button: the list below it (an old list's pages in place)
        below_pressed()
    over_nearby = (
        callback_data.p == 0
        and dialog_manager.has_context()
        and dialog_manager.current_context().state == CatalogNearby.centres
    )
    if over_nearby:  # «← к списку» under it goes back to the centres (their copy loses buttons)
        await state.clear()
        await drop_buttons(dialog_manager)
    else:
        await leave(state, dialog_manager)
    await dialog_manager.start(
        CentreProgrammes.programmes,
        mode=StartMode.NORMAL if over_nearby else StartMode.RESET_STACK,
        data={"centre": centre.id, "page": callback_data.p},
    )


# --- back to the list ----------------------------------------------------------------------
LISTS = (CatalogBrowse.programmes, CentreProgrammes.programmes, CatalogNearby.centres)


@buttons.callback_query(ToList.filter())
async def back_to_list(
    query: CallbackQuery,
    t: Translator,
    dialog_manager: DialogManager,
    callback_answer: CallbackAnswer,
) -> None:
    """A card's «← к списку»: the list it was opened from, drawn again below the card (the
    copy above loses its buttons); a list closed since gets a toast."""
    if not dialog_manager.has_context() or dialog_manager.current_context().state not in LISTS:
        callback_answer.text = t("screens-list-gone")
        return
    await drop_buttons(dialog_manager)
    below_pressed()
    await dialog_manager.show()


def _to_list(query: CallbackQuery) -> bool:
    """Whether the pressed card had «← к списку» (kept when staff redraw it)."""
    markup = getattr(query.message, "reply_markup", None)
    return any(
        button.callback_data == ToList().pack()
        for row in (markup.inline_keyboard if markup else [])
        for button in row
    )


# --- staff ---------------------------------------------------------------------------------
@staff_router.callback_query(ProgrammeAction.filter(F.act.in_({"hide", "show"})))
async def toggle_programme(
    query: CallbackQuery,
    callback_data: ProgrammeAction,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    callback_answer: CallbackAnswer,
) -> None:
    hidden = callback_data.act == "hide"
    await catalog.set_programme_hidden(callback_data.id, hidden)
    callback_answer.text = t("staff-hidden" if hidden else "staff-shown")
    card = await catalog.programme(callback_data.id, staff=True)
    if card is not None:
        text = await programme_text(t, card, localities, staff=True)
        await redraw(query, text, programme_keyboard(t, card, True, _to_list(query)))


@staff_router.callback_query(CentreAction.filter(F.act.in_({"hide", "show"})))
async def toggle_centre(
    query: CallbackQuery,
    callback_data: CentreAction,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    callback_answer: CallbackAnswer,
) -> None:
    hidden = callback_data.act == "hide"
    await catalog.set_centre_hidden(callback_data.id, hidden)
    callback_answer.text = t("staff-hidden" if hidden else "staff-shown")
    centre = await catalog.centre(callback_data.id, staff=True)
    if centre is not None:
        text = await centre_text(t, centre, localities, staff=True)
        await redraw(query, text, centre_keyboard(t, centre, True, _to_list(query)))


@staff_router.callback_query(ProgrammeAction.filter(F.act == "seats"))
async def ask_seats(
    query: CallbackQuery,
    callback_data: ProgrammeAction,
    state: FSMContext,
    t: Translator,
    catalog: CatalogService,
    callback_answer: CallbackAnswer,
) -> None:
    card = await catalog.programme(callback_data.id, staff=True)
    if card is None:
        callback_answer.text = t("programme-gone")
        return
    await state.set_state(CatalogFlow.seats)
    await state.update_data(programme_id=card.id)
    if card.seats_total is None:
        await query.message.answer(t("staff-seats-ask-open", name=card.name))
    else:
        await query.message.answer(t("staff-seats-ask", name=card.name, total=card.seats_total))


@staff_router.message(StateFilter(CatalogFlow.seats), FreeText())
async def seats_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    waitlists: WaitlistService,
) -> None:
    programme_id = (await state.get_data()).get("programme_id")
    card = await catalog.programme(programme_id, staff=True) if programme_id else None
    if card is None:
        await state.clear()
        await message.answer(t("programme-gone"))
        return
    text = message.text.strip()
    try:  # digits only (not «²»), and a sane number of them
        await catalog.set_free_seats(
            card.id, int(text) if text.isdecimal() and len(text) <= 5 else -1
        )
    except ValueError:
        total = card.seats_total if card.seats_total is not None else "∞"
        await message.answer(t("staff-seats-invalid", total=str(total)))
        return
    await state.clear()
    await waitlists.release_programmes([card.id])  # the first in line are told at once
    await message.answer(t("staff-seats-saved", free=int(text)))
    await send_programme(message, card.id, t, catalog, localities, staff=True)
