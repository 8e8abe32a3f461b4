"""Main menu sections, reachable by reply-keyboard buttons, commands and deep links."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.telegram.i18n import Translator
from handlers.booking import wizard as booking
from handlers.events import browse as events
from handlers.filters import MenuButton
from handlers.menu import main_menu
from handlers.routes import Routes

router = Routes("sections")


async def show_menu(message: Message, t: Translator) -> None:
    await message.answer(t("menu-shown"), reply_markup=main_menu(t))


async def show_help(message: Message, t: Translator) -> None:
    await message.answer(t("help-text"), reply_markup=main_menu(t))


async def show_consult(message: Message, t: Translator) -> None:
    await booking.show_entry(message, t)


async def show_events(message: Message, t: Translator, **data: Any) -> None:
    await events.show_events(message, t, **data)


@router.message(Command("menu"))
async def menu_command(message: Message, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await show_menu(message, t)


@router.message(Command("help"))
@router.message(MenuButton("menu-help"))
async def help_command(message: Message, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await show_help(message, t)


@router.message(MenuButton("menu-consult"))
async def consult_button(message: Message, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await show_consult(message, t)


@router.message(MenuButton("menu-events"))
async def events_button(message: Message, t: Translator, state: FSMContext, **data: Any) -> None:
    await state.clear()
    await show_events(message, t, **data)
