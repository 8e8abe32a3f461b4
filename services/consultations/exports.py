"""The consultation set-up as an XLSX workbook in the import's format (hidden rows too), so
that export → edit → import changes only what was edited; and the shipped template.

Days off are exported from today on: past ones no longer matter and would only grow the file.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import (
    ConsultService,
    Locality,
    Provider,
    ScheduleException,
    ScheduleTemplate,
    Specialist,
    specialist_services,
)
from services.consultations.columns import FORMAT_WORDS, NOTES_TITLE, SHEETS, WEEKDAYS

Destination = str | Path | BinaryIO
Rows = dict[str, list[tuple[Any, ...]]]
YES, NO = "да", "нет"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    services: int
    providers: int
    specialists: int


def _hhmm(minute: int | None) -> str | None:
    return None if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


async def setup_rows(sessions: async_sessionmaker[AsyncSession], today: date) -> Rows:
    async with sessions() as session:
        services = (
            (await session.execute(select(ConsultService).order_by(ConsultService.external_id)))
            .scalars()
            .all()
        )
        providers = (
            (await session.execute(select(Provider).order_by(Provider.external_id))).scalars().all()
        )
        specialists = (
            (await session.execute(select(Specialist).order_by(Specialist.external_id)))
            .scalars()
            .all()
        )
        templates = (
            (
                await session.execute(
                    select(ScheduleTemplate).order_by(
                        ScheduleTemplate.specialist_id,
                        ScheduleTemplate.weekday,
                        ScheduleTemplate.start_minute,
                    )
                )
            )
            .scalars()
            .all()
        )
        exceptions = (
            (
                await session.execute(
                    select(ScheduleException)
                    .where(ScheduleException.last_day >= today)
                    .order_by(ScheduleException.first_day, ScheduleException.id)
                )
            )
            .scalars()
            .all()
        )
        links = (await session.execute(select(specialist_services))).all()
        localities = (await session.execute(select(Locality))).scalars().all()
    places = _place_names(localities)
    service_ref = {s.id: s.external_id for s in services}
    provider_ref = {p.id: p.external_id for p in providers}
    specialist_ref = {s.id: s.external_id for s in specialists}
    offered: dict[int, list[str]] = {}
    for specialist_id, service_id in links:
        offered.setdefault(specialist_id, []).append(service_ref[service_id])
    return {
        "services": [
            (s.external_id, s.name, s.name_en or None, NO if s.active else YES) for s in services
        ],
        "providers": [
            (
                p.external_id,
                p.name,
                places.get(p.locality_id),
                p.address or None,
                p.phone or None,
                NO if p.active else YES,
            )
            for p in providers
        ],
        "specialists": [
            (
                s.external_id,
                s.name,
                s.position or None,
                provider_ref[s.provider_id],
                ", ".join(sorted(offered.get(s.id, []))),
                ", ".join(FORMAT_WORDS[f] for f in s.formats.split(",") if f in FORMAT_WORDS),
                NO if s.active else YES,
            )
            for s in specialists
        ],
        "templates": [
            (
                specialist_ref[t.specialist_id],
                WEEKDAYS[t.weekday],
                _hhmm(t.start_minute),
                _hhmm(t.end_minute),
                t.slot_minutes,
                _hhmm(t.break_start_minute),
                _hhmm(t.break_end_minute),
            )
            for t in templates
        ],
        "exceptions": [
            (
                specialist_ref.get(e.specialist_id) if e.specialist_id else None,
                None,
                _day(e.first_day),
                _day(e.last_day),
                e.reason or None,
            )
            for e in exceptions
        ],
    }


def _place_names(localities: list[Locality]) -> dict[int, str]:
    """Russian names; "Name (district)" where two places share a name (as the import reads)."""
    counts: dict[str, int] = {}
    for place in localities:
        key = place.name.lower().replace("ё", "е")
        counts[key] = counts.get(key, 0) + 1
    return {
        place.id: place.name
        if counts[place.name.lower().replace("ё", "е")] == 1
        else f"{place.name} ({place.district})"
        for place in localities
    }


async def export_setup(
    sessions: async_sessionmaker[AsyncSession], destination: Destination, today: date
) -> ExportSummary:
    rows = await setup_rows(sessions, today)
    await asyncio.to_thread(write_workbook, rows, destination)
    return ExportSummary(len(rows["services"]), len(rows["providers"]), len(rows["specialists"]))


def write_workbook(rows: Rows, destination: Destination) -> None:
    """A sheet per kind (every cell text, as staff type it), then the notes on the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet in SHEETS:
        page = book.create_sheet(sheet.title)
        page.append([column.header + ("*" if column.required else "") for column in sheet.columns])
        for cell in page[1]:
            cell.font = bold
        for row in rows.get(sheet.kind, []):
            page.append(list(row))
        for index, column in enumerate(sheet.columns, start=1):
            page.column_dimensions[get_column_letter(index)].width = max(
                14, min(len(column.header) + 4, 40)
            )
            for cell in page[get_column_letter(index)][1:]:
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
        page.freeze_panes = "A2"
    notes = book.create_sheet(NOTES_TITLE)
    notes.append(["Лист", "Столбец", "Обязательный", "Что писать"])
    for cell in notes[1]:
        cell.font = bold
    for sheet in SHEETS:
        for column in sheet.columns:
            notes.append([sheet.title, column.header, YES if column.required else "", column.note])
    for letter, width in zip("ABCD", (16, 24, 14, 80), strict=True):
        notes.column_dimensions[letter].width = width
    book.save(destination)


# Example rows: their ids (ОБРАЗЕЦ-…) match nothing real, and an import refuses them
# (services/example_ids.py), so the template's examples never overwrite real data.
TEMPLATE_ROWS: Rows = {
    "services": [("ОБРАЗЕЦ-S1", "Психолого-педагогическая помощь", "Psychological help", NO)],
    "providers": [("ОБРАЗЕЦ-P1", "МАОУ «Средняя школа № 12»", "Томск", "ул. Ленина, 41", None, NO)],
    "specialists": [
        (
            "ОБРАЗЕЦ-E1",
            "Кравцова Ольга Викторовна",
            "педагог-психолог",
            "ОБРАЗЕЦ-P1",
            "ОБРАЗЕЦ-S1",
            "очно, по телефону",
            NO,
        )
    ],
    "templates": [
        ("ОБРАЗЕЦ-E1", "пн", "09:00", "13:00", 45, "11:15", "11:30"),
        ("ОБРАЗЕЦ-E1", "ср", "14:00", "17:00", 45, None, None),
    ],
    "exceptions": [("ОБРАЗЕЦ-E1", None, "31.12.2099", "08.01.2100", "новогодние каникулы")],
}


def write_template(destination: Destination) -> None:
    """data/consultations_template.xlsx: python -m services.consultations.exports PATH."""
    write_workbook(TEMPLATE_ROWS, destination)


if __name__ == "__main__":
    import sys

    write_template(sys.argv[1] if len(sys.argv) > 1 else "data/consultations_template.xlsx")
