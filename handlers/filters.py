"""Filters shared by the routers.

Every filter here is a coroutine: aiogram runs a plain function or a magic filter (`F.text`)
in its thread pool, a hand-off to another thread and back for each check of each update.
"""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, TelegramObject, User
from aiogram_dialog import Dialog
from aiogram_dialog.utils import remove_intent_id

from bot.config import Settings
from bot.telegram.i18n import Locales
from handlers.menu import main_menu


class MenuButton(Filter):
    """A reply-keyboard press: the message text equals the button's label in any language."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._labels: frozenset[str] | None = None

    async def __call__(self, message: Message, locales: Locales) -> bool:
        if self._labels is None:
            self._labels = frozenset(locales.all(self.key))
        return message.text in self._labels


def menu_labels(locales: Locales) -> frozenset[str]:
    """The main menu's buttons and «✖️ Отмена», in every language."""
    labels: set[str] = set()
    for locale in locales.available:
        t = locales.get(locale)
        labels |= {button.text for row in main_menu(t).keyboard for button in row}
        labels.add(t("btn-cancel"))
    return frozenset(labels)


def is_command(text: str | None) -> bool:
    return text is not None and text.lstrip().startswith("/")


class NotCommandOrMenu(Filter):
    """Anything but a command or a press of a main-menu button: those leave any dialog and go
    to their own routers. For a dialog's catch-all (a sticker, a photo, a press-only step)."""

    def __init__(self) -> None:
        self._labels: frozenset[str] | None = None

    async def __call__(self, message: Message, locales: Locales) -> bool:
        if self._labels is None:
            self._labels = menu_labels(locales)
        return not is_command(message.text) and message.text not in self._labels


class FreeText(NotCommandOrMenu):
    """What a typed step takes: text that is neither a command nor a menu button."""

    async def __call__(self, message: Message, locales: Locales) -> bool:
        return message.text is not None and await super().__call__(message, locales)


class DialogPress(Filter):
    """A press on a dialog's own button (its data carries the dialog's intent id). aiogram-dialog
    would take any other press (an older message of another feature) as the open dialog's."""

    async def __call__(self, query: CallbackQuery) -> bool:
        intent_id, _data = remove_intent_id(query.data or "")
        return intent_id is not None


def is_staff(user_id: int, settings: Settings) -> bool:
    """Staff are the people of ADMIN_IDS, as the settings say now."""
    return user_id in settings.admin_ids


class StaffOnly(Filter):
    """The person is staff now: checked on every update of a staff router, so a person removed
    from the list mid-dialog can finish nothing of staff's."""

    async def __call__(
        self, event: TelegramObject, settings: Settings, event_from_user: User | None = None
    ) -> bool:
        return event_from_user is not None and is_staff(event_from_user.id, settings)


class PrivateChat(Filter):
    """The update comes from a private chat (a press: the chat of the message pressed on);
    `PrivateChat(False)`: from a group."""

    def __init__(self, private: bool = True) -> None:
        self.private = private

    async def __call__(self, event: TelegramObject) -> bool:
        if isinstance(event, Message | ChatMemberUpdated):
            chat = event.chat
        elif isinstance(event, CallbackQuery) and event.message is not None:
            chat = event.message.chat
        else:
            return False
        return (chat.type == "private") == self.private


class HasText(Filter):
    async def __call__(self, message: Message) -> bool:
        return message.text is not None


class SlashText(Filter):
    """Text that starts with «/», as a command does (a known command or not)."""

    async def __call__(self, message: Message) -> bool:
        return message.text is not None and message.text.startswith("/")


class ContentIs(Filter):
    """A message of one of these content types (aiogram-dialog's own `content_types` check is
    a magic filter, run in the thread pool)."""

    def __init__(self, *types: str) -> None:
        self.types = frozenset(types)

    async def __call__(self, message: Message) -> bool:
        return message.content_type in self.types


class Never(Filter):
    async def __call__(self, event: TelegramObject) -> bool:
        return False


def its_own(dialog: Dialog) -> Dialog:
    """Presses of the dialog's own buttons only (they carry its intent), and no typed text."""
    dialog.callback_query.filter(DialogPress())
    dialog.message.filter(Never())
    return dialog
