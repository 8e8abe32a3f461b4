"""The «Рядом» dialog: the nearest centres, ten at most, a button a centre (its card below);
drawn once the locality picker, opened over it as it starts, has told where."""

from __future__ import annotations

from aiogram import F
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Select
from aiogram_dialog.widgets.text import List, Multi

from bot.telegram.dialogs import Tr
from bot.telegram.pager import dialog_pager
from handlers.catalog.dialog import item, item_id
from handlers.catalog.nearby import actions, getters
from handlers.catalog.nearby.getters import SCROLL
from handlers.catalog.nearby.states import CatalogNearby
from handlers.filters import its_own
from handlers.pickers.child import whom_keyboard, whom_text


def nearby_dialog() -> Dialog:
    return its_own(
        Dialog(
            Window(
                Tr("nearby-header-place", place="place", when="place"),
                Tr("nearby-header-here", when=~F["place"]),
                Tr("screens-nearby-from-place", place="place", when="place"),
                Tr("screens-nearby-from-spot", when=~F["place"]),
                Multi(
                    List(
                        Tr(
                            "nearby-line",
                            n=item("n"),
                            name=item("name"),
                            km=item("km"),
                            count=item("count"),
                        ),
                        items="centres",
                        when=~F["by_age"],
                    ),
                    List(
                        Tr(
                            "screens-nearby-line-age",
                            n=item("n"),
                            name=item("name"),
                            km=item("km"),
                            age=lambda data: data["data"]["age"],
                            suitable=item("suitable"),
                            count=item("count"),
                        ),
                        items="centres",
                        when="by_age",
                    ),
                    sep="",
                ),
                whom_text(),
                Column(
                    Select(
                        Tr("catalog-label", text=item("button")),
                        id="centre",
                        item_id_getter=item_id,
                        items="centres",
                        on_click=actions.centre_chosen,
                    )
                ),
                dialog_pager(SCROLL, pages="pages", count=False, next_key="screens-more"),
                whom_keyboard(actions.child_chosen),
                Button(Tr("btn-directions"), id="directions", on_click=actions.to_directions),
                state=CatalogNearby.centres,
                getter=getters.centres,
            ),
            on_start=actions.started,
            on_process_result=actions.answered,
        )
    )
