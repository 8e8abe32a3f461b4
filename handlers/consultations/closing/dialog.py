"""The closing dialog (started with {"kind", "target"}): the days (typed, a date or a period;
or the first and the last picked on a calendar from today on), the reason (typed, or none),
the confirmation with the count of bookings it cancels. Back steps back (from the days: to
where it started); «✖️ Отмена» ends it with nothing changed."""

from __future__ import annotations

from aiogram import F
from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Back, Button, Cancel

from bot.telegram.dialogs import Tr
from bot.telegram.month_calendar import DaysCalendar
from handlers.consultations.closing import actions, getters
from handlers.consultations.states import CloseDays
from handlers.filters import FreeText


def _cancel() -> Button:
    return Button(Tr("scadm-btn-cancel"), id="cancel", on_click=actions.cancel)


def closing_dialog() -> Dialog:
    return Dialog(
        Window(
            Tr("scadm-ask-days", target="target", example="example"),
            Tr("scadm-days-or-pick", when=~F["picked"]),
            Tr("scadm-days-pick-last", first="picked", when="picked"),
            DaysCalendar(
                "days_calendar",
                actions.day_picked,
                days="open",
                first="first_day",
                last="last_day",
                closed_key="scadm-days-past",
            ),
            TextInput(id="days", on_success=actions.days_typed, filter=FreeText()),
            MessageInput(actions.not_text, content_types=ContentType.ANY),
            Cancel(Tr("scadm-btn-back"), id="days_back"),
            _cancel(),
            state=CloseDays.days,
            getter=getters.ask_days,
        ),
        Window(
            Tr("scadm-ask-reason", days="days", max="max"),
            TextInput(id="reason", on_success=actions.reason_typed, filter=FreeText()),
            MessageInput(actions.not_text, content_types=ContentType.ANY),
            Button(Tr("scadm-btn-no-reason"), id="no_reason", on_click=actions.no_reason),
            Back(Tr("scadm-btn-back"), id="reason_back"),
            _cancel(),
            state=CloseDays.reason,
            getter=getters.ask_reason,
        ),
        Window(
            Tr(
                "scadm-confirm",
                when="found",
                target="target",
                days="days",
                reason="reason",
                count="count",
            ),
            Tr("scadm-gone-toast", when="gone"),
            Button(Tr("scadm-btn-confirm"), id="confirm", on_click=actions.close, when="found"),
            Back(Tr("scadm-btn-back"), id="confirm_back"),
            _cancel(),
            state=CloseDays.confirm,
            getter=getters.confirm,
        ),
    )
