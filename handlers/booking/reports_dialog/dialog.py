"""/reports as a dialog: menu → the export's period (presets, or typed) → file kind; menu →
the plan report, then other years. Back from every window to the one before; commands and
main-menu buttons typed in the typed-period window go to their own routers."""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Row, SwitchTo

from bot.telegram.dialogs import Tr
from handlers.booking.reports_dialog import actions, getters
from handlers.booking.reports_dialog.states import StaffReports
from handlers.filters import FreeText


def _back(to: object, id: str) -> SwitchTo:
    return SwitchTo(Tr("btn-back"), id=id, state=to)


def reports_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("srep-menu"),
            Button(Tr("srep-btn-day"), id="day", on_click=actions.by_day),
            SwitchTo(Tr("srep-btn-export"), id="export", state=StaffReports.period),
            Button(Tr("srep-btn-plan"), id="plan", on_click=actions.plan),
            state=StaffReports.menu,
        ),
        Window(
            Tr("srep-export-ask-period"),
            Row(
                Button(Tr("srep-btn-period-month"), id="month", on_click=actions.preset),
                Button(Tr("srep-btn-period-last-month"), id="last_month", on_click=actions.preset),
            ),
            Row(
                Button(Tr("srep-btn-period-year"), id="year", on_click=actions.preset),
                SwitchTo(
                    Tr("srep-btn-period-custom"), id="custom", state=StaffReports.typed_period
                ),
            ),
            _back(StaffReports.menu, "period_back"),
            state=StaffReports.period,
        ),
        Window(
            Tr("srep-export-type-period"),
            TextInput(id="typed", on_success=actions.period_typed, filter=FreeText()),
            MessageInput(actions.not_text, content_types=ContentType.ANY),
            _back(StaffReports.period, "typed_back"),
            state=StaffReports.typed_period,
        ),
        Window(
            Tr("srep-export-ask-kind", period="period"),
            Row(
                Button(Tr("srep-btn-kind-xlsx"), id="xlsx", on_click=actions.export),
                Button(Tr("srep-btn-kind-csv"), id="csv", on_click=actions.export),
            ),
            Button(Tr("srep-btn-kind-both"), id="both", on_click=actions.export),
            _back(StaffReports.period, "kind_back"),
            state=StaffReports.kind,
            getter=getters.kind,
        ),
        Window(
            Tr("srep-plan-other-year", year="year"),
            Row(
                Button(
                    Tr("srep-btn-plan-year", year="prev"),
                    id="prev_year",
                    on_click=actions.other_year,
                    when="has_prev",
                ),
                Button(
                    Tr("srep-btn-plan-year", year="next"),
                    id="next_year",
                    on_click=actions.other_year,
                    when="has_next",
                ),
            ),
            _back(StaffReports.menu, "plan_back"),
            state=StaffReports.plan,
            getter=getters.plan,
        ),
    )
