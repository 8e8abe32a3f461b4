"""What the events' paged lists (families' and staff's) share: the database pages them
(services.events PER_PAGE a page), and the StubScroll of bot/telegram/pager.py's dialog_pager
(`SCROLL`, its pages the getter's `pages`) keeps the page on screen.

ScrollingGroup pages buttons it already holds; a list of events is paged in SQL instead, so
only one page is read per update: StubScroll is aiogram-dialog's scroll for that case.
"""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.i18n import Html
from bot.telegram.labels import LABEL_CHARS, cut_label
from services.events.service import EventPage

SCROLL = "page"
LABEL = LABEL_CHARS  # an event's button, with its number


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
