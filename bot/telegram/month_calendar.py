"""A month calendar for dialogs where only some days may be chosen: aiogram-dialog's Calendar
with our own days view and texts from locales (month names `month-1`…`month-12`, weekday
headers `weekday-0`…`weekday-6`, arrows `btn-prev` / `btn-next`).

The window's getter gives, by field names the widget is told:
  `days`   the ISO days that can be chosen (a list of strings);
  `first`, `last`  the ISO bounds (e.g. today in the configured zone and the horizon);
  `start`  the ISO day whose month is shown first (optional).
Days of the month that cannot be chosen (before `first`, after `last`, or not in `days`) are
greyed out: «·». Every cell is a button (Telegram wants callback data); a press on a greyed or
foreign cell, or a month beyond the bounds, gets a toast (`closed_key`) and changes nothing.
A day within the bounds goes to `on_click(event, widget, manager, day)`, which checks it
again with the services (the getter's list may be minutes old). Weeks wholly outside the
bounds are left out. Only the days scope is shown: there is no zoom to months or years.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from aiogram.types import CallbackQuery, InlineKeyboardButton
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.protocols import DialogProtocol
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.kbd import Calendar, CalendarConfig, CalendarScope
from aiogram_dialog.widgets.kbd.calendar_kbd import (
    CalendarDaysView,
    CalendarUserConfig,
    OnDateSelected,
    date_from_raw,
    next_month_begin,
    prev_month_begin,
    raw_from_date,
)
from aiogram_dialog.widgets.text import Const, Text

from bot.telegram.dialogs import Tr, toast, translator

NEXT, PREVIOUS, NOOP = "+", "-", "0"
MAX_RAW = raw_from_date(date(2100, 12, 31))


class Keyed(Text):
    """A locale key chosen by the cell's data (e.g. `weekday-3`), rendered with no arguments."""

    def __init__(self, key: Callable[[dict[str, Any]], str]) -> None:
        super().__init__()
        self.key = key

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return translator(manager)(self.key(data))


class MonthTitle(Text):
    """«Ноябрь 2026» / «November 2026»."""

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        shown: date = data["date"]
        return f"{translator(manager)(f'month-{shown.month}')} {shown.year}"


class DayNumber(Text):
    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return str(data["date"].day)


class OpenDaysView(CalendarDaysView):
    """◀️ title ▶️, the weekdays, then the weeks: chosen-able days by number, the rest «·»."""

    def __init__(self, callback: Callable[[str], str], closed_text: Text) -> None:
        super().__init__(
            callback,
            date_text=DayNumber(),
            today_text=DayNumber(),
            weekday_text=Keyed(lambda data: f"weekday-{data['week_day'] - 1}"),
            header_text=MonthTitle(),
            next_month_text=Tr("btn-next"),
            prev_month_text=Tr("btn-prev"),
        )
        self.callback = callback
        self.closed_text = closed_text

    async def _button(self, text: Text, data: dict[str, Any], manager: DialogManager, code: str):  # type: ignore[no-untyped-def]
        label = await text.render_text(data, manager)
        return InlineKeyboardButton(text=label, callback_data=self.callback(code))

    async def render(
        self, config: CalendarConfig, offset: date, data: dict, manager: DialogManager
    ) -> list[list[InlineKeyboardButton]]:
        month = offset.replace(day=1)
        cell = {"date": month, "data": data}
        header = [await self._button(self.header_text, cell, manager, NOOP)]
        if month > config.min_date:  # the month before has days from `first` on
            header.insert(0, await self._button(self.prev_month_text, cell, manager, PREVIOUS))
        if next_month_begin(month) <= config.max_date:
            header.append(await self._button(self.next_month_text, cell, manager, NEXT))
        weekdays = [
            await self._button(self.weekday_text, {"week_day": n + 1, "data": data}, manager, NOOP)
            for n in range(7)
        ]
        return [header, weekdays, *await self._weeks(config, month, data, manager)]

    async def _weeks(
        self, config: CalendarConfig, month: date, data: dict, manager: DialogManager
    ) -> list[list[InlineKeyboardButton]]:
        open_days = set(data.get("open_days", ()))
        rows = []
        day = month - timedelta(days=month.weekday())
        following = next_month_begin(month)
        while day < following:
            if day + timedelta(days=6) < config.min_date or day > config.max_date:
                day += timedelta(days=7)
                continue
            week = []
            for _ in range(7):
                cell = {"date": day, "data": data}
                if day.month != month.month:
                    week.append(await self._button(self.closed_text, cell, manager, NOOP))
                elif day.isoformat() in open_days:
                    week.append(
                        await self._button(self.date_text, cell, manager, str(raw_from_date(day)))
                    )
                else:
                    week.append(
                        await self._button(self.closed_text, cell, manager, str(raw_from_date(day)))
                    )
                day += timedelta(days=1)
            rows.append(week)
        return rows


