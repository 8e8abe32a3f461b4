"""Data of the editor's windows: a page of events (hidden ones too), an event's card, and the
draft's example date, audience and preview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Translator
from handlers.audience import grades_text, places_text, roles_text
from handlers.events.cards import card_text
from handlers.events.editor.draft import new_event, preview, roles_of
from handlers.events.paging import current_page, keep_page, label
from services.catalog.localities import LocalityService
from services.events.service import DATE_FORMAT, PER_PAGE, EventService
from services.people.profiles import ROLES

EVENT = "event"  # dialog_data: the event whose card is open
PUBLISHED = "published"  # dialog_data: the title just published, said once on its card


async def events_page(
    dialog_manager: DialogManager, events: EventService, settings: Settings, t: Translator, **_: Any
) -> dict[str, Any]:
    found = await events.upcoming(None, await current_page(dialog_manager), staff=True)
    await keep_page(dialog_manager, found)
    items = [
        {
            "id": item.id,
            "n": n,
            "at": when_text(t, item.starts_at, settings.zone),
            "title": item.title,
            "hidden": item.hidden,
            "label": label(n, item.title),
        }
        for n, item in enumerate(found.items, start=found.page * PER_PAGE + 1)
    ]
    return {
        "events": items,
        "shown": bool(items),
        "total": found.total,
        "pages": found.pages,
    }


async def event_card(
    dialog_manager: DialogManager,
    events: EventService,
    settings: Settings,
    t: Translator,
    localities: LocalityService,
    **_: Any,
) -> dict[str, Any]:
    card = await events.get(dialog_manager.dialog_data.get(EVENT, 0))
    published = dialog_manager.dialog_data.pop(PUBLISHED, None)
    if card is None:
        return {"found": False, "hidden": False, "published": None, "card": ""}
    return {
        "found": True,
        "hidden": card.hidden,
        "published": published,
        "card": await card_text(t, card, settings.zone, localities),
    }


async def starts_example(settings: Settings, **_: Any) -> dict[str, Any]:
    example = (datetime.now(UTC) + timedelta(days=7)).astimezone(settings.zone)
    return {
        "zone": settings.zone.key,
        "example": example.replace(hour=15, minute=0).strftime(DATE_FORMAT),
    }


async def audience(
    dialog_manager: DialogManager, t: Translator, localities: LocalityService, **_: Any
) -> dict[str, Any]:
    draft = dialog_manager.dialog_data
    return {
        "roles": [{"id": role, "name": t(f"event-role-{role}")} for role in ROLES],
        "roles_text": roles_text(t, roles_of(dialog_manager)),
        "grades": grades_text(t, draft.get("gf"), draft.get("gt")),
        "places": await places_text(t, draft.get("places", []), localities),
    }


async def confirm(
    dialog_manager: DialogManager,
    settings: Settings,
    t: Translator,
    localities: LocalityService,
    **_: Any,
) -> dict[str, Any]:
    card = preview(new_event(dialog_manager.dialog_data, roles_of(dialog_manager)))
    return {"card": await card_text(t, card, settings.zone, localities)}
