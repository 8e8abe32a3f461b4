"""Inline pickers several features ask with: role, locality, age, consent.

`purpose` says which flow a press belongs to ("o" onboarding, "s" settings, "n" the catalogue's
nearby search, …): each flow's handlers take the presses of their own purpose only.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.pager import pager_row
from bot.telegram.screens import redraw_markup
from handlers.callback_types import Code, Id, PageNo, one_of
from services.catalog.localities import LocalityService, Page, Place
from services.people.profiles import ROLES


class RolePick(CallbackData, prefix="role"):
    purpose: Code
    role: one_of(*ROLES)


class LocalityPage(CallbackData, prefix="lpg"):
    purpose: Code
    page: PageNo


class LocalityPick(CallbackData, prefix="loc"):
    purpose: Code
    id: Id


class AgeSkip(CallbackData, prefix="agesk"):
    purpose: Code


class ConsentAnswer(CallbackData, prefix="cons"):
    purpose: Code
    agree: bool


def role_keyboard(t: Translator, purpose: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role in ROLES:
        builder.button(text=t(f"role-{role}"), callback_data=RolePick(purpose=purpose, role=role))
    builder.adjust(1)
    return builder.as_markup()


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


def age_keyboard(t: Translator, purpose: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=t("btn-skip"), callback_data=AgeSkip(purpose=purpose))
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
    if message.location:
        found = await localities.nearest(message.location.latitude, message.location.longitude)
        if found is None:
            await message.answer(t("locality-none-known"))
            return None
        place, km = found
        await message.answer(t("locality-nearest", name=place.title(t.locale), km=round(km, 1)))
        return place
    matches = await localities.find(message.text or "")
    if len(matches) == 1:
        return matches[0]
    if matches:
        await message.answer(
            t("locality-matches"), reply_markup=matches_keyboard(t, matches, purpose)
        )
    else:
        await message.answer(t("locality-not-found", text=(message.text or "")[:100]))
    return None
