"""/settings: language, role, locality, child's age. Profile fields need consent first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.filters import Command, or_f
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.config import Settings
from bot.telegram import screens
from bot.telegram.dates import date_text
from bot.telegram.i18n import Locales, Translator
from bot.telegram.keyboards import InlineKeyboardBuilder
from handlers import pickers
from handlers.callback_types import Language, one_of
from handlers.filters import FreeText, MenuButton
from handlers.menu import main_menu, share_location
from handlers.pickers import AgeSkip, ConsentAnswer, LocalityPage, LocalityPick, RolePick
from handlers.routes import Routes
from services.catalog.localities import LocalityService, Place
from services.people.profiles import Profile, ProfileService, parse_age_or_grade

router = Routes("settings")
PURPOSE = "s"
NEEDS_CONSENT = ("role", "locality", "age")


class SettingsItem(CallbackData, prefix="set"):
    item: one_of("language", "role", "locality", "age", "subs", "back")


class LanguagePick(CallbackData, prefix="lang"):
    code: Language


class SettingsFlow(StatesGroup):
    consent = State()
    locality = State()
    age = State()


async def render(
    t: Translator, profile: Profile, localities: LocalityService, zone: ZoneInfo
) -> str:
    place = await localities.get(profile.locality_id)
    not_set = t("value-not-set")
    if profile.child_age is not None:
        child = t("child-age-value", age=profile.child_age)
    elif profile.child_grade is not None:
        child = t("child-grade-value", grade=profile.child_grade)
    else:
        child = not_set
    if profile.has_consent and profile.consent_at:
        consent = t("consent-status-given", date=date_text(t, profile.consent_at, zone))
    elif profile.consent_on_record and profile.consent_at:
        consent = t(  # still in force for announcements; profile answers ask for the new one
            "consent-status-earlier",
            date=date_text(t, profile.consent_at, zone),
            version=profile.consent_version or "",
        )
    else:
        consent = t("consent-status-none")
    return t(
        "settings-screen",
        language=t(f"language-{profile.locale}"),
        role=t(f"role-{profile.role}") if profile.role else not_set,
        locality=place.title(t.locale) if place else not_set,
        child=child,
        consent=consent,
    )


def settings_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for item in ("language", "role", "locality", "age"):
        builder.button(text=t(f"settings-btn-{item}"), callback_data=SettingsItem(item=item))
    # «🔔 Подписки»: its screen lives in handlers/people/subscriptions.py.
    builder.button(text=t("settings-btn-subs"), callback_data=SettingsItem(item="subs"))
    builder.adjust(2)
    return builder.as_markup()


def back_keyboard(
    t: Translator, builder: InlineKeyboardBuilder | None = None
) -> InlineKeyboardMarkup:
    builder = builder or InlineKeyboardBuilder()
    builder.button(text=t("btn-back"), callback_data=SettingsItem(item="back"))
    builder.adjust(1)
    return builder.as_markup()


async def show_settings(
    message: Message, t: Translator, profile: Profile, localities: LocalityService, zone: ZoneInfo
) -> None:
    text = await render(t, profile, localities, zone)
    await message.answer(text, reply_markup=settings_keyboard(t))


async def redraw(
    query: CallbackQuery,
    t: Translator,
    profile: Profile,
    localities: LocalityService,
    zone: ZoneInfo,
) -> None:
    await screens.redraw(
        query, await render(t, profile, localities, zone), reply_markup=settings_keyboard(t)
    )


@router.message(Command("settings"))
@router.message(MenuButton("menu-settings"))
async def settings_command(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    localities: LocalityService,
    settings: Settings,
) -> None:
    await state.clear()
    await show_settings(message, t, profile, localities, settings.zone)


@router.callback_query(SettingsItem.filter(F.item == "back"))
async def back(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    localities: LocalityService,
    settings: Settings,
) -> None:
    await state.clear()
    await redraw(query, t, profile, localities, settings.zone)


@router.callback_query(SettingsItem.filter(F.item == "language"))
async def language_menu(query: CallbackQuery, t: Translator, locales: Locales) -> None:
    builder = InlineKeyboardBuilder()
    for code in locales.available:
        builder.button(text=t(f"language-{code}"), callback_data=LanguagePick(code=code))
    await screens.redraw(query, t("settings-language-ask"), reply_markup=back_keyboard(t, builder))


@router.callback_query(LanguagePick.filter())
async def language_picked(
    query: CallbackQuery,
    callback_data: LanguagePick,
    locales: Locales,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    settings: Settings,
) -> None:
    if callback_data.code not in locales.available:
        return
    profile = await profiles.update(profile.user_id, locale=callback_data.code)
    t = locales.get(profile.locale)
    await redraw(query, t, profile, localities, settings.zone)
    await query.message.answer(t("settings-language-changed"), reply_markup=main_menu(t))


@router.callback_query(SettingsItem.filter(F.item.in_(NEEDS_CONSENT)))
async def profile_item(
    query: CallbackQuery,
    callback_data: SettingsItem,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    localities: LocalityService,
) -> None:
    if not profile.has_consent:
        await state.set_state(SettingsFlow.consent)
        await state.update_data(after_consent=callback_data.item)
        await screens.redraw(
            query, t("consent-text"), reply_markup=pickers.consent_keyboard(t, PURPOSE)
        )
        return
    await open_item(query, callback_data.item, state, t, localities)


async def open_item(
    query: CallbackQuery, item: str, state: FSMContext, t: Translator, localities: LocalityService
) -> None:
    if item == "role":
        await state.clear()
        await screens.redraw(
            query, t("onb-role-ask"), reply_markup=pickers.role_keyboard(t, PURPOSE)
        )
    elif item == "locality":
        await state.set_state(SettingsFlow.locality)
        page = await localities.page(0)
        await screens.redraw(
            query, t("locality-list"), reply_markup=pickers.locality_keyboard(t, page, PURPOSE)
        )
        await query.message.answer(t("locality-ask"), reply_markup=share_location(t))
    else:
        await state.set_state(SettingsFlow.age)
        builder = InlineKeyboardBuilder()
        builder.button(text=t("btn-clear-age"), callback_data=AgeSkip(purpose=PURPOSE))
        await screens.redraw(query, t("age-ask-settings"), reply_markup=back_keyboard(t, builder))


@router.callback_query(SettingsFlow.consent, ConsentAnswer.filter(F.purpose == PURPOSE))
async def consent_answered(
    query: CallbackQuery,
    callback_data: ConsentAnswer,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    settings: Settings,
) -> None:
    if not callback_data.agree:
        await state.clear()
        await screens.redraw(
            query,
            await render(t, profile, localities, settings.zone)
            + "\n\n"
            + t("consent-needed-for-profile"),
            reply_markup=settings_keyboard(t),
        )
        return
    item = (await state.get_data()).get("after_consent", "role")
    await profiles.give_consent(profile.user_id)
    await open_item(query, item, state, t, localities)


@router.callback_query(RolePick.filter(F.purpose == PURPOSE))
async def role_picked(
    query: CallbackQuery,
    callback_data: RolePick,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    settings: Settings,
) -> None:
    if not profile.has_consent:
        return
    profile = await profiles.update(profile.user_id, role=callback_data.role)
    await redraw(query, t, profile, localities, settings.zone)


@router.callback_query(SettingsFlow.locality, LocalityPage.filter(F.purpose == PURPOSE))
async def locality_page(
    query: CallbackQuery, callback_data: LocalityPage, t: Translator, localities: LocalityService
) -> None:
    await pickers.turn_locality_page(query, callback_data.page, PURPOSE, t, localities)


@router.callback_query(SettingsFlow.locality, LocalityPick.filter(F.purpose == PURPOSE))
async def locality_picked(
    query: CallbackQuery,
    callback_data: LocalityPick,
    state: FSMContext,
    t: Translator,
    callback_answer: CallbackAnswer,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    settings: Settings,
) -> None:
    place = await localities.get(callback_data.id)
    if place is None:
        callback_answer.text = t("locality-gone")
        callback_answer.show_alert = True
        return
    await screens.remove_buttons(query)
    await save_locality(
        query.message, state, t, place, profile, profiles, localities, settings.zone
    )


@router.message(SettingsFlow.locality, or_f(F.location, FreeText()))
async def locality_typed_or_shared(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    settings: Settings,
) -> None:
    place = await pickers.place_from_message(message, PURPOSE, t, localities)
    if place is not None:
        await save_locality(message, state, t, place, profile, profiles, localities, settings.zone)


async def save_locality(
    message: Message,
    state: FSMContext,
    t: Translator,
    place: Place,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    zone: ZoneInfo,
) -> None:
    await state.clear()
    profile = await profiles.update(profile.user_id, locality_id=place.id)
    await message.answer(t("settings-saved"), reply_markup=main_menu(t))
    await show_settings(message, t, profile, localities, zone)


@router.message(SettingsFlow.age, FreeText())
async def age_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    settings: Settings,
) -> None:
    parsed = parse_age_or_grade(message.text)
    if parsed is None:
        await message.answer(t("age-invalid"))
        return
    await state.clear()
    child_age, child_grade = parsed
    profile = await profiles.update(profile.user_id, child_age=child_age, child_grade=child_grade)
    await message.answer(t("settings-saved"), reply_markup=main_menu(t))
    await show_settings(message, t, profile, localities, settings.zone)


@router.callback_query(SettingsFlow.age, AgeSkip.filter(F.purpose == PURPOSE))
async def age_cleared(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    profiles: ProfileService,
    localities: LocalityService,
    settings: Settings,
) -> None:
    await state.clear()
    profile = await profiles.update(profile.user_id, child_age=None, child_grade=None)
    await redraw(query, t, profile, localities, settings.zone)
