"""/start: greeting and onboarding, or the target of a deep link."""

from __future__ import annotations

from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.i18n import Translator
from handlers import onboarding, sections, settings
from handlers.keyboards import main_menu
from handlers.routes import Routes
from services import deeplinks
from services.localities import LocalityService
from services.profiles import Profile

router = Routes("start")

SECTION_OPENERS = {
    "catalog": sections.show_catalog,
    "consult": sections.show_consult,
    "events": sections.show_events,
    "help": sections.show_help,
}


@router.message(CommandStart(deep_link=True))
async def start_with_payload(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    localities: LocalityService,
) -> None:
    await state.clear()
    link = deeplinks.parse(command.args)
    if link is None:
        await message.answer(t("deeplink-unknown"), reply_markup=main_menu(t))
    elif link.kind == "settings":
        await settings.show_settings(message, t, profile, localities)
    elif link.kind in SECTION_OPENERS:
        await SECTION_OPENERS[link.kind](message, t)
    else:
        # Objects (programmes, events) arrive with their own issues; until then, say so plainly.
        await message.answer(t("deeplink-unknown"), reply_markup=main_menu(t))
    if not profile.onboarded:
        await message.answer(t("deeplink-finish-onboarding"))


@router.message(CommandStart())
async def start(message: Message, state: FSMContext, t: Translator, profile: Profile) -> None:
    await state.clear()
    if profile.onboarded:
        await message.answer(t("greeting-again"), reply_markup=main_menu(t))
        return
    await message.answer(t("greeting"), reply_markup=main_menu(t))
    await onboarding.begin(message, state, t)
