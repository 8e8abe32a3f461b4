"""The list's data: one page of upcoming events, those that fit the profile or all of them."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Translator
from handlers.events.paging import current_page, keep_page, label
from handlers.pickers.child import for_whom, whom_data
from services.events.service import PER_PAGE, EventService, Viewer
from services.people.children import ChildService
from services.people.profiles import Profile

SHOW_ALL = "all"  # dialog_data: every upcoming event, not only those that fit the profile


async def viewer_of(manager: DialogManager, profile: Profile | None) -> Viewer:
    """The person's role and place, and the grade of the child the list is for (the only
    one, or the one chosen last: handlers/pickers/child.py)."""
    if profile is None:
        return Viewer()
    child = (await for_whom(manager.middleware_data)).child
    grade = child.grade(ChildService.today()) if child else None
    return Viewer.of(profile.role, grade, None, profile.locality_id)


async def child_chosen(manager: DialogManager, child: object) -> None:
    """«Для кого»: the list is drawn again for that child (its getter reads the choice)."""


async def events_page(
    dialog_manager: DialogManager,
    events: EventService,
    settings: Settings,
    t: Translator,
    profile: Profile | None = None,
    **_: Any,
) -> dict[str, Any]:
    show_all = bool(dialog_manager.dialog_data.get(SHOW_ALL))
    viewer = None if show_all else await viewer_of(dialog_manager, profile)
    found = await events.upcoming(viewer, await current_page(dialog_manager))
    await keep_page(dialog_manager, found)
    items = [
        {
            "id": item.id,
            "n": n,
            "at": when_text(t, item.starts_at, settings.zone),
            "title": item.title,
            "label": label(n, item.title),
        }
        for n, item in enumerate(found.items, start=found.page * PER_PAGE + 1)
    ]
    return {
        "events": items,
        "shown": bool(items),
        "all": show_all,
        "total": found.total,
        "pages": found.pages,
        **await whom_data(dialog_manager),
    }
