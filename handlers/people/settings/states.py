"""The settings' steps: the screen with every setting, and one step a setting; the locality is
the locality picker's (handlers/pickers/locality), the topics the subscriptions dialog's."""

from aiogram.fsm.state import State, StatesGroup


class SettingsMenu(StatesGroup):
    main = State()
    language = State()
    role = State()
    consent = State()
