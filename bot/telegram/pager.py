"""The one row of buttons that turns the pages of a long inline list: ◀️, «N of M», ▶️.

Feature handlers know their own callback data; they hand `pager_row` a function from a page
number (0-based) to the packed callback data of that page, and put the row it returns under
their list. Pages are 0-based in code and callback data, 1-based on the buttons. Labels come
from locale keys: an arrow's key gets `page`, the (1-based) page it leads to, and the middle
key gets `page` and `pages`. The middle button, when shown, presses to the page on screen, so
a press redraws it (a no-op when nothing changed).

`page_count` and `clamp_page` are the arithmetic every paged screen does around it.
"""

from __future__ import annotations

from collections.abc import Callable

from aiogram.types import InlineKeyboardButton

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
    """◀️ (unless on the first page), «page of pages» (unless `count_key` is None) and ▶️
    (unless on the last page) for `page` of `pages`; no buttons at all for a single page."""
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
