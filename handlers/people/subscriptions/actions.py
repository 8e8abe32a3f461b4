"""Announcement subscriptions, opt-in: toggles saved at once; subscribing needs consent on
record (the profile's, any edition) — someone without it is asked first, and nothing is stored
when they decline. Turning a topic off never needs it."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button

from bot.telegram.dialogs import toast, translator
from bot.telegram.i18n import Translator
from bot.telegram.screens import redraw
from handlers.people.subscriptions.getters import CHOSEN
from handlers.people.subscriptions.states import Subscriptions
from handlers.pickers.widgets import AGREE
from services.broadcasts.service import TOPICS
from services.events.subscriptions import SubscriptionService
from services.people.profiles import Profile, ProfileService


def topic_names(t: Translator, topics: frozenset[str]) -> str:
    return ", ".join(t(f"subs-topic-{topic}") for topic in TOPICS if topic in topics)


async def started(start_data: Any, manager: DialogManager) -> None:
    profile: Profile = manager.middleware_data["profile"]
    if not profile.consent_on_record:
        await manager.switch_to(Subscriptions.consent)


async def toggle(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    topic = button.widget_id
    profile: Profile = manager.middleware_data["profile"]
    subscriptions: SubscriptionService = manager.middleware_data["subscriptions"]
    on = topic not in await subscriptions.topics(profile.user_id)
    if on and not profile.consent_on_record:  # consent withdrawn since the screen was drawn
        await manager.switch_to(Subscriptions.consent)
        return
    topics = await subscriptions.set(profile.user_id, topic, on)
    manager.dialog_data[CHOSEN] = sorted(topics)  # drawn from what was saved
    toast(manager, "subs-on-toast" if topic in topics else "subs-off-toast")


async def consent_answered(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    if button.widget_id != AGREE:
        await manager.switch_to(Subscriptions.refused)
        return
    profiles: ProfileService = manager.middleware_data["profiles"]
    profile: Profile = manager.middleware_data["profile"]
    manager.middleware_data["profile"] = await profiles.give_consent(profile.user_id)
    await manager.switch_to(Subscriptions.topics)


async def done(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """The offer's «Готово»: it turns into what was chosen, without buttons; the dialog ends."""
    t = translator(manager)
    profile: Profile = manager.middleware_data["profile"]
    topics = await manager.middleware_data["subscriptions"].topics(profile.user_id)
    if topics:
        text = t("subs-chosen", topics=topic_names(t, topics))
    else:
        text = t("subs-chosen-none")
    await redraw(query, text, None)
    await manager.done(show_mode=ShowMode.NO_UPDATE)  # its buttons are gone already
