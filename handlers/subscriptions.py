"""«🔔 Подписки» (from the settings screen): the announcement topics, toggled and saved at once.

Defaults by role are given when onboarding finishes (`give_defaults`) and, for someone who
skipped onboarding, the first time this screen opens.
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.callback_types import one_of
from handlers.factories import session_factories
from handlers.routes import Routes
from handlers.screens import redraw
from handlers.settings import SettingsItem
from services.broadcast import TOPICS
from services.profiles import Profile
from services.subscriptions import SubscriptionService, defaults_for

router = Routes("subscriptions")


class SubToggle(CallbackData, prefix="sub"):
    topic: one_of(*TOPICS)


def subscription_service(data: dict[str, Any]) -> SubscriptionService:
    return SubscriptionService(*session_factories(data))


async def give_defaults(data: dict[str, Any], profile: Profile, role: str | None) -> frozenset[str]:
    """Onboarding's end: the role's default topics, unless the person has chosen already.
    Returns the topics the person is subscribed to now."""
    subscriptions = subscription_service(data)
    if await subscriptions.ensure_defaults(profile.user_id, role):
        return frozenset(defaults_for(role)) & frozenset(TOPICS)
    return await subscriptions.topics(profile.user_id)


def topic_names(t: Translator, topics: frozenset[str]) -> str:
    return ", ".join(t(f"subs-topic-{topic}") for topic in TOPICS if topic in topics)


def defaults_note(t: Translator, topics: frozenset[str]) -> str:
    """What onboarding tells about announcements, and how to change them."""
    if not topics:
        return t("subs-onboarding-none")
    return t("subs-onboarding", topics=topic_names(t, topics))


def screen(t: Translator, topics: frozenset[str]) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for topic in TOPICS:
        mark = "✅" if topic in topics else "⬜"
        builder.button(
            text=f"{mark} {t(f'subs-topic-{topic}')}", callback_data=SubToggle(topic=topic)
        )
    builder.button(text=t("btn-back"), callback_data=SettingsItem(item="back"))
    builder.adjust(1)
    key = "subs-screen" if topics else "subs-screen-none"
    return t(key), builder.as_markup()


@router.callback_query(SettingsItem.filter(F.item == "subs"))
async def open_subscriptions(
    query: CallbackQuery, state: FSMContext, t: Translator, profile: Profile, **data: Any
) -> None:
    await state.clear()
    subscriptions = subscription_service(data)
    await subscriptions.ensure_defaults(profile.user_id, profile.role)
    text, markup = screen(t, await subscriptions.topics(profile.user_id))
    await redraw(query, text, markup)


@router.callback_query(SubToggle.filter(F.topic.in_(TOPICS)))
async def toggle(
    query: CallbackQuery,
    callback_data: SubToggle,
    t: Translator,
    profile: Profile,
    callback_answer: CallbackAnswer,
    **data: Any,
) -> None:
    topics = await subscription_service(data).toggle(profile.user_id, callback_data.topic)
    on = callback_data.topic in topics
    callback_answer.text = t("subs-on-toast" if on else "subs-off-toast")
    text, markup = screen(t, topics)
    await redraw(query, text, markup)
