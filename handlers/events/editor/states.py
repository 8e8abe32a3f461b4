"""The staff's event editor: the list and an event's card; a new event's steps (a dialog
started over the list, so leaving it returns there and drops the draft)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class EventAdmin(StatesGroup):
    listing = State()
    card = State()


class EventDraft(StatesGroup):
    title = State()
    description = State()
    starts = State()
    place = State()
    registration = State()
    audience = State()
    grades = State()
    places = State()
    confirm = State()
