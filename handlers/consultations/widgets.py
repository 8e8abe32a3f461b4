"""Small pieces the set-up's dialogs share: a list item's field as a text argument, a plain
(unescaped) argument for button labels, the lists' pager and the answer to a row that is gone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Row

from bot.telegram.dialogs import toast
from bot.telegram.i18n import Html
from bot.telegram.labels import cut_label
from bot.telegram.pager import dialog_pager


def item(field: str) -> Callable[[dict[str, Any]], object]:
    """`field` of the row a List or Select is rendering (HTML-escaped in a message text)."""
    return lambda data: data["item"].get(field, "")


def label(field: str) -> Callable[[dict[str, Any]], object]:
    """`field` of the row, for a button's label: Telegram shows labels as they are (no HTML),
    so they are passed on unescaped, cut to fit at a word."""
    return lambda data: Html(cut_label(str(data["item"].get(field, ""))))


def pager(scroll: str) -> Row:
    """◀️ Раньше / Дальше ▶️ under a ScrollingGroup (the header says which page this is)."""
    return dialog_pager(scroll, count=False, prev_key="scadm-btn-prev", next_key="scadm-btn-next")


def gone(manager: DialogManager) -> None:
    """A press on a row that is no longer there: a toast says so, the window stays as it is
    (redrawing the same window would be an edit Telegram refuses)."""
    toast(manager, "scadm-gone-toast")
    manager.show_mode = ShowMode.NO_UPDATE
