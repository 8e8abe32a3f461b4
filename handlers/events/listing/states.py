"""The families' events section: its intro (/start events) and the paged list."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class EventsSection(StatesGroup):
    intro = State()
    listing = State()
