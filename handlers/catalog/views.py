"""The catalogue's cards (programme, centre) and the callback data of its buttons outside
dialogs: cards' buttons, and directions shown under another feature's words.

`ListView` carries a whole list's state (direction, page, filters) as lists did before they
became a dialog: such buttons, in chats from before, still open the list they name.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.telegram.dates import day_text
from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers.callback_types import Id, PageNo, bounded, one_of
from services.catalog.browse import OrganisationCard, ProgrammeCard
from services.catalog.localities import LocalityService
from services.catalog.terms import AGE_MAX, AGE_MIN, DIRECTIONS, FORMATS


class ListView(CallbackData, prefix="lv"):
    v: one_of("list", "age", "place", "free", "fmt", "nearby", "dirs") = "list"
    d: one_of(*DIRECTIONS, "all") = "all"
    p: PageNo = 0
    age: bounded(AGE_MIN, AGE_MAX) | None = None
    loc: Id | None = None
    free: bool = False
    fmt: one_of(*FORMATS) | None = None
    fresh: bool = True  # a new direction: take filters from the profile


class ProgrammeAction(CallbackData, prefix="pa"):
    id: Id
    act: one_of("card", "map", "enrol", "share", "hide", "show", "seats", "opens")


class WaitAction(CallbackData, prefix="wl"):
    """A card's «🔔 Сообщить, когда появится место» / «✖️ Не сообщать» and «⏰ Напомнить о
    начале записи» / «✖️ Не напоминать» (handlers/catalog/waitlist.py)."""

    id: Id
    act: one_of("join", "leave", "remind", "unremind")


@dataclass(frozen=True, slots=True)
class CardMarks:
    """The viewer's own buttons on a card: None where the card offers none."""

    waiting: bool | None = None  # a full programme: on its waitlist or not
    reminding: bool | None = None  # enrolment opens later: a reminder asked or not


class ToList(CallbackData, prefix="tl"):
    """«← к списку» under a card opened from a list: that list again, below the card."""


class CentreAction(CallbackData, prefix="ca"):
    id: Id
    act: one_of("card", "map", "list", "hide", "show")
    p: PageNo = 0


def cost_text(t: Translator, cost: str, price: int | None = None) -> str:
    if cost == "paid" and price:
        return t("cost-paid-price", price=price)
    return t(f"cost-{cost}")


async def programme_text(
    t: Translator, card: ProgrammeCard, localities: LocalityService, staff: bool
) -> str:
    centre = card.organisation
    place = await localities.get(centre.locality_id)
    address = ", ".join(
        part for part in (place.title(t.locale) if place else "", centre.address) if part
    )
    if card.seats_free is None:
        seats = t("programme-seats-unknown")
    elif card.seats_free == 0:
        seats = t("programme-no-seats")
    else:
        seats = t(
            "programme-seats", free=card.seats_free, total=card.seats_total or card.seats_free
        )
    text = t(
        "programme-card",
        name=card.name,
        direction=t(f"direction-{card.direction}"),
        age_from=card.age_from,
        age_to=card.age_to,
        format=t(f"format-{card.format}"),
        description=card.description or "—",
        organisation=centre.name,
        address=address or "—",
        cost=cost_text(t, card.cost, card.price),
        schedule=card.schedule or "—",
        teacher=card.teacher or "—",
        seats=seats,
    )
    extra = _centre_extras(t, centre)
    if card.enrol_starts_on is not None:
        extra.append(t("programme-enrol-starts", day=day_text(t, card.enrol_starts_on)))
    if staff and (card.hidden or centre.hidden):
        extra.append(t("programme-hidden-note"))
    return "\n".join([text, *extra])


def _centre_extras(t: Translator, centre: OrganisationCard) -> list[str]:
    extra = []
    if centre.accessible:
        extra.append(t("card-accessible"))
    if centre.phone:
        extra.append(t("card-phone", phone=centre.phone))
    if centre.hours:
        extra.append(t("card-hours", hours=centre.hours))
    return extra


