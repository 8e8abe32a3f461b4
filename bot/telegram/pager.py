"""The one row of buttons that turns the pages of a long inline list: ◀️, «N of M», ▶️, drawn
the same way on plain inline keyboards (`pager_row`) and in dialogs (`dialog_pager`).

Pages are 0-based in code and callback data, 1-based on the buttons. Labels come from locale
keys: an arrow's key gets `page`, the (1-based) page it leads to, and the middle key gets `page`
and `pages`. ◀️ shows only when there is a page before, ▶️ only when there is one after, «N of M»
(unless switched off) only when there are several; a single page gets no buttons at all.

`page_count` and `clamp_page` are the arithmetic every paged screen does around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.types import CallbackQuery, InlineKeyboardButton
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.widgets.kbd import CurrentPage, Keyboard, NextPage, PrevPage, Row, StubScroll

from bot.telegram.dialogs import Tr
from bot.telegram.i18n import Translator

PREV = "btn-prev"
NEXT = "btn-next"
PAGE_OF = "page-of"


def page_count(total: int, size: int) -> int:
    """The number of pages `total` items fill, `size` to a page; at least one."""
    return max(1, -(-total // size))


def clamp_page(page: int, pages: int) -> int:
    """`page` brought into 0..pages-1 (a stale button may name a page that is gone)."""
    return min(max(page, 0), pages - 1)


def pager_row(
    t: Translator,
    page: int,
    pages: int,
    callback_for: Callable[[int], str],
    *,
    prev_key: str = PREV,
    next_key: str = NEXT,
    count_key: str | None = PAGE_OF,
) -> list[InlineKeyboardButton]:
    """The row for `page` of `pages` outside dialogs: feature handlers know their own callback
    data and hand a function from a page number to the packed data of that page. The middle
    button presses to the page on screen (a redraw that changes nothing)."""
    if pages <= 1:
        return []
    row = []
    if page > 0:
        row.append(_button(t(prev_key, page=page), callback_for(page - 1)))
    if count_key is not None:
        row.append(_button(t(count_key, page=page + 1, pages=pages), callback_for(page)))
    if page < pages - 1:
        row.append(_button(t(next_key, page=page + 2), callback_for(page + 1)))
    return row


def _button(text: str, callback_data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=callback_data)


def dialog_pager(
    scroll: str,
    *,
    pages: str | None = None,
    count: bool = True,
    prev_key: str = PREV,
    next_key: str = NEXT,
) -> Row:
    """The row under a dialog's list, turning the pages of the aiogram-dialog scroll `scroll`:
    a ScrollingGroup's id, or, with `pages` (the getter's field with the number of pages, for a
    list the getter reads a page at a time), the StubScroll the row holds. «N of M» is there with
    `count`; a press on it changes nothing and redraws nothing."""
    buttons: list[Keyboard] = [StubScroll(id=scroll, pages=pages)] if pages else []
    buttons.append(
        PrevPage(scroll, id=f"{scroll}_prev", text=Tr(prev_key, page="target_page1"), when=_before)
    )
    if count:
        of = Tr(PAGE_OF, page="current_page1", pages="pages")
        buttons.append(_PageOf(scroll, id=f"{scroll}_at", text=of, when=_several))
    buttons.append(
        NextPage(scroll, id=f"{scroll}_next", text=Tr(next_key, page="target_page1"), when=_after)
    )
    return Row(*buttons)


class _PageOf(CurrentPage):
    async def _process_item_callback(
        self, callback: CallbackQuery, data: str, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        manager.show_mode = ShowMode.NO_UPDATE  # the page on screen
        return True


def _before(data: dict[str, Any], *_: object) -> bool:
    return bool(data["current_page"] > 0)


def _after(data: dict[str, Any], *_: object) -> bool:
    return bool(data["current_page"] < data["pages"] - 1)


def _several(data: dict[str, Any], *_: object) -> bool:
    return bool(data["pages"] > 1)
