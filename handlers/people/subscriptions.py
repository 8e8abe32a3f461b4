"""Announcement subscriptions, opt-in: the topics offered at the end of onboarding (none ticked
in advance, «Готово» closes the offer) and the «🔔 Подписки» screen (settings, /subscribe).
Toggles are saved at once.

Subscribing needs consent on record (the profile's, any edition): someone without it is asked
first, and nothing is stored when they decline. Turning a topic off never needs it.
"""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram.i18n import Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from bot.telegram.screens import redraw
from handlers import pickers
from handlers.callback_types import one_of
from handlers.people.settings import SettingsItem
from handlers.pickers import ConsentAnswer
from handlers.routes import Routes
from services.broadcasts.service import TOPICS
from services.events.subscriptions import SubscriptionService
from services.people.profiles import Profile, ProfileService

router = Routes("subscriptions")
CONSENT_PURPOSE = "u"


class SubToggle(CallbackData, prefix="sub"):
    topic: one_of(*TOPICS)
    o: bool = False  # on the onboarding offer: «Готово» under the topics instead of «Назад»


class SubDone(CallbackData, prefix="subd"):
    pass


class SubsFlow(StatesGroup):
    consent = State()


def topic_names(t: Translator, topics: frozenset[str]) -> str:
    return ", ".join(t(f"subs-topic-{topic}") for topic in TOPICS if topic in topics)


def screen(
    t: Translator, topics: frozenset[str], *, offer: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for topic in TOPICS:
        mark = "✅" if topic in topics else "⬜"
        builder.button(
            text=f"{mark} {t(f'subs-topic-{topic}')}",
            callback_data=SubToggle(topic=topic, o=offer),
        )
    if offer:
        builder.button(text=t("btn-subs-done"), callback_data=SubDone())
    else:
        builder.button(text=t("btn-back"), callback_data=SettingsItem(item="back"))
    builder.adjust(1)
    if offer:
        return t("subs-offer"), builder.as_markup()
    return t("subs-screen" if topics else "subs-screen-none"), builder.as_markup()


async def offer(
    message: Message, t: Translator, subscriptions: SubscriptionService, user_id: int
) -> None:
    """Onboarding's last screen, after consent: the topics, ticked only if chosen before."""
    text, markup = screen(t, await subscriptions.topics(user_id), offer=True)
    await message.answer(text, reply_markup=markup)


def consent_screen(t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    rows = list(pickers.consent_keyboard(t, CONSENT_PURPOSE).inline_keyboard)
    rows.append([back_button(t)])
    text = t("subs-consent-intro") + "\n\n" + t("consent-text")
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def back_button(t: Translator) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=t("btn-back"), callback_data=SettingsItem(item="back").pack())


async def _entry(
    profile: Profile, state: FSMContext, t: Translator, subscriptions: SubscriptionService
) -> tuple[str, InlineKeyboardMarkup]:
    """The subscriptions screen, or the consent question first for someone without consent."""
    await state.clear()
    if not profile.consent_on_record:
        await state.set_state(SubsFlow.consent)
        return consent_screen(t)
    return screen(t, await subscriptions.topics(profile.user_id))


@router.callback_query(SettingsItem.filter(F.item == "subs"))
async def open_subscriptions(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    subscriptions: SubscriptionService,
) -> None:
    text, markup = await _entry(profile, state, t, subscriptions)
    await redraw(query, text, markup)


@router.message(Command("subscribe"))
async def subscribe_command(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    subscriptions: SubscriptionService,
) -> None:
    text, markup = await _entry(profile, state, t, subscriptions)
    await message.answer(text, reply_markup=markup)


@router.callback_query(SubsFlow.consent, ConsentAnswer.filter(F.purpose == CONSENT_PURPOSE))
async def consent_answered(
    query: CallbackQuery,
    callback_data: ConsentAnswer,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    subscriptions: SubscriptionService,
) -> None:
    await state.clear()
    if not callback_data.agree:
        markup = InlineKeyboardMarkup(inline_keyboard=[[back_button(t)]])
        await redraw(query, t("subs-consent-refused"), markup)
        return
    await profiles.give_consent(profile.user_id)
    text, markup = screen(t, await subscriptions.topics(profile.user_id))
    await redraw(query, text, markup)


@router.callback_query(SubToggle.filter(F.topic.in_(TOPICS)))
async def toggle(
    query: CallbackQuery,
    callback_data: SubToggle,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    subscriptions: SubscriptionService,
    callback_answer: CallbackAnswer,
) -> None:
    on = callback_data.topic not in await subscriptions.topics(profile.user_id)
    if on and not profile.consent_on_record:
        await state.set_state(SubsFlow.consent)
        text, markup = consent_screen(t)
        await redraw(query, text, markup)
        return
    topics = await subscriptions.set(profile.user_id, callback_data.topic, on)
    callback_answer.text = t("subs-on-toast" if callback_data.topic in topics else "subs-off-toast")
    text, markup = screen(t, topics, offer=callback_data.o)
    await redraw(query, text, markup)


@router.callback_query(SubDone.filter())
async def done(
    query: CallbackQuery, t: Translator, profile: Profile, subscriptions: SubscriptionService
) -> None:
    topics = await subscriptions.topics(profile.user_id)
    if topics:
        text = t("subs-chosen", topics=topic_names(t, topics))
    else:
        text = t("subs-chosen-none")
    await redraw(query, text, None)
