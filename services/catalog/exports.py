"""Catalogue export in the import's column format: every organisation and programme, hidden
ones too, so that export → import changes nothing.

CSV is written with ";" and a UTF-8 BOM (what Russian Excel opens by double-click); XLSX with
numbers as numbers and a second sheet explaining the columns. The format follows the file
name's extension.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Locality, Organisation, Programme
from services.catalog.columns import COLUMNS, PROGRAMME_REQUIRED
from services.catalog.imports import file_kind
from services.catalog.terms import COSTS, DIRECTIONS, FORMATS, ORG_TYPES

Destination = str | Path | BinaryIO
Row = tuple[Any, ...]

SHEET_TITLE = "Каталог"
NOTES_TITLE = "Пояснения"
YES, NO = "да", "нет"
# Characters an XLSX file cannot hold (control characters other than tab and newlines).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WIDTHS = {"description": 50, "org_name": 40, "name": 36, "address": 30, "schedule": 24}


@dataclass(frozen=True, slots=True)
class ExportSummary:
    organisations: int
    programmes: int


async def catalog_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> tuple[list[Row], ExportSummary]:
    """The catalogue as file rows (typed values, None for an empty cell), organisations by
    their id, each followed by its programmes; an organisation without any gets one row."""
    organisations = Organisation.__table__
    programmes = Programme.__table__
    async with sessions() as session:
        places = (await session.execute(select(Locality))).scalars().all()
        org_rows = (
            await session.execute(select(organisations).order_by(organisations.c.external_id))
        ).all()
        programme_rows = (
            await session.execute(
                select(programmes).order_by(programmes.c.organisation_id, programmes.c.external_id)
            )
        ).all()
    locality_names = _locality_names(places)
    by_org: dict[int, list[Any]] = {}
    for programme in programme_rows:
        by_org.setdefault(programme.organisation_id, []).append(programme)

    rows: list[Row] = []
    for org in org_rows:
        org_part = (
            org.external_id,
            org.name,
            ORG_TYPES.get(org.type, org.type),
            locality_names.get(org.locality_id, ""),
            org.address or None,
            org.latitude,
            org.longitude,
            org.phone or None,
            org.website or None,
            org.hours or None,
            YES if org.accessible else NO,
            YES if org.hidden else NO,
        )
        own = by_org.get(org.id)
        if not own:
            rows.append((*org_part, *(None,) * 15))
            continue
        for p in own:
            rows.append(
                (
                    *org_part,
                    p.external_id,
                    p.name,
                    DIRECTIONS.get(p.direction, p.direction),
                    p.description or None,
                    p.age_from,
                    p.age_to,
                    FORMATS.get(p.format, p.format),
                    COSTS.get(p.cost, p.cost),
                    p.price,
                    p.schedule or None,
                    p.teacher or None,
                    p.seats_total,
                    p.seats_free,
                    p.enrol_url or None,
                    YES if p.hidden else NO,
                )
            )
    return rows, ExportSummary(len(org_rows), len(programme_rows))


def _locality_names(places: Iterable[Locality]) -> dict[int, str]:
    """Russian names; "Name (district)" where two places share a name (as the import reads)."""
    places = list(places)
    counts: dict[str, int] = {}
    for place in places:
        key = place.name.lower().replace("ё", "е")
        counts[key] = counts.get(key, 0) + 1
    return {
        place.id: place.name
        if counts[place.name.lower().replace("ё", "е")] == 1
        else f"{place.name} ({place.district})"
        for place in places
    }


async def export_catalog(
    sessions: async_sessionmaker[AsyncSession],
    destination: Destination,
    *,
    kind: str | None = None,
) -> ExportSummary:
    """Write the catalogue to `destination` ("csv" or "xlsx": `kind`, else by extension)."""
    if kind is None:
        if not isinstance(destination, str | Path):
            raise ValueError("kind is needed when writing to a stream")
        kind = file_kind(str(destination))
        if kind is None:
            raise ValueError(f"unknown catalogue file type: {destination}")
    rows, summary = await catalog_rows(sessions)
    # Building a big workbook takes seconds of CPU: not on the event loop.
    await asyncio.to_thread(write_rows, rows, destination, kind)
    return summary


def write_rows(rows: Iterable[Row], destination: Destination, kind: str) -> None:
    if kind == "xlsx":
        write_xlsx(rows, destination)
    elif kind == "csv":
        write_csv(rows, destination)
    else:
        raise ValueError(f"unknown catalogue file type: {kind}")


def write_csv(rows: Iterable[Row], destination: Destination) -> None:
    if isinstance(destination, str | Path):
        with Path(destination).open("wb") as file:
            write_csv(rows, file)
        return
    text = io.TextIOWrapper(destination, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, delimiter=";")
        writer.writerow([column.header for column in COLUMNS])
        writer.writerows([_csv_value(value) for value in row] for row in rows)
        text.flush()
    finally:
        text.detach()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_xlsx(rows: Iterable[Row], destination: Destination) -> None:
    """The catalogue sheet, then a sheet explaining the columns (the import reads the first)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = rows if isinstance(rows, Sequence) else list(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    # Write-only sheets store no size, and openpyxl then reads the whole sheet twice just to
    # learn it before reading rows: give the size (the writer asks `calculate_dimension`).
    size = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    sheet.calculate_dimension = lambda: size
    for index, column in enumerate(COLUMNS, start=1):
        width = _WIDTHS.get(column.key, max(12, min(len(column.header) + 2, 28)))
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])

    notes = book.create_sheet(NOTES_TITLE)
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 20
    notes.column_dimensions["C"].width = 90
    notes.append([WriteOnlyCell(notes, text) for text in ("Столбец", "Обязательный", "Что писать")])
    for column in COLUMNS:
        required = YES if column.required else ""
        if column.key in PROGRAMME_REQUIRED:
            required = "в строках программ"
        notes.append([column.header, required, column.note])
    book.save(destination)


def _xlsx_value(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XLSX.sub("", value)
    if value.startswith("="):
        # Text, never a formula: a cell "=..." from the catalogue must not run in Excel.
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value
