"""Links between features: `/start <payload>` deep links (QR codes, shared cards, broadcasts'
buttons), `Open` buttons and the main menu's sections. The feature that owns a thing answers
for it, and no feature imports another's handlers:

- a section (the catalogue, consultations, events, help) opens with its first screen, one
  `Section` each, gathered in `Sections` (handlers/__init__.py) and handed to handlers as the
  `sections` keyword: /start <section> opens it, and a feature may show another's section
  keyboard under its own words (search offers the catalogue's directions);
- an object (a programme, a centre, an event) is opened by its feature's own handler, which
  aiogram finds like any other: `deep_link(kind)` on that feature's links router, tried before
  /start's (handlers/__init__.py), and `Open` for a button another feature drew.

So /start (handlers/people/start.py) knows no feature: it answers what nobody else took.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram.filters import CommandObject, CommandStart, Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State
from aiogram.types import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup
from aiogram_dialog import DialogManager, StartMode

from bot.telegram.i18n import Translator
from handlers.callback_types import Id, one_of
from services.people import deeplinks
from services.people.profiles import Profile


class Open(CallbackData, prefix="open"):
    """A button that opens an object's card; the object's feature answers it."""

    kind: one_of(*deeplinks.OBJECTS)
    id: Id


class BookConsult(CallbackData, prefix="bookc"):
    """A button that starts booking a consultation (on this topic, a consultation service's id;
    0 to choose it); the booking feature answers it."""

    service: Id


class OpenSection(CallbackData, prefix="sec"):
    """A button that opens a main-menu section's first screen (handlers/search/replies.py)."""

    name: one_of(*deeplinks.SECTIONS)


class LinkTo(Filter):
    """The payload of a /start (CommandStart before it gives `command`) names one of `kinds`;
    the handler gets it as `link`."""

    def __init__(self, *kinds: str) -> None:
        self.kinds = frozenset(kinds)

    async def __call__(self, message: Message, command: CommandObject) -> bool | dict[str, Any]:
        link = deeplinks.parse(command.args)
        if link is None or link.kind not in self.kinds:
            return False
        return {"link": link}


def deep_link(*kinds: str) -> tuple[Filter, Filter]:
    """The filters of a handler that opens these kinds of deep link."""
    return CommandStart(deep_link=True), LinkTo(*kinds)


async def remind_onboarding(message: Message, t: Translator, profile: Profile) -> None:
    """Said after whatever a deep link opened, to someone who has not finished onboarding."""
    if not profile.onboarded:
        await message.answer(t("deeplink-finish-onboarding"))


Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup


@dataclass(frozen=True, slots=True)
class Section:
    """A main-menu section's first screen: its text's key and its keyboard, or its dialog (then
    the keyboard is what another feature shows of it)."""

    text: str
    keyboard: Callable[[Translator], Keyboard]
    dialog: State | None = None

    async def open(self, message: Message, t: Translator, dialog_manager: DialogManager) -> None:
        if self.dialog is not None:
            await dialog_manager.start(self.dialog, mode=StartMode.RESET_STACK)
        else:
            await message.answer(t(self.text), reply_markup=self.keyboard(t))


class Sections:
    """The sections by their deep-link names (services.people.deeplinks.SECTIONS)."""

    def __init__(self, **sections: Section) -> None:
        unknown = set(sections) - set(deeplinks.SECTIONS)
        if unknown:
            raise ValueError(f"not a section: {sorted(unknown)}")
        self._sections = sections

    def get(self, name: str) -> Section | None:
        return self._sections.get(name)

    def __getitem__(self, name: str) -> Section:
        return self._sections[name]
