"""The locality picker's steps: the paged list (with a typed name or a shared location taken
too), then, for a name several localities match, those few."""

from aiogram.fsm.state import State, StatesGroup


class LocalityPicker(StatesGroup):
    choose = State()
    matches = State()
