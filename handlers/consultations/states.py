"""The consultation set-up's dialogs (staff): the set-up itself (lists, cards, whose days to
close), closing days (a sub-dialog started from a card or from «Закрыть дни»), and the list of
closed days."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ConsultSetup(StatesGroup):
    menu = State()
    services = State()
    service = State()
    specialists = State()
    specialist = State()
    organisations = State()
    organisation = State()
    close_organisations = State()  # whose days to close: organisations with specialists
    close_organisation = State()  # the whole organisation or one of its specialists


class CloseDays(StatesGroup):
    """start_data: {"kind": "s" (a specialist) or "p" (an organisation), "target": its id}."""

    days = State()
    reason = State()
    confirm = State()


class ClosedDays(StatesGroup):
    upcoming = State()
