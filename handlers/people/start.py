"""/start: greeting and onboarding, or the target of a deep link."""

from __future__ import annotations

from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.config import Settings
from bot.telegram.i18n import Translator
from handlers.catalog import browse as catalog_screens
from handlers.events import browse as events
from handlers.general import sections
from handlers.menu import main_menu
from handlers.people import onboarding
from handlers.people import settings as settings_screens
from handlers.routes import Routes
from services.catalog.browse import CatalogService
from services.catalog.localities import LocalityService
from services.people import deeplinks
from services.people.profiles import Profile

router = Routes("start")

SECTION_OPENERS = {
    "catalog": catalog_screens.show_catalog,
    "consult": sections.show_consult,
    "events": sections.show_events,
    "help": sections.show_help,
}
OBJECT_OPENERS = {
    "programme": catalog_screens.send_programme,
    "organisation": catalog_screens.send_centre,
    "event": events.open_from_link,
}


@router.message(CommandStart(deep_link=True))
async def start_with_payload(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    localities: LocalityService,
    catalog: CatalogService,
    settings: Settings,
) -> None:
    await state.clear()
    link = deeplinks.parse(command.args)
    if link is None:
        await message.answer(t("deeplink-unknown"), reply_markup=main_menu(t))
    elif link.kind == "settings":
        await settings_screens.show_settings(message, t, profile, localities, settings.zone)
    elif link.kind in SECTION_OPENERS:
        await SECTION_OPENERS[link.kind](message, t)
    elif link.kind in OBJECT_OPENERS:
        staff = catalog_screens.is_staff(profile.user_id, settings)
        opened = await OBJECT_OPENERS[link.kind](message, link.id, t, catalog, localities, staff)
        if not opened:
            await message.answer(t("deeplink-unknown"), reply_markup=main_menu(t))
    else:
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
