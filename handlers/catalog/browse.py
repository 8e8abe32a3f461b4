"""Clubs and centres: directions → filtered pages → programme cards; centres nearby."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import or_f
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.pager import pager_row
from bot.telegram.screens import editable, redraw, remove_buttons
from handlers import pickers
from handlers.catalog.views import (
    CentreAction,
    ListView,
    ProgrammeAction,
    centre_keyboard,
    centre_text,
    list_keyboard,
    list_text,
    programme_keyboard,
    programme_text,
)
from handlers.conversation import leave
from handlers.filters import FreeText, MenuButton, is_staff
from handlers.links import Open, Section, deep_link, remind_onboarding
from handlers.menu import main_menu, share_location
from handlers.pickers import LocalityPage, LocalityPick
from handlers.routes import Routes
from services.catalog.browse import CatalogService, Filters
from services.catalog.localities import LocalityService
from services.catalog.terms import AGE_MAX, AGE_MIN, DIRECTIONS, FORMATS
from services.people import deeplinks
from services.people.deeplinks import DeepLink
from services.people.profiles import Profile

router = Routes("catalog")
buttons = Routes("catalog_buttons")  # tried early: only catalog makes them
links = Routes("catalog_links")  # tried before /start's own (handlers/links.py)
staff_router = Routes("catalog_staff")  # hide, show, free seats: staff's only
NEARBY = "n"
FORMAT_CYCLE = [None, *FORMATS]


class CatalogFlow(StatesGroup):
    nearby = State()
    seats = State()


staff_router.staff_only(refusal="staff-only", dialogs=(CatalogFlow.seats,))


def directions_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in DIRECTIONS:
        builder.button(text=t(f"direction-{code}"), callback_data=ListView(d=code))
    builder.button(text=t("direction-all"), callback_data=ListView(d="all"))
    builder.button(text=t("btn-nearby"), callback_data=ListView(v="nearby"))
    builder.adjust(2)
    return builder.as_markup()


# The menu's button and /start catalog; search offers its keyboard when it found nothing.
SECTION = Section("catalog-intro", directions_keyboard)


@router.message(MenuButton("menu-catalog"))
async def catalog_button(
    message: Message, t: Translator, state: FSMContext, dialog_manager: DialogManager
) -> None:
    await leave(state, dialog_manager)
    await SECTION.open(message, t, dialog_manager)


# --- lists and filters ---------------------------------------------------------------------
def profile_view(direction: str, profile: Profile) -> ListView:
    return ListView(d=direction, age=profile.child_age, loc=profile.locality_id)


@buttons.callback_query(ListView.filter(F.v == "list"))
async def show_list(
    query: CallbackQuery,
    callback_data: ListView,
    t: Translator,
    profile: Profile,
    catalog: CatalogService,
    localities: LocalityService,
) -> None:
    view = callback_data
    if view.fresh:  # a direction chosen just now: start from the profile's age and place
        view = profile_view(view.d, profile)
    filters = Filters(age=view.age, locality_id=view.loc, free_only=view.free, format=view.fmt)
    direction = None if view.d == "all" else view.d
    page = await catalog.browse(direction, filters, view.p)
    text = await list_text(t, view, page, localities)
    markup = list_keyboard(t, view, page)
    await _show(query, text, markup)


@buttons.callback_query(ListView.filter(F.v == "dirs"))
async def back_to_directions(query: CallbackQuery, t: Translator) -> None:
    await _show(query, t("catalog-intro"), directions_keyboard(t))


@buttons.callback_query(ListView.filter(F.v == "age"))
async def ask_age(query: CallbackQuery, callback_data: ListView, t: Translator) -> None:
    builder = InlineKeyboardBuilder()
    for age in range(AGE_MIN, AGE_MAX + 1):
        builder.button(text=str(age), callback_data=callback_data.list(age=age))
    builder.adjust(8)
    builder.row(
        InlineKeyboardButton(text=t("age-any"), callback_data=callback_data.list(age=None).pack())
    )
    await _show(query, t("catalog-age-ask"), builder.as_markup())


@buttons.callback_query(ListView.filter(F.v == "place"))
async def ask_place(
    query: CallbackQuery, callback_data: ListView, t: Translator, localities: LocalityService
) -> None:
    page = await localities.page(callback_data.p, per_page=10)
    builder = InlineKeyboardBuilder()
    for place in page.items:
        builder.button(text=place.title(t.locale), callback_data=callback_data.list(loc=place.id))
    builder.adjust(2)
    if nav := pager_row(
        t,
        page.page,
        page.pages,
        lambda p: callback_data.model_copy(update={"p": p}).pack(),
        count_key=None,
    ):
        builder.row(*nav)
    builder.row(
        InlineKeyboardButton(text=t("place-any"), callback_data=callback_data.list(loc=None).pack())
    )
    await _show(query, t("catalog-place-ask"), builder.as_markup())


@buttons.callback_query(ListView.filter(F.v == "free"))
async def toggle_free(
    query: CallbackQuery,
    callback_data: ListView,
    t: Translator,
    profile: Profile,
    catalog: CatalogService,
    localities: LocalityService,
) -> None:
    view = callback_data.list(free=not callback_data.free)
    await show_list(query, view, t, profile, catalog, localities)


@buttons.callback_query(ListView.filter(F.v == "fmt"))
async def cycle_format(
    query: CallbackQuery,
    callback_data: ListView,
    t: Translator,
    profile: Profile,
    catalog: CatalogService,
    localities: LocalityService,
) -> None:
    following = FORMAT_CYCLE[(FORMAT_CYCLE.index(callback_data.fmt) + 1) % len(FORMAT_CYCLE)]
    await show_list(query, callback_data.list(fmt=following), t, profile, catalog, localities)


async def _show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    await redraw(query, text, markup)


# --- programme cards -----------------------------------------------------------------------
async def send_programme(
    message: Message,
    programme_id: int,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    staff: bool,
) -> bool:
    card = await catalog.programme(programme_id, staff=staff)
    if card is None:
        return False
    text = await programme_text(t, card, localities, staff)
    await message.answer(
        text, reply_markup=programme_keyboard(t, card, staff), disable_web_page_preview=True
    )
    return True


@buttons.callback_query(ProgrammeAction.filter(F.act == "card"))
@buttons.callback_query(Open.filter(F.kind == "programme"))  # a search result's button
async def open_programme(
    query: CallbackQuery,
    callback_data: ProgrammeAction | Open,
    t: Translator,
    settings: Settings,
    catalog: CatalogService,
    localities: LocalityService,
    callback_answer: CallbackAnswer,
) -> None:
    staff = is_staff(query.from_user.id, settings)
    if not await send_programme(query.message, callback_data.id, t, catalog, localities, staff):
        callback_answer.text = t("programme-gone")
        callback_answer.show_alert = True


@buttons.callback_query(ProgrammeAction.filter(F.act.in_({"map", "enrol", "share"})))
async def programme_extra(
    query: CallbackQuery,
    callback_data: ProgrammeAction,
    t: Translator,
    bot: Bot,
    settings: Settings,
    catalog: CatalogService,
    callback_answer: CallbackAnswer,
) -> None:
    card = await catalog.programme(callback_data.id, staff=is_staff(query.from_user.id, settings))
    if card is None:
        callback_answer.text = t("programme-gone")
        callback_answer.show_alert = True
        return
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
        link = deeplinks.url(me.username, "programme", card.id)
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
) -> None:
    """`/start p-<id>` and `/start o-<id>`: the card, or a polite note when it is gone."""
    await state.clear()
    send = send_programme if link.kind == "programme" else send_centre
    if not await send(
        message, link.id, t, catalog, localities, is_staff(profile.user_id, settings)
    ):
        await message.answer(t("deeplink-unknown"), reply_markup=main_menu(t))
    await remind_onboarding(message, t, profile)


# --- centres -------------------------------------------------------------------------------
async def send_centre(
    message: Message,
    centre_id: int,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
    staff: bool,
) -> bool:
    centre = await catalog.centre(centre_id, staff=staff)
    if centre is None:
        return False
    await message.answer(
        await centre_text(t, centre, localities, staff),
        reply_markup=centre_keyboard(t, centre, staff),
        disable_web_page_preview=True,
    )
    return True


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
    t: Translator,
    settings: Settings,
    catalog: CatalogService,
    callback_answer: CallbackAnswer,
) -> None:
    staff = is_staff(query.from_user.id, settings)
    centre = await catalog.centre(callback_data.id, staff=staff)
    if centre is None:
        callback_answer.text = t("centre-gone")
        return
    page = await catalog.centre_programmes(centre.id, callback_data.p, staff=staff)
    builder = InlineKeyboardBuilder()
    for line in page.items:
        builder.button(text=line.name[:60], callback_data=ProgrammeAction(id=line.id, act="card"))
    builder.adjust(1)
    if nav := pager_row(
        t,
        page.page,
        page.pages,
        lambda p: CentreAction(id=centre.id, act="list", p=p).pack(),
        count_key=None,
    ):
        builder.row(*nav)
    text = t("centre-programmes-header", name=centre.name)
    shown = editable(query)
    if callback_data.p == 0 and (shown is None or not shown.text.startswith(centre.name)):
        await query.message.answer(text, reply_markup=builder.as_markup())
    else:
        await _show(query, text, builder.as_markup())


# --- nearby --------------------------------------------------------------------------------
@buttons.callback_query(ListView.filter(F.v == "nearby"))
async def ask_nearby(
    query: CallbackQuery, state: FSMContext, t: Translator, localities: LocalityService
) -> None:
    await state.set_state(CatalogFlow.nearby)
    await query.message.answer(t("nearby-ask"), reply_markup=share_location(t))
    page = await localities.page(0)
    await query.message.answer(
        t("locality-list"), reply_markup=pickers.locality_keyboard(t, page, NEARBY)
    )


@buttons.callback_query(CatalogFlow.nearby, LocalityPage.filter(F.purpose == NEARBY))
async def nearby_page(
    query: CallbackQuery, callback_data: LocalityPage, t: Translator, localities: LocalityService
) -> None:
    await pickers.turn_locality_page(query, callback_data.page, NEARBY, t, localities)


@buttons.callback_query(CatalogFlow.nearby, LocalityPick.filter(F.purpose == NEARBY))
async def nearby_picked(
    query: CallbackQuery,
    callback_data: LocalityPick,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    catalog: CatalogService,
    localities: LocalityService,
) -> None:
    place = await localities.get(callback_data.id)
    await remove_buttons(query)
    if place is not None:
        await state.clear()
        await send_nearby(
            query.message,
            t,
            profile,
            catalog,
            place.latitude,
            place.longitude,
            place.title(t.locale),
        )


@router.message(CatalogFlow.nearby, or_f(F.location, FreeText()))
async def nearby_typed_or_shared(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    catalog: CatalogService,
    localities: LocalityService,
) -> None:
    if message.location:
        await state.clear()
        location = message.location
        await send_nearby(message, t, profile, catalog, location.latitude, location.longitude, None)
        return
    place = await pickers.place_from_message(message, NEARBY, t, localities)
    if place is not None:
        await state.clear()
        await send_nearby(
            message, t, profile, catalog, place.latitude, place.longitude, place.title(t.locale)
        )


async def send_nearby(
    message: Message,
    t: Translator,
    profile: Profile,
    catalog: CatalogService,
    latitude: float,
    longitude: float,
    place_name: str | None,
) -> None:
    found = await catalog.nearby(latitude, longitude, count=10, age=profile.child_age)
    if not found:
        await message.answer(t("nearby-empty"), reply_markup=main_menu(t))
        return
    if place_name:
        lines = [t("nearby-header-place", place=place_name)]
    else:
        lines = [t("nearby-header-here")]
    builder = InlineKeyboardBuilder()
    for n, item in enumerate(found, start=1):
        lines.append(
            t(
                "nearby-line",
                n=n,
                name=item.centre.name,
                km=_km(item.km),
                count=item.centre.programmes,
            )
        )
        builder.button(
            text=f"{n}. {item.centre.name}"[:60],
            callback_data=CentreAction(id=item.centre.id, act="card"),
        )
    builder.adjust(1)
    await message.answer(t("nearby-searching"), reply_markup=main_menu(t))
    await message.answer("\n".join(lines), reply_markup=builder.as_markup())


def _km(km: float) -> str:
    return f"{km:.1f}" if km < 10 else f"{km:.0f}"


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
        await _show(query, text, programme_keyboard(t, card, staff=True))


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
        await _show(query, text, centre_keyboard(t, centre, staff=True))


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


@staff_router.message(CatalogFlow.seats, FreeText())
async def seats_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    catalog: CatalogService,
    localities: LocalityService,
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
    await message.answer(t("staff-seats-saved", free=int(text)))
    await send_programme(message, card.id, t, catalog, localities, staff=True)
