"""A new event's draft in dialog_data (JSON: strings, numbers, lists; the start as an ISO
string) and its roles in the audience step's Multiselect; what it becomes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram_dialog import DialogManager

from services.events.service import EventCard, NewEvent
from services.people.profiles import ROLES

ROLES_WIDGET = "roles"


def roles_of(manager: DialogManager) -> list[str]:
    """The ticked roles in their usual order (a forged press cannot add another)."""
    widget = manager.find(ROLES_WIDGET)
    return [role for role in ROLES if widget.is_checked(role)]


def new_event(draft: dict[str, Any], roles: list[str]) -> NewEvent:
    return NewEvent(
        title=draft.get("title", ""),
        description=draft.get("description", ""),
        starts_at=datetime.fromisoformat(draft["starts"]),
        place=draft.get("place", ""),
        online_url=draft.get("online_url", ""),
        registration_url=draft.get("registration_url", ""),
        roles=tuple(roles),
        grade_from=draft.get("gf"),
        grade_to=draft.get("gt"),
        localities=tuple(draft.get("places", [])),
    )


def preview(new: NewEvent) -> EventCard:
    """The card families will see, before it is saved."""
    return EventCard(
        id=0,
        title=new.title,
        description=new.description,
        starts_at=new.starts_at,
        ends_at=None,
        place=new.place,
        online_url=new.online_url,
        registration_url=new.registration_url,
        roles=new.roles,
        grade_from=new.grade_from,
        grade_to=new.grade_to,
        localities=new.localities,
        topic=new.topic,
        hidden=False,
    )
