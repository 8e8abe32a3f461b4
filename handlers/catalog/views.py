"""Rendering of catalogue screens: list pages with filters, programme and centre cards.

The list's whole state (direction, page, filters) travels in its buttons' callback data,
so a list keeps working after a restart and needs no conversation state.
"""

from __future__ import annotations

import html

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.i18n import Html, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.pager import pager_row
from handlers.callback_types import Id, PageNo, bounded, one_of
from services.catalog.browse import OrganisationCard, ProgrammeCard, ProgrammePage
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

    def list(self, **changes: object) -> ListView:
        """The list page 0 with some filters changed."""
        return self.model_copy(update={"v": "list", "p": 0, "fresh": False, **changes})

    def view(self, name: str, **changes: object) -> ListView:
        return self.model_copy(update={"v": name, "fresh": False, **changes})


class ProgrammeAction(CallbackData, prefix="pa"):
    id: Id
    act: one_of("card", "map", "enrol", "share", "hide", "show", "seats")


class CentreAction(CallbackData, prefix="ca"):
    id: Id
    act: one_of("card", "map", "list", "hide", "show")
    p: PageNo = 0


def cost_text(t: Translator, cost: str, price: int | None = None) -> str:
    if cost == "paid" and price:
        return t("cost-paid-price", price=price)
    return t(f"cost-{cost}")


async def list_text(
    t: Translator, view: ListView, page: ProgrammePage, localities: LocalityService
) -> str:
    direction = t("direction-all" if view.d == "all" else f"direction-{view.d}")
    lines = [t("catalog-list-header", direction=direction, total=page.total)]
    filters = []
    if view.age is not None:
        filters.append(t("filter-age", age=view.age))
    place = await localities.get(view.loc)
    if place is not None:
        filters.append(place.title(t.locale))
    if view.free:
        filters.append(t("filter-free"))
    if view.fmt:
        filters.append(t(f"format-{view.fmt}"))
    lines.append(
        t("catalog-filters", filters=", ".join(filters)) if filters else t("catalog-filters-none")
    )
    lines.append("")
    if not page.items:
        lines.append(t("catalog-empty"))
    for n, item in enumerate(page.items, start=1 + page.page * 6):
        lines.append(
            t(
                "catalog-line",
                n=n,
                name=item.name,
                org=item.organisation,
                age_from=item.age_from,
                age_to=item.age_to,
                cost=cost_text(t, item.cost),
            )
        )
    return "\n".join(lines)


def list_keyboard(t: Translator, view: ListView, page: ProgrammePage) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    start = 1 + page.page * 6
    for n, item in enumerate(page.items, start=start):
        builder.button(
            text=f"{n}. {item.name}"[:60], callback_data=ProgrammeAction(id=item.id, act="card")
        )
    builder.adjust(2)
    current = view.model_copy(update={"v": "list", "fresh": False})
    if nav := pager_row(
        t, page.page, page.pages, lambda p: current.model_copy(update={"p": p}).pack()
    ):
        builder.row(*nav)
    builder.row(
        _button(t("btn-filter-age"), current.view("age")),
        _button(t("btn-filter-place"), current.view("place", p=0)),
    )
    free_label = t("btn-filter-free-on" if view.free else "btn-filter-free")
    format_label = t(
        "btn-filter-format", format=t(f"format-{view.fmt}" if view.fmt else "format-any")
    )
    builder.row(
        _button(free_label, current.view("free")), _button(format_label, current.view("fmt"))
    )
    builder.row(_button(t("btn-directions"), current.view("dirs")))
    return builder.as_markup()


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


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


def programme_keyboard(t: Translator, card: ProgrammeCard, staff: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
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
    builder.adjust(2)
    return builder.as_markup()


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


def centre_keyboard(t: Translator, centre: OrganisationCard, staff: bool) -> InlineKeyboardMarkup:
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
    return builder.as_markup()