def programme_keyboard(
    t: Translator,
    card: ProgrammeCard,
    staff: bool,
    to_list: bool = False,
    marks: CardMarks | None = None,
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _marks(t, builder, card.id, marks)
    builder.button(text=t("btn-enrol"), callback_data=ProgrammeAction(id=card.id, act="enrol"))
    builder.button(text=t("btn-on-map"), callback_data=ProgrammeAction(id=card.id, act="map"))
    builder.button(text=t("btn-share"), callback_data=ProgrammeAction(id=card.id, act="share"))
    builder.button(
        text=t("btn-centre"), callback_data=CentreAction(id=card.organisation.id, act="card")
    )
    if staff:
        toggle = "show" if card.hidden else "hide"
        builder.button(
            text=t("btn-unhide" if card.hidden else "btn-hide"),
            callback_data=ProgrammeAction(id=card.id, act=toggle),
        )
        builder.button(text=t("btn-seats"), callback_data=ProgrammeAction(id=card.id, act="seats"))
        builder.button(
            text=t("btn-enrol-opens"), callback_data=ProgrammeAction(id=card.id, act="opens")
        )
    builder.adjust(*([1] * _count(marks)), 2)
    _back_to_list(t, builder, to_list)
    return builder.as_markup()


def _count(marks: CardMarks | None) -> int:
    if marks is None:
        return 0
    return (marks.waiting is not None) + (marks.reminding is not None)


def _marks(
    t: Translator, builder: InlineKeyboardBuilder, programme_id: int, marks: CardMarks | None
) -> None:
    """The viewer's waitlist and reminder buttons, each a row of its own, first."""
    if marks is None:
        return
    if marks.waiting is not None:
        act = "leave" if marks.waiting else "join"
        key = "waitlist-btn-leave" if marks.waiting else "waitlist-btn-join"
        builder.button(text=t(key), callback_data=WaitAction(id=programme_id, act=act))
    if marks.reminding is not None:
        act = "unremind" if marks.reminding else "remind"
        key = "enrol-btn-unremind" if marks.reminding else "enrol-btn-remind"
        builder.button(text=t(key), callback_data=WaitAction(id=programme_id, act=act))


def _back_to_list(t: Translator, builder: InlineKeyboardBuilder, to_list: bool) -> None:
    if to_list:
        builder.row()
        builder.button(text=t("screens-back-to-list"), callback_data=ToList())


async def centre_text(
    t: Translator, centre: OrganisationCard, localities: LocalityService, staff: bool
) -> str:
    place = await localities.get(centre.locality_id)
    lines = [
        t(
            "centre-card",
            name=centre.name,
            type=t(f"orgtype-{centre.type}"),
            locality=place.title(t.locale) if place else "—",
            address=centre.address or "—",
        ),
        t("centre-programmes", count=centre.programmes),
        *_centre_extras(t, centre),
    ]
    if centre.website:
        lines.append(Html(f'🌐 <a href="{_attr(centre.website)}">{_attr(centre.website)}</a>'))
    if staff and centre.hidden:
        lines.append(t("programme-hidden-note"))
    return "\n".join(lines)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def centre_keyboard(
    t: Translator, centre: OrganisationCard, staff: bool, to_list: bool = False
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("btn-centre-programmes", count=centre.programmes),
        callback_data=CentreAction(id=centre.id, act="list"),
    )
    builder.button(text=t("btn-on-map"), callback_data=CentreAction(id=centre.id, act="map"))
    if staff:
        builder.button(
            text=t("btn-unhide-centre" if centre.hidden else "btn-hide-centre"),
            callback_data=CentreAction(id=centre.id, act="show" if centre.hidden else "hide"),
        )
    builder.adjust(2)
    _back_to_list(t, builder, to_list)
    return builder.as_markup()
