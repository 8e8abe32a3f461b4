"""First-contact questions: role → locality → child's age → consent → announcement topics.

Answers stay in the conversation state until consent; only then do they reach the profile.
Declining keeps nothing of them and subscribes to nothing; agreeing ends with the topics
offered, none ticked in advance (handlers/people/subscriptions.py).
"""

from __future__ import annotations

from aiogram import F
from aiogram.filters import or_f
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.telegram import screens
from bot.telegram.i18n import Translator
from handlers import pickers
from handlers.filters import FreeText
from handlers.menu import main_menu, share_location
from handlers.people.subscriptions import offer as offer_topics
from handlers.pickers import AgeSkip, ConsentAnswer, LocalityPage, LocalityPick, RolePick
from handlers.routes import Routes
from services.catalog.localities import LocalityService, Place
from services.events.subscriptions import SubscriptionService
from services.people.profiles import Profile, ProfileService, parse_age_or_grade

router = Routes("onboarding")
# Its buttons are tried early (only onboarding makes them); its text steps stay late, after the
# menu buttons and commands.
buttons = Routes("onboarding_buttons")
PURPOSE = "o"


class Onboarding(StatesGroup):
    role = State()
    locality = State()
    age = State()
    consent = State()


async def begin(message: Message, state: FSMContext, t: Translator) -> None:
    await state.set_state(Onboarding.role)
    await message.answer(t("onb-role-ask"), reply_markup=pickers.role_keyboard(t, PURPOSE))


@buttons.callback_query(Onboarding.role, RolePick.filter(F.purpose == PURPOSE))
async def role_chosen(
    query: CallbackQuery,
    callback_data: RolePick,
    state: FSMContext,
    t: Translator,
    localities: LocalityService,
) -> None:
    await state.update_data(role=callback_data.role)
    await screens.redraw(query, t("onb-role-chosen", role=t(f"role-{callback_data.role}")))
    await ask_locality(query.message, state, t, localities)


async def ask_locality(
    message: Message, state: FSMContext, t: Translator, localities: LocalityService
) -> None:
    await state.set_state(Onboarding.locality)
    await message.answer(t("locality-ask"), reply_markup=share_location(t))
    page = await localities.page(0)
    await message.answer(
        t("locality-list"), reply_markup=pickers.locality_keyboard(t, page, PURPOSE)
    )


@buttons.callback_query(Onboarding.locality, LocalityPage.filter(F.purpose == PURPOSE))
async def locality_page(
    query: CallbackQuery, callback_data: LocalityPage, t: Translator, localities: LocalityService
) -> None:
    await pickers.turn_locality_page(query, callback_data.page, PURPOSE, t, localities)


@buttons.callback_query(Onboarding.locality, LocalityPick.filter(F.purpose == PURPOSE))
async def locality_picked(
    query: CallbackQuery,
    callback_data: LocalityPick,
    state: FSMContext,
    t: Translator,
    callback_answer: CallbackAnswer,
    localities: LocalityService,
) -> None:
    place = await localities.get(callback_data.id)
    if place is None:
        callback_answer.text = t("locality-gone")
        callback_answer.show_alert = True
        return
    await screens.remove_buttons(query)
    await locality_chosen(query.message, state, t, place)


@router.message(Onboarding.locality, or_f(F.location, FreeText()))
async def locality_typed_or_shared(
    message: Message, state: FSMContext, t: Translator, localities: LocalityService
) -> None:
    place = await pickers.place_from_message(message, PURPOSE, t, localities)
    if place is not None:
        await locality_chosen(message, state, t, place)


async def locality_chosen(message: Message, state: FSMContext, t: Translator, place: Place) -> None:
    await state.update_data(locality_id=place.id)
    await message.answer(
        t("locality-chosen", name=place.title(t.locale)), reply_markup=main_menu(t)
    )
    await state.set_state(Onboarding.age)
    await message.answer(t("age-ask"), reply_markup=pickers.age_keyboard(t, PURPOSE))


@router.message(Onboarding.age, FreeText())
async def age_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    subscriptions: SubscriptionService,
) -> None:
    parsed = parse_age_or_grade(message.text)
    if parsed is None:
        await message.answer(t("age-invalid"), reply_markup=pickers.age_keyboard(t, PURPOSE))
        return
    child_age, child_grade = parsed
    await state.update_data(child_age=child_age, child_grade=child_grade)
    await ask_consent(message, state, t, profile, profiles, subscriptions)


@buttons.callback_query(Onboarding.age, AgeSkip.filter(F.purpose == PURPOSE))
async def age_skipped(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    subscriptions: SubscriptionService,
) -> None:
    await screens.remove_buttons(query)
    await ask_consent(query.message, state, t, profile, profiles, subscriptions)


async def ask_consent(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    subscriptions: SubscriptionService,
) -> None:
    if profile.has_consent:
        await finish(message, state, t, profile, profiles, subscriptions, agreed=True)
        return
    await state.set_state(Onboarding.consent)
    await message.answer(t("consent-text"), reply_markup=pickers.consent_keyboard(t, PURPOSE))


@buttons.callback_query(Onboarding.consent, ConsentAnswer.filter(F.purpose == PURPOSE))
async def consent_answered(
    query: CallbackQuery,
    callback_data: ConsentAnswer,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    subscriptions: SubscriptionService,
) -> None:
    answer_key = "consent-given" if callback_data.agree else "consent-refused"
    await screens.append(query, t(answer_key))
    await finish(
        query.message, state, t, profile, profiles, subscriptions, agreed=callback_data.agree
    )


async def finish(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    subscriptions: SubscriptionService,
    *,
    agreed: bool,
) -> None:
    user_id = profile.user_id
    fields: dict[str, object] = {}
    if agreed:
        answers = await state.get_data()
        fields = {k: answers.get(k) for k in ("role", "locality_id", "child_age", "child_grade")}
    await profiles.finish_onboarding(user_id, consent=agreed, **fields)
    await state.clear()
    if not agreed:  # nothing kept beyond the language, nothing subscribed, nothing sent
        await message.answer(t("onb-done-anonymous"), reply_markup=main_menu(t))
        return
    await message.answer(t("onb-done"), reply_markup=main_menu(t))
    # The last screen: announcement topics, opt-in, none ticked in advance.
    await offer_topics(message, t, subscriptions, user_id)
