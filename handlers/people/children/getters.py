"""What the children's windows show: the list, a child's card, the steps' questions."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

from bot.telegram.i18n import Html, Translator
from handlers.pickers.child import child_title, plain_title
from services.catalog.terms import DIRECTIONS
from services.people.children import MAX_CHILDREN, NAME_MAX, Child, ChildService
from services.people.profiles import Profile

CHILD = "child"  # dialog data: the child being edited (its id); none while adding


async def current(manager: DialogManager) -> Child | None:
    child_id = manager.dialog_data.get(CHILD)
    if child_id is None:
        return None
    children: ChildService = manager.middleware_data["children"]
    profile: Profile = manager.middleware_data["profile"]
    return await children.get(profile.user_id, child_id)


def _interests(t: Translator, codes: tuple[str, ...]) -> str:
    return ", ".join(t(f"direction-{code}") for code in codes) if codes else t("value-not-set")


async def listing(
    dialog_manager: DialogManager, t: Translator, profile: Profile, children: ChildService, **_: Any
) -> dict[str, Any]:
    kids = await children.list(profile.user_id)
    today = children.today()
    return {
        "count": len(kids),
        "any": bool(kids),
        "lines": Html(
            "\n".join(
                t("children-line", n=n, child=child_title(t, child, today))
                for n, child in enumerate(kids, start=1)
            )
        ),
        "kids": [{"id": child.id, "label": plain_title(t, child, today)} for child in kids],
        "room": len(kids) < MAX_CHILDREN,
        "refusal": _refusal(dialog_manager, t),
    }


def _refusal(manager: DialogManager, t: Translator) -> Html | str:
    """A refusal said once in the window (services/people/children.py ChildRefused)."""
    key = manager.dialog_data.pop("refusal", "")
    return Html(t(key, limit=MAX_CHILDREN, length=NAME_MAX)) if key else ""


async def card(dialog_manager: DialogManager, t: Translator, **_: Any) -> dict[str, Any]:
    child = await current(dialog_manager)
    if child is None:
        return {"gone": True, "refusal": _refusal(dialog_manager, t)}
    today = ChildService.today()
    return {
        "gone": False,
        "child": child_title(t, child, today),
        "interests": Html(_interests(t, child.interests)),
        "health": Html(t("children-health-yes" if child.health_needs else "children-health-no")),
        "noted": child.noted_on.strftime("%d.%m.%Y"),
        "refusal": _refusal(dialog_manager, t),
    }


async def step(dialog_manager: DialogManager, profile: Profile, **_: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    return {
        "kind": profile.role or "",  # a pupil is asked about themselves
        "invalid": data.pop("invalid", ""),
        "adding": data.get(CHILD) is None,
        "editing": data.get(CHILD) is not None,
        "limit": NAME_MAX,
    }


async def directions(t: Translator, **_: Any) -> dict[str, Any]:
    return {
        "directions": [{"id": code, "label": Html(t(f"direction-{code}"))} for code in DIRECTIONS]
    }
