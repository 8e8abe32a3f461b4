"""What the composer's windows show: the draft's audience in words with its size, the toggles'
marks, the upcoming events to choose from, the recipients' count and the time format's example."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram_dialog import DialogManager

from bot.config import Settings
from bot.telegram.dates import when_text
from bot.telegram.i18n import Html, Translator
from handlers.audience import grades_text, places_text, roles_text
from handlers.broadcasts.draft import LANGUAGES, MAX_BUTTON_TEXT, audience_size
from services.broadcasts.service import TOPICS, BroadcastService
from services.catalog.localities import LocalityService
from services.events.service import DATE_FORMAT, EventService
from services.people.profiles import ROLES

EVENT_CHOICES = 8
EVENT_LABEL = 60  # characters of an event's button: its time and title


def _toggles(t: Translator, chosen: list[str], codes: tuple[str, ...], prefix: str) -> list[dict]:
    """Select items: a code, its label (already text, not HTML: a button shows it as is)."""
    return [
        {"id": code, "mark": "✅" if code in chosen else "⬜", "label": Html(t(f"{prefix}{code}"))}
        for code in codes
    ]


async def audience(
    dialog_manager: DialogManager,
    t: Translator,
    broadcasts: BroadcastService,
    localities: LocalityService,
    **_: Any,
) -> dict[str, Any]:
    draft = dialog_manager.dialog_data
    topics, roles, langs = draft.get("topics", []), draft.get("roles", []), draft.get("langs", [])
    return {
        "topics_text": ", ".join(t(f"subs-topic-{x}") for x in TOPICS if x in topics) or "—",
        "roles_text": roles_text(t, roles),
        "grades_text": grades_text(t, draft.get("gf"), draft.get("gt")),
        "places_text": await places_text(t, draft.get("places", []), localities),
        "languages_text": ", ".join(t(f"language-{x}") for x in LANGUAGES if x in langs)
        or t("segment-all-languages"),
        "size": await audience_size(broadcasts, draft),
        "topics": _toggles(t, topics, TOPICS, "subs-topic-"),
        "roles": _toggles(t, roles, ROLES, "event-role-"),
        "langs": _toggles(t, langs, LANGUAGES, "language-"),
    }


async def size(dialog_manager: DialogManager, broadcasts: BroadcastService, **_: Any) -> dict:
    return {"size": await audience_size(broadcasts, dialog_manager.dialog_data)}


async def events(
    dialog_manager: DialogManager, t: Translator, events: EventService, settings: Settings, **_: Any
) -> dict[str, Any]:
    items = []
    for item in await events.choices(EVENT_CHOICES):
        when = when_text(t, item.starts_at, settings.zone)
        room = max(EVENT_LABEL - len(when) - 3, 0)
        items.append({"id": item.id, "time": Html(when), "title": Html(item.title[:room])})
    return {"events": items, "no_events": not items}


async def limits(**_: Any) -> dict[str, Any]:
    return {"limit": str(MAX_BUTTON_TEXT)}


async def schedule(settings: Settings, **_: Any) -> dict[str, Any]:
    example = (datetime.now(UTC) + timedelta(days=1)).astimezone(settings.zone)
    return {
        "zone": settings.zone.key,
        "example": example.replace(hour=10, minute=0).strftime(DATE_FORMAT),
    }
