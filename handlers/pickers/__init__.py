"""Pickers several features ask with.

Dialogs use the pieces of `handlers.pickers.widgets` (role, age, consent) and the locality
picker sub-dialog of `handlers.pickers.locality`. What stays here are the callback-data pickers
of screens that are not dialogs yet: the locality list of the catalogue's «Рядом» and the consent
question of the booking wizard. `purpose` says which flow a press belongs to ("n" the
catalogue's nearby search, "b" booking, …): each flow's handlers take their own presses only.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.pager import pager_row
from bot.telegram.screens import redraw_markup
from handlers.callback_types import Code, Id, PageNo
from handlers.pickers.places import place_or_matches
from services.catalog.localities import LocalityService, Page, Place


class LocalityPage(CallbackData, prefix="lpg"):
    purpose: Code
    page: PageNo


class LocalityPick(CallbackData, prefix="loc"):
    purpose: Code
    id: Id


class ConsentAnswer(CallbackData, prefix="cons"):
    purpose: Code
    agree: bool


def locality_keyboard(t: Translator, page: Page, purpose: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for place in page.items:
        builder.button(
            text=place.title(t.locale), callback_data=LocalityPick(purpose=purpose, id=place.id)
        )
    builder.adjust(2)
    if nav := pager_row(
        t, page.page, page.pages, lambda p: LocalityPage(purpose=purpose, page=p).pack()
    ):
        builder.row(*nav)
    return builder.as_markup()


def matches_keyboard(t: Translator, places: list[Place], purpose: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for place in places:
        label = (
            f"{place.title(t.locale)} · {place.district_en if t.locale == 'en' else place.district}"
        )
        builder.button(text=label, callback_data=LocalityPick(purpose=purpose, id=place.id))
    builder.adjust(1)
    return builder.as_markup()


def consent_keyboard(t: Translator, purpose: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("btn-consent-yes"), callback_data=ConsentAnswer(purpose=purpose, agree=True)
    )
    builder.button(
        text=t("btn-consent-no"), callback_data=ConsentAnswer(purpose=purpose, agree=False)
    )
    builder.adjust(1)
    return builder.as_markup()


async def turn_locality_page(
    query: CallbackQuery, page_number: int, purpose: str, t: Translator, localities: LocalityService
) -> None:
    page = await localities.page(page_number)
    await redraw_markup(query.message, locality_keyboard(t, page, purpose))


async def place_from_message(
    message: Message, purpose: str, t: Translator, localities: LocalityService
) -> Place | None:
    """A shared location or a typed name → one locality; otherwise say why and return None."""
    place, matches = await place_or_matches(message, t, localities)
    if matches:
        await message.answer(
            t("locality-matches"), reply_markup=matches_keyboard(t, matches, purpose)
        )
    return place
