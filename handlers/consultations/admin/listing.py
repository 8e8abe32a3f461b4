"""The one paged list of a set-up kind and its card with «🙈 Скрыть» / «👁 Показать».

Services, specialists and organisations differ only in what their `Listing` says: where the
rows come from, what a row and a card show, how one is hidden and what more its card offers.
The windows, the paging, opening a card and hiding or showing are written once, here. Locale
keys follow the kind's name: `scadm-{name}s-header`, `scadm-{name}-line` (and `-line-hidden`),
`scadm-{name}-card`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import F
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Keyboard, ScrollingGroup, Select, SwitchTo
from aiogram_dialog.widgets.text import List, Multi

from bot.telegram.dialogs import Tr, toast
from bot.telegram.i18n import Html, Translator
from bot.telegram.pager import clamp_page, page_count
from handlers.callback_types import parse_id
from handlers.consultations.states import ConsultSetup
from handlers.consultations.widgets import gone, item, label, pager
from services.consultations.admin import ConsultAdmin

PER_PAGE = 10
LINE_ARGS = ("n", "name", "staff", "provider")  # what the kinds' lines take, each its own
CARD_ARGS = ("name", "name_en", "position", "provider", "ref", "staff", "status")


@dataclass(frozen=True)
class Listing:
    name: str  # "service", "specialist", "provider": locale keys and widget ids
    list_state: State
    card_state: State
    rows: Callable[[ConsultAdmin], Awaitable[list[Any]]]
    one: Callable[[ConsultAdmin, int], Awaitable[Any | None]]
    set_active: Callable[[ConsultAdmin, int, bool], Awaitable[bool]]
    row: Callable[[Any, Translator], dict[str, Any]]  # a list line's name and details
    card: Callable[[Any, Translator], dict[str, Any]]  # the card's arguments but its status
    card_buttons: tuple[Keyboard, ...] = field(default=())  # more than hide/show and back


def _list_getter(listing: Listing) -> Callable[..., Awaitable[dict[str, Any]]]:
    async def getter(
        dialog_manager: DialogManager, consult_admin: ConsultAdmin, t: Translator, **_: Any
    ) -> dict[str, Any]:
        found = await listing.rows(consult_admin)
        pages = page_count(len(found), PER_PAGE)
        scroll = dialog_manager.find(f"{listing.name}_pages")
        page = clamp_page(await scroll.get_page(), pages) if scroll else 0
        rows = [
            {"id": str(one.id), "n": n, "active": one.active, **listing.row(one, t)}
            for n, one in enumerate(found, start=1)
        ]
        return {
            "rows": rows,
            "shown": rows[page * PER_PAGE : (page + 1) * PER_PAGE],
            "count": len(rows),
            "page": page + 1,
            "pages": pages,
            "empty": not rows,
        }

    return getter


def _card_getter(listing: Listing) -> Callable[..., Awaitable[dict[str, Any]]]:
    async def getter(
        dialog_manager: DialogManager, consult_admin: ConsultAdmin, t: Translator, **_: Any
    ) -> dict[str, Any]:
        found = await listing.one(consult_admin, dialog_manager.dialog_data.get(listing.name, 0))
        if found is None:
            return {"gone": True}
        status = "scadm-status-shown" if found.active else "scadm-status-hidden"
        return {
            **listing.card(found, t),
            "status": Html(t(status)),
            "active": found.active,
            "hidden": not found.active,
            "found": True,
        }

    return getter


def _open_card(listing: Listing) -> Callable[..., Awaitable[None]]:
    async def open_card(
        callback: CallbackQuery, select: Any, manager: DialogManager, item_id: str
    ) -> None:
        row_id = parse_id(item_id)
        admin: ConsultAdmin = manager.middleware_data["consult_admin"]
        if row_id is None or await listing.one(admin, row_id) is None:
            gone(manager)
            return
        manager.dialog_data[listing.name] = row_id
        await manager.switch_to(listing.card_state)

    return open_card


def _set_active(listing: Listing, active: bool) -> Callable[..., Awaitable[None]]:
    async def set_active(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
        admin: ConsultAdmin = manager.middleware_data["consult_admin"]
        row_id = manager.dialog_data.get(listing.name, 0)
        if await listing.set_active(admin, row_id, active):
            toast(manager, "scadm-shown-toast" if active else "scadm-hidden-toast")
        else:
            toast(manager, "scadm-gone-toast")

    return set_active


def windows(listing: Listing) -> list[Window]:
    """The list (its page of lines, a button per row, ◀️ / ▶️, back to the menu) and the card
    (what it is, hide or show, the kind's own buttons, back to the list at the same page)."""
    name, scroll = listing.name, f"{listing.name}_pages"
    line_args = {arg: item(arg) for arg in LINE_ARGS}
    lines = Multi(
        Tr(f"scadm-{name}-line", when=F["item"]["active"], **line_args),
        Tr(f"scadm-{name}-line-hidden", when=~F["item"]["active"], **line_args),
        sep="",
    )
    rows = Select(
        Tr("scadm-item", n=item("n"), name=label("name")),
        id=f"{name}_rows",
        item_id_getter=lambda row: row["id"],
        items="rows",
        on_click=_open_card(listing),
    )
    return [
        Window(
            Tr(f"scadm-{name}s-header", count="count", page="page", pages="pages"),
            List(lines, items="shown"),
            Tr("scadm-empty", when="empty"),
            ScrollingGroup(rows, id=scroll, width=1, height=PER_PAGE, hide_pager=True),
            pager(scroll),
            SwitchTo(Tr("scadm-btn-menu"), id=f"{name}_menu", state=ConsultSetup.menu),
            state=listing.list_state,
            getter=_list_getter(listing),
        ),
        Window(
            Tr(f"scadm-{name}-card", when="found", **{arg: arg for arg in CARD_ARGS}),
            Tr("scadm-gone-toast", when="gone"),
            Button(
                Tr("scadm-btn-hide"),
                id=f"{name}_hide",
                on_click=_set_active(listing, False),
                when="active",
            ),
            Button(
                Tr("scadm-btn-show"),
                id=f"{name}_show",
                on_click=_set_active(listing, True),
                when="hidden",
            ),
            *listing.card_buttons,
            SwitchTo(Tr("scadm-btn-back"), id=f"{name}_back", state=listing.list_state),
            state=listing.card_state,
            getter=_card_getter(listing),
        ),
    ]
