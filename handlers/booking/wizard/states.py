"""The consultation dialogs' states: the section (its first screen, my bookings, cancelling
one), booking a consultation, and moving a booking to another time."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Consultations(StatesGroup):
    intro = State()  # «Записаться» / «Мои записи»
    limit = State()  # already as many active bookings as allowed
    mine = State()  # my bookings, each with «Отменить» and «Перенести»
    reason = State()  # why cancel (typed, or «Без причины»)


class Booking(StatesGroup):
    """In the order Back walks them."""

    topic = State()
    organisation = State()
    specialist = State()
    day = State()
    time = State()
    format = State()
    notice = State()  # who sees the booking's data, for how long
    name = State()
    phone = State()
    age = State()
    question = State()
    confirm = State()
    taken = State()  # the time was taken meanwhile: alternatives
    clash = State()  # the parent has another booking at that time


class Reschedule(StatesGroup):
    day = State()
    time = State()
    confirm = State()
    taken = State()
    clash = State()
