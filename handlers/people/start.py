"""/start: greeting and onboarding, or the target of a deep link.

Deep links to objects (programmes, centres, events) are opened by their features' routers,
tried before this one (handlers/links.py); here: the settings, the main menu's sections, and
a polite answer to a link nobody took.
"""

from __future__ import annotations

from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_dialog import DialogManager

from bot.telegram.i18n import Translator
from handlers.conversation import leave
from handlers.links import Sections, remind_onboarding
from handlers.menu import main_menu
from handlers.people.onboarding import begin as begin_onboarding
from handlers.people.settings import open_settings
from handlers.routes import Routes
from services.people import deeplinks
from services.people.profiles import Profile

router = Routes("start")


@router.message(CommandStart(deep_link=True))
async def start_with_payload(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    sections: Sections,
    dialog_manager: DialogManager,
) -> None:
    await leave(state, dialog_manager)
    link = deeplinks.parse(command.args)
    section = sections.get(link.kind) if link is not None else None
    if link is not None and link.kind == "settings":
        await open_settings(dialog_manager)
    elif section is not None:
        await section.open(message, t, dialog_manager)
    else:
        await message.answer(t("deeplink-unknown"), reply_markup=main_menu(t))
    await remind_onboarding(message, t, profile)


@router.message(CommandStart())
async def start(
    message: Message,
    state: FSMContext,
    t: Translator,
    profile: Profile,
    dialog_manager: DialogManager,
) -> None:
    await leave(state, dialog_manager)
    if profile.onboarded:
        await message.answer(t("greeting-again"), reply_markup=main_menu(t))
        return
    await message.answer(t("greeting"), reply_markup=main_menu(t))
    await begin_onboarding(dialog_manager)
