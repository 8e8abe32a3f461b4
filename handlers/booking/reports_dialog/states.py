"""The windows of /reports' dialog."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class StaffReports(StatesGroup):
    menu = State()
    period = State()  # this month, last month, this year, or type one
    typed_period = State()
    kind = State()  # XLSX, CSV or both, for the period chosen
    plan = State()  # the plan report of a year was sent above; other years
