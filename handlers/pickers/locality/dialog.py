"""The locality picker: a sub-dialog any dialog opens with `pick_locality` and gets the chosen
locality back from, in its on_process_result (see handlers/pickers/locality/__init__.py)."""

from __future__ import annotations

from typing import Any

from aiogram.filters import and_f
from aiogram.types import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Cancel, Column, Group, Select, SwitchTo

from bot.telegram.dialogs import Tr
from bot.telegram.pager import dialog_pager
from handlers.filters import ContentIs, NotCommandOrMenu
from handlers.pickers.locality import actions, getters
from handlers.pickers.locality.getters import SCROLL, WIDTH
from handlers.pickers.locality.states import LocalityPicker


def _typed_or_shared() -> MessageInput:
    return MessageInput(
        actions.sent,
        filter=and_f(ContentIs(ContentType.TEXT, ContentType.LOCATION), NotCommandOrMenu()),
    )


def _item(data: dict[str, Any]) -> Any:
    return data["item"][1]


def locality_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("locality-list"),
            Group(
                Select(
                    Tr("locality-button", name=_item),
                    id="place",
                    item_id_getter=lambda item: item[0],
                    items="places",
                    on_click=actions.pressed,
                ),
                width=WIDTH,
            ),
            dialog_pager(SCROLL, pages="pages"),
            Cancel(Tr("btn-back")),
            _typed_or_shared(),
            state=LocalityPicker.choose,
            getter=getters.places,
        ),
        Window(
            Tr("locality-matches"),
            Column(
                Select(
                    Tr(
                        "locality-match-button",
                        name=_item,
                        district=lambda data: data["item"][2],
                    ),
                    id="match",
                    item_id_getter=lambda item: item[0],
                    items="matches",
                    on_click=actions.pressed,
                ),
            ),
            SwitchTo(Tr("btn-back"), id="list", state=LocalityPicker.choose),
            _typed_or_shared(),
            state=LocalityPicker.matches,
            getter=getters.matches,
        ),
    )
