"""Onboarding's answers. They stay in the dialog's data until consent; only then do they reach
the profile (the age becomes the first child: services/people/children.py). Declining keeps
nothing of them and subscribes to nothing; agreeing ends with the announcement topics offered,
none ticked in advance (handlers/people/subscriptions)."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import ManagedTextInput
from aiogram_dialog.widgets.kbd import Button

from bot.telegram.dialogs import translator
from handlers.menu import main_menu
from handlers.people.onboarding.states import Onboarding
from handlers.people.say import say
from handlers.people.subscriptions import offer_topics
from handlers.pickers.locality import chosen_locality, pick_locality
from handlers.pickers.widgets import AGREE, Age
from services.people.children import ChildRefused, ChildService, Given
from services.people.profiles import Profile, ProfileService

ANSWERS = ("role", "locality_id")
AGE = "age"  # dialog data: [age, grade] typed, the first child once consent is given


async def role_chosen(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data["role"] = button.widget_id
    await pick_locality(manager)


async def back_to_locality(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await pick_locality(manager)


async def locality_result(start_data: Any, result: Any, manager: DialogManager) -> None:
    locality_id = chosen_locality(result)
    if locality_id is None:  # «◀️ Назад» from the list: the role again
        await manager.switch_to(Onboarding.role)
        return
    place = await manager.middleware_data["localities"].get(locality_id)
    if place is None:
        return
    manager.dialog_data["locality_id"] = place.id
    t = translator(manager)
    await say(manager, t("locality-chosen", name=place.title(t.locale)), main_menu(t))
    await manager.switch_to(Onboarding.age, show_mode=ShowMode.SEND)  # below that message


async def age_typed(
    message: Message, widget: ManagedTextInput[Age], manager: DialogManager, age: Age
) -> None:
    manager.dialog_data[AGE] = list(age)
    await ask_consent(manager)


async def age_skipped(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(AGE, None)
    await ask_consent(manager)


async def ask_consent(manager: DialogManager) -> None:
    profile: Profile = manager.middleware_data["profile"]
    if profile.has_consent:
        await finish(manager, agreed=True)
    else:
        await manager.switch_to(Onboarding.consent)


async def consent_answered(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await finish(manager, agreed=button.widget_id == AGREE)


async def _first_child(manager: DialogManager, user_id: int, given: Given) -> None:
    """The age answered is the first child's; someone who has children already (onboarding
    again) gets this one added unless it is one of them."""
    children: ChildService = manager.middleware_data["children"]
    with contextlib.suppress(ChildRefused):
        await children.add(user_id, given)


async def finish(manager: DialogManager, *, agreed: bool) -> None:
    profile: Profile = manager.middleware_data["profile"]
    profiles: ProfileService = manager.middleware_data["profiles"]
    fields = {key: manager.dialog_data.get(key) for key in ANSWERS} if agreed else {}
    profile = await profiles.finish_onboarding(profile.user_id, consent=agreed, **fields)
    manager.middleware_data["profile"] = profile
    age = manager.dialog_data.get(AGE)
    if agreed and age:
        await _first_child(manager, profile.user_id, Given(age=age[0], grade=age[1]))
    t = translator(manager)
    if not agreed:  # nothing kept beyond the language, nothing subscribed, nothing sent
        await manager.done()
        await say(manager, t("onb-done-anonymous"), main_menu(t))
        return
    await say(manager, t("onb-done"), main_menu(t))
    # The last screen: announcement topics, opt-in, none ticked in advance.
    await offer_topics(manager)
