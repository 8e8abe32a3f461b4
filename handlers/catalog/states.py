"""The catalogue's dialogs (browsing a direction with its filters; a centre's programmes) and
its two typed prompts, each a single state answered by one handler: «nearby»'s place and
staff's free seats."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class CatalogBrowse(StatesGroup):
    directions = State()
    programmes = State()  # a direction's programmes, a page at a time, with the filters
    age = State()
    place = State()


class CentreProgrammes(StatesGroup):
    programmes = State()


class CatalogFlow(StatesGroup):
    nearby = State()  # a location, a typed locality or one picked from the list
    seats = State()  # staff: the free seats of a programme