class DaysCalendar(Calendar):
    def __init__(
        self,
        id: str,
        on_click: OnDateSelected,
        *,
        days: str,
        first: str,
        last: str,
        start: str = "",
        closed_key: str,
        closed_text: Text | None = None,
        when: WhenCondition = None,
    ) -> None:
        self.fields = (days, first, last, start)
        self.closed_key = closed_key
        self.closed_text = closed_text or Const("·")
        super().__init__(id, on_click=on_click, when=when)

    def _init_views(self) -> dict[CalendarScope, OpenDaysView]:
        view = OpenDaysView(self._item_callback_data, self.closed_text)
        return dict.fromkeys(CalendarScope, view)

    async def _get_user_config(self, data: dict, manager: DialogManager) -> CalendarUserConfig:
        _days, first, last, _start = self.fields
        return CalendarUserConfig(
            min_date=date.fromisoformat(data[first]), max_date=date.fromisoformat(data[last])
        )

    async def _render_keyboard(self, data: dict, manager: DialogManager) -> list:
        days, first, last, start = self.fields
        config = self.config.merge(await self._get_user_config(data, manager))
        offset = self.get_offset(manager)
        if offset is None:
            offset = date.fromisoformat(data.get(start) or data[first])
        offset = min(max(offset, config.min_date), config.max_date).replace(day=1)
        self.set_offset(offset, manager)
        bounds = self.get_widget_data(manager, {})
        bounds.update(first=data[first], last=data[last])
        view_data = {**data, "open_days": data.get(days, ())}
        return await self.views[CalendarScope.DAYS].render(config, offset, view_data, manager)

    def bounds(self, manager: DialogManager) -> tuple[date, date] | None:
        """The bounds of the calendar as last shown (kept in the dialog's widget data)."""
        shown = self.get_widget_data(manager, {})
        if "first" not in shown:
            return None
        return date.fromisoformat(shown["first"]), date.fromisoformat(shown["last"])

    def refuse(self, manager: DialogManager) -> None:
        """A toast; the calendar stays as it is (no redraw: it would change nothing)."""
        toast(manager, self.closed_key)
        manager.show_mode = ShowMode.NO_UPDATE

    async def _process_item_callback(
        self, callback: CallbackQuery, data: str, dialog: DialogProtocol, manager: DialogManager
    ) -> bool:
        bounds, offset = self.bounds(manager), self.get_offset(manager)
        if bounds is None or offset is None:
            self.refuse(manager)
            return True
        first, last = bounds
        if data in (NEXT, PREVIOUS):
            month = next_month_begin(offset) if data == NEXT else prev_month_begin(offset)
            if next_month_begin(month) <= first or month > last:
                self.refuse(manager)
                return True
            self.set_offset(month, manager)
            return True
        day = date_from_raw(int(data)) if data.isdecimal() and int(data) <= MAX_RAW else None
        if day is None or not first <= day <= last:
            self.refuse(manager)
            return True
        await self.on_click.process_event(manager.event, self.managed(manager), manager, day)
        return True
