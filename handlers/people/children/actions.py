"""The children's presses and typed answers. Adding keeps the answers in the dialog's data
and stores the child at the last step; editing stores each answer at once. A refusal (an age
out of range, a duplicate, too many children) is said in the window, nothing stored."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button, ManagedMultiselect

from bot.telegram.dialogs import toast
from handlers.callback_types import parse_id
from handlers.people.children.getters import CHILD, current
from handlers.people.children.states import Children
from services.people.children import (
    MAX_CHILDREN,
    ChildRefused,
    ChildService,
    Given,
    clean_name,
    parse_given,
)
from services.people.profiles import Profile

INTERESTS = "interests"  # the multiselect's id


def _service(manager: DialogManager) -> ChildService:
    return manager.middleware_data["children"]


def _user(manager: DialogManager) -> int:
    profile: Profile = manager.middleware_data["profile"]
    return profile.user_id


def name_of(text: str) -> str | None:
    """The typed name as stored; a ValueError (said as «too long») past NAME_MAX."""
    try:
        return clean_name(text)
    except ChildRefused as refused:
        raise ValueError(refused.reason) from None


def given_of(text: str) -> Given:
    given = parse_given(text, ChildService.today())
    if given is None:
        raise ValueError(text)
    return given


async def name_invalid(message: Message, widget: Any, manager: DialogManager, error: Any) -> None:
    manager.dialog_data["invalid"] = "children-name-invalid"


async def age_invalid(message: Message, widget: Any, manager: DialogManager, error: Any) -> None:
    manager.dialog_data["invalid"] = "children-age-invalid"


# --- the list and a card ----------------------------------------------------------------------
async def add(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    if await _service(manager).count(_user(manager)) >= MAX_CHILDREN:
        toast(manager, "children-refused-too_many", alert=True, limit=MAX_CHILDREN)
        manager.show_mode = ShowMode.NO_UPDATE
        return
    for key in (CHILD, "name", "given"):
        manager.dialog_data.pop(key, None)
    await manager.find(INTERESTS).reset_checked()
    await manager.switch_to(Children.name)


async def child_opened(
    query: CallbackQuery, widget: object, manager: DialogManager, item_id: str
) -> None:
    child_id = parse_id(item_id)
    child = await _service(manager).get(_user(manager), child_id) if child_id else None
    if child is None:
        toast(manager, "button-outdated")
        return
    manager.dialog_data[CHILD] = child.id
    await manager.switch_to(Children.card)


async def to_list(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(CHILD, None)
    await manager.switch_to(Children.list)


async def edit_interests(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    child = await current(manager)
    if child is None:
        await to_list(query, button, manager)
        return
    chosen: ManagedMultiselect[str] = manager.find(INTERESTS)
    await chosen.reset_checked()
    for code in child.interests:
        await chosen.set_checked(code, True)
    await manager.switch_to(Children.interests)


async def removed(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    child_id = manager.dialog_data.pop(CHILD, None)
    if child_id is not None and await _service(manager).remove(_user(manager), child_id):
        toast(manager, "children-removed")
    await manager.switch_to(Children.list)


# --- the steps: adding (one after another) or editing (one, back to the card) ------------------
async def _refused(manager: DialogManager, reason: str) -> None:
    key = f"children-refused-{reason}"
    manager.dialog_data["refusal"] = key
    await manager.switch_to(Children.card if manager.dialog_data.get(CHILD) else Children.list)


async def _edit(manager: DialogManager, **changes: object) -> None:
    try:
        await _service(manager).edit(_user(manager), manager.dialog_data[CHILD], **changes)
    except ChildRefused as refused:
        await _refused(manager, refused.reason)
        return
    await manager.switch_to(Children.card)


async def name_typed(
    message: Message, widget: ManagedTextInput[str | None], manager: DialogManager, name: Any
) -> None:
    if manager.dialog_data.get(CHILD) is not None:
        await _edit(manager, name=name)
        return
    manager.dialog_data["name"] = name
    await manager.switch_to(Children.age)


async def name_skipped(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    if manager.dialog_data.get(CHILD) is not None:  # «Убрать имя»
        await _edit(manager, name=None)
        return
    manager.dialog_data["name"] = None
    await manager.switch_to(Children.age)


async def age_typed(
    message: Message, widget: ManagedTextInput[Given], manager: DialogManager, given: Given
) -> None:
    if manager.dialog_data.get(CHILD) is not None:
        await _edit(manager, given=given)
        return
    manager.dialog_data["given"] = [given.age, given.grade, given.birth_year]
    await manager.switch_to(Children.interests)


async def interests_done(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    chosen: ManagedMultiselect[str] = manager.find(INTERESTS)
    codes = tuple(chosen.get_checked())
    if manager.dialog_data.get(CHILD) is not None:
        await _edit(manager, interests=codes)
        return
    manager.dialog_data[INTERESTS] = list(codes)
    await manager.switch_to(Children.health)


async def health_answered(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    needs = button.widget_id == "health_yes"
    if manager.dialog_data.get(CHILD) is not None:
        await _edit(manager, health_needs=needs)
        return
    data = manager.dialog_data
    given = data.get("given")
    if not given:  # the steps were not walked in order (a stale button)
        await manager.switch_to(Children.list)
        return
    try:
        child = await _service(manager).add(
            _user(manager),
            Given(*given),
            name=data.get("name"),
            interests=tuple(data.get(INTERESTS, ())),
            health_needs=needs,
        )
    except ChildRefused as refused:
        await _refused(manager, refused.reason)
        return
    for key in ("name", "given", INTERESTS):
        data.pop(key, None)
    toast(manager, "children-added")
    data[CHILD] = child.id
    await manager.switch_to(Children.card)


async def step_back(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """Editing: back to the card; adding: back to the list."""
    await manager.switch_to(Children.card if manager.dialog_data.get(CHILD) else Children.list)
