"""The children's steps: the list, one child's card, removing it (confirmed), and the steps of
adding one (name → age → interests → ОВЗ) that editing reuses one at a time."""

from aiogram.fsm.state import State, StatesGroup


class Children(StatesGroup):
    list = State()
    card = State()
    remove = State()
    name = State()
    age = State()
    interests = State()
    health = State()
