"""Who an announcement is for, in words: roles, school grades and localities, as the event
wizard and the broadcast composer show and toggle them."""

from __future__ import annotations

from bot.telegram.i18n import Translator
from services.catalog.localities import LocalityService
from services.people.profiles import ROLES


def grade_range_text(t: Translator, first: int | None, last: int | None) -> str:
    first, last = first or 1, last or 11
    if first == last:
        return t("event-grade-one", grade=first)
    return t("event-grades", first=first, last=last)


def grades_text(t: Translator, first: int | None, last: int | None) -> str:
    if first is None and last is None:
        return t("segment-all-grades")
    return grade_range_text(t, first, last)


def roles_text(t: Translator, roles: list[str] | tuple[str, ...]) -> str:
    if not roles:
        return t("segment-all-roles")
    return ", ".join(t(f"event-role-{role}") for role in ROLES if role in roles)


async def places_text(t: Translator, ids: list[int], localities: LocalityService) -> str:
    names = []
    for locality_id in ids:
        place = await localities.get(locality_id)
        if place is not None:
            names.append(place.title(t.locale))
    return ", ".join(names) if names else t("segment-all-places")


def toggle(items: list[str], item: str) -> list[str]:
    """The chosen codes with `item` added, or taken out when it was there."""
    return [i for i in items if i != item] if item in items else [*items, item]
