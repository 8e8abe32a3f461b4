"""Reply keyboards shared by several routers."""

from __future__ import annotations

from aiogram.types import KeyboardButton, ReplyKeyboardMarkup

from bot.telegram.i18n import Translator


def main_menu(t: Translator) -> ReplyKeyboardMarkup:
    """Built once per language: it goes out with a good share of all messages."""
    return t.memo("main-menu", lambda: _build_main_menu(t))


def _build_main_menu(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("menu-catalog")), KeyboardButton(text=t("menu-consult"))],
            [KeyboardButton(text=t("menu-events")), KeyboardButton(text=t("menu-settings"))],
            [KeyboardButton(text=t("menu-help"))],
        ],
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=t("menu-placeholder"),
    )


def share_location(t: Translator) -> ReplyKeyboardMarkup:
    """Location sharing needs a reply keyboard; the inline list stays as the fallback."""
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("btn-share-location"), request_location=True)],
            [KeyboardButton(text=t("btn-cancel"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
