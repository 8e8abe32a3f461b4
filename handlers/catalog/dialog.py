"""The catalogue's dialogs. Browsing: directions → a direction's programmes, a page at a time,
with filters (age, place, free only, format) → back to the list from each filter, back to the
directions from the list. A centre's programmes, a page at a time. A programme's card goes
below the list as a message of its own (handlers/catalog/cards.py).

Neither dialog takes typed text, nor presses of buttons it did not draw: a question typed over
the catalogue goes on to search, and other features' buttons to their handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Group,
    Row,
    Select,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Case, List, Multi

from bot.telegram.dialogs import Tr
from bot.telegram.pager import dialog_pager
from handlers.catalog import clicks, getters
from handlers.catalog.getters import CENTRE_PROGRAMMES, PROGRAMMES
from handlers.catalog.states import CatalogBrowse, CentreProgrammes
from handlers.filters import its_own
from handlers.pickers.child import whom_keyboard, whom_text


def item(field: str) -> Callable[[dict[str, Any]], object]:
    """A field of the list item being drawn (in Select and List)."""
    return lambda data: data["item"][field]


def item_id(found: dict[str, Any]) -> str:
    return str(found["id"])


def choices(widget_id: str, items: str, on_click: Any) -> Select:
    return Select(
        Tr("catalog-label", text=item("label")),
        id=widget_id,
        item_id_getter=item_id,
        items=items,
        on_click=on_click,
    )


def browse_dialog() -> Dialog:
    return its_own(
        Dialog(
            Window(
                Tr("catalog-intro"),
                whom_text(),
                whom_keyboard(clicks.child_chosen),
                Group(
                    choices("direction", "directions", clicks.direction_chosen),
                    Button(Tr("btn-nearby"), id="nearby", on_click=clicks.nearby),
                    width=2,
                ),
                Button(Tr("quiz-btn-open"), id="quiz", on_click=clicks.quiz),
                Button(Tr("btn-campaign"), id="campaign", on_click=clicks.campaign),
                state=CatalogBrowse.directions,
                getter=getters.directions,
            ),
            Window(
                Multi(
                    Multi(
                        Tr("catalog-list-header", direction="direction", total="total"),
                        Tr("catalog-filters", filters="filters", when="filters"),
                        Tr("catalog-filters-none", when=~F["filters"]),
                        whom_text(),
                    ),
                    Multi(
                        Tr("catalog-empty", when="empty"),
                        List(
                            Tr(
                                "catalog-line",
                                n=item("n"),
                                name=item("name"),
                                org=item("org"),
                                age_from=item("age_from"),
                                age_to=item("age_to"),
                                cost=item("cost"),
                                online=item("online"),
                            ),
                            items="items",
                        ),
                    ),
                    sep="\n\n",
                ),
                Group(
                    Select(
                        Tr("catalog-label", text=item("button")),
                        id="programme",
                        item_id_getter=item_id,
                        items="items",
                        on_click=clicks.programme_chosen,
                    ),
                    width=2,
                ),
                dialog_pager(PROGRAMMES, pages="pages"),
                whom_keyboard(clicks.child_chosen),
                Row(
                    SwitchTo(Tr("btn-filter-age"), id="to_age", state=CatalogBrowse.age),
                    Button(Tr("btn-filter-place"), id="to_place", on_click=clicks.place_asked),
                    Button(
                        Tr("place-any"), id="any_place", on_click=clicks.any_place, when="place_on"
                    ),
                ),
                Row(
                    Button(
                        Case(
                            {True: Tr("btn-filter-free-on"), False: Tr("btn-filter-free")},
                            selector="free",
                        ),
                        id="free",
                        on_click=clicks.free_toggled,
                    ),
                    Button(
                        Tr("btn-filter-format", format="format"),
                        id="format",
                        on_click=clicks.format_cycled,
                    ),
                ),
                SwitchTo(Tr("btn-directions"), id="to_directions", state=CatalogBrowse.directions),
                state=CatalogBrowse.programmes,
                getter=getters.programmes,
            ),
            Window(
                Tr("catalog-age-ask", role="role"),
                Group(choices("age", "ages", clicks.age_chosen), width=8),
                Button(Tr("age-any"), id="any_age", on_click=clicks.any_age),
                SwitchTo(Tr("btn-back"), id="age_back", state=CatalogBrowse.programmes),
                state=CatalogBrowse.age,
                getter=getters.ages,
            ),
            on_start=clicks.browse_started,
            on_process_result=clicks.place_picked,
        )
    )


def centre_dialog() -> Dialog:
    return its_own(
        Dialog(
            Window(
                Tr("centre-programmes-header", name="name", when=~F["gone"]),
                Tr("centre-gone", when="gone"),
                Column(choices("programme", "items", clicks.programme_chosen)),
                dialog_pager(CENTRE_PROGRAMMES, pages="pages", count=False),
                Cancel(Tr("screens-back-to-list"), when="over_a_list"),
                state=CentreProgrammes.programmes,
                getter=getters.centre_programmes,
            ),
            on_start=clicks.centre_started,
        )
    )
