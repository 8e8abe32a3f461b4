"""The catalogue's dialogs (browsing a direction with its filters; a centre's programmes) and
its typed prompt, a single state answered by one handler: staff's free seats. «Рядом» is a
dialog of its own (handlers/catalog/nearby)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class CatalogBrowse(StatesGroup):
    directions = State()
    programmes = State()  # a direction's programmes, a page at a time, with the filters
    age = State()  # the place is the locality picker's (handlers/pickers/locality)


class CentreProgrammes(StatesGroup):
    programmes = State()


class CatalogFlow(StatesGroup):
    seats = State()  # staff: the free seats of a programme
    opens = State()  # staff: the day a programme's enrolment opens


class CatalogCampaign(StatesGroup):
    openings = State()  # «📅 Когда начинается запись»: what opens when, a page at a time
