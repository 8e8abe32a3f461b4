"""What the events' paged lists (families' and staff's) share: the database pages them
(services.events PER_PAGE a page), aiogram-dialog's StubScroll keeps the page on screen, and
its pager buttons keep our labels (◀️, «N из M», ▶️ as bot/telegram/pager.py draws them).

ScrollingGroup pages buttons it already holds; a list of events is paged in SQL instead, so
only one page is read per update: StubScroll is aiogram-dialog's scroll for that case.
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Keyboard, NextPage, PrevPage, Row, StubScroll

from bot.telegram.dialogs import Tr
from bot.telegram.i18n import Html
from bot.telegram.labels import LABEL_CHARS, cut_label
from bot.telegram.pager import NEXT, PAGE_OF, PREV
from services.events.service import EventPage

SCROLL = "page"
LABEL = LABEL_CHARS  # an event's button, with its number


def scroll() -> StubScroll:
    return StubScroll(id=SCROLL, pages="pages")


def _has_prev(data: dict[str, Any], widget: object, manager: DialogManager) -> bool:
    return data["current_page"] > 0


def _has_next(data: dict[str, Any], widget: object, manager: DialogManager) -> bool:
    return data["current_page"] < data["pages"] - 1


async def _stay(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.show_mode = ShowMode.NO_UPDATE  # the page on screen: nothing to redraw


def pager(*, count: bool = True) -> Row:
    """◀️ (not on the first page), «N из M» (with `count`, when there are several; a press
    does nothing), ▶️ (not on the last page). The getter gives `page1` and `pages`."""
    buttons: list[Keyboard] = [PrevPage(SCROLL, text=Tr(PREV, page="target_page1"), when=_has_prev)]
    if count:
        of = Tr(PAGE_OF, page="page1", pages="pages")
        buttons.append(Button(of, id="page_of", on_click=_stay, when=F["pages"] > 1))
    buttons.append(NextPage(SCROLL, text=Tr(NEXT, page="target_page1"), when=_has_next))
    return Row(*buttons)


async def current_page(manager: DialogManager) -> int:
    return int(await manager.find(SCROLL).get_page())


async def keep_page(manager: DialogManager, found: EventPage) -> None:
    """The page the database gave (a list that shrank, a forged page number) is the page on
    screen from now on."""
    if await current_page(manager) != found.page:
        await manager.find(SCROLL).set_page(found.page)


def label(n: int, title: str) -> Html:
    """An event's title for its button: cut to fit, and not escaped (a button's text is not
    HTML, so «&» must stay «&»)."""
    return Html(cut_label(title, LABEL - len(f"{n}. ")))


def item_arg(name: str) -> Any:
    """Tr's argument taken from the Select or List item being drawn."""
    return lambda data: data["item"][name]
