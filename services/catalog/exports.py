"""Catalogue export in the import's column format: every organisation and programme, hidden
ones too, so that export → import changes nothing.

CSV is written with ";" and a UTF-8 BOM (what Russian Excel opens by double-click); XLSX with
numbers as numbers and a second sheet explaining the columns. The format follows the file
name's extension. The catalogue is read in keyset pages of short statements (organisations
by external id, their programmes a page at a time) and each page goes to a worker process
(services.files.isolated) that formats and writes the file, so a catalogue of any size neither
stalls the bot nor sits in its memory at once.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import attrgetter
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Locality, Organisation, Programme
from services.catalog.columns import COLUMNS, PROGRAMME_REQUIRED
from services.catalog.imports import file_kind
from services.catalog.terms import COSTS, DIRECTIONS, FORMATS, ORG_TYPES
from services.files.isolated import run_isolated
from services.files.limits import LIMITS

Destination = str | Path | BinaryIO
Row = tuple[Any, ...]

ORG_PAGE = 50  # organisations per page (a page of rows is pickled to the file writer at once)
PROGRAMME_PAGE = 500  # programmes per statement
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


def _org_part(org: Any, locality_names: dict[int, str]) -> Row:
    return (
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


def _programme_part(p: Any) -> Row:
    return (
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
        # A day gone by is no longer a start to wait for (and import refuses past days).
        p.enrol_starts_on if p.enrol_starts_on and p.enrol_starts_on >= _today() else None,
    )


def _today() -> date:
    return datetime.now(UTC).date()


async def catalog_pages(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[tuple[list[Row], int, int]]:
    """The catalogue as file rows (typed values, None for an empty cell), organisations by
    their external id, each followed by its programmes; an organisation without any gets one row.
    Yields (rows, organisations, programmes) a page at a time: ORG_PAGE organisations, their
    programmes read PROGRAMME_PAGE at a time; every statement is short and ends its session."""
    organisations = Organisation.__table__
    programmes = Programme.__table__
    async with sessions() as session:
        places = (await session.execute(select(Locality))).scalars().all()
    locality_names = _locality_names(places)
    after = None
    while True:
        statement = select(organisations).order_by(organisations.c.external_id).limit(ORG_PAGE)
        if after is not None:
            statement = statement.where(organisations.c.external_id > after)
        async with sessions() as session:
            orgs = (await session.execute(statement)).all()
        if not orgs:
            return
        after = orgs[-1].external_id
        by_org: dict[int, list[Any]] = {org.id: [] for org in orgs}
        count = 0
        last: tuple[int, int] | None = None
        while True:  # the page's programmes, in the order of an index (organisation, id)
            statement = (
                select(programmes)
                .where(programmes.c.organisation_id.in_(list(by_org)))
                .order_by(programmes.c.organisation_id, programmes.c.id)
                .limit(PROGRAMME_PAGE)
            )
            if last is not None:
                statement = statement.where(
                    tuple_(programmes.c.organisation_id, programmes.c.id) > tuple_(*last)
                )
            async with sessions() as session:
                found = (await session.execute(statement)).all()
            for programme in found:
                by_org[programme.organisation_id].append(programme)
            count += len(found)
            if len(found) < PROGRAMME_PAGE:
                break
            last = (found[-1].organisation_id, found[-1].id)
        rows: list[Row] = []
        for org in orgs:
            org_part = _org_part(org, locality_names)
            own = sorted(by_org[org.id], key=attrgetter("external_id"))
            if not own:
                rows.append((*org_part, *(None,) * 16))
            rows.extend((*org_part, *_programme_part(p)) for p in own)
        yield rows, len(orgs), count


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
    """Write the catalogue to `destination` ("csv" or "xlsx": `kind`, else by extension): read
    here in pages, formatted and written (compressed, for XLSX) by a worker process."""
    if kind is None:
        if not isinstance(destination, str | Path):
            raise ValueError("kind is needed when writing to a stream")
        kind = file_kind(str(destination))
        if kind is None:
            raise ValueError(f"unknown catalogue file type: {destination}")
    if kind not in WRITERS:
        raise ValueError(f"unknown catalogue file type: {kind}")
    organisations = programmes = 0

    async def pages() -> AsyncIterator[list[Row]]:
        nonlocal organisations, programmes
        async for rows, orgs, found in catalog_pages(sessions):
            organisations += orgs
            programmes += found
            yield rows

    with tempfile.TemporaryDirectory(prefix="catalog-export-") as folder:
        streamed = not isinstance(destination, str | Path)
        target = Path(folder) / f"catalog.{kind}" if streamed else Path(destination)
        await run_isolated(
            write_file,
            str(target),
            kind,
            pages=pages(),
            seconds=LIMITS.seconds,
            memory_mb=LIMITS.memory_mb,
        )
        if streamed:
            await asyncio.to_thread(_copy, target, destination)
    return ExportSummary(organisations, programmes)


def write_file(path: str, kind: str, *, pages: Iterator[list[Row]], progress: object) -> None:
    """The file from pages of rows, in the worker process."""
    writer = WRITERS[kind](path)
    try:
        for rows in pages:
            writer.write(rows)
    finally:
        writer.close()


def _copy(path: Path, destination: BinaryIO) -> None:
    with path.open("rb") as file:
        shutil.copyfileobj(file, destination)


class CsvWriter:
    """ ";" and a UTF-8 BOM, the header first; rows as they come."""

    def __init__(self, destination: Destination) -> None:
        self._own = isinstance(destination, str | Path)
        self._binary: BinaryIO = (
            Path(destination).open("wb") if isinstance(destination, str | Path) else destination
        )
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._text, delimiter=";")
        self._csv.writerow([column.header for column in COLUMNS])

    def write(self, rows: Sequence[Row]) -> None:
        self._csv.writerows([_csv_value(value) for value in row] for row in rows)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()
        if self._own:
            self._binary.close()


class XlsxWriter:
    """The catalogue sheet, streamed (a write-only workbook keeps rows in a temporary file, not
    in memory), then on close a sheet explaining the columns (the import reads the first)."""

    def __init__(self, destination: Destination) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self._destination = destination
        self._book = Workbook(write_only=True)
        sheet = self._sheet = self._book.create_sheet(SHEET_TITLE)
        sheet.freeze_panes = "A2"
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

    def write(self, rows: Sequence[Row]) -> None:
        sheet = self._sheet
        for row in rows:
            sheet.append([_xlsx_value(sheet, value) for value in row])

    def close(self) -> None:
        from openpyxl.cell import WriteOnlyCell

        notes = self._book.create_sheet(NOTES_TITLE)
        notes.column_dimensions["A"].width = 28
        notes.column_dimensions["B"].width = 20
        notes.column_dimensions["C"].width = 90
        titles = ("Столбец", "Обязательный", "Что писать")
        notes.append([WriteOnlyCell(notes, text) for text in titles])
        for column in COLUMNS:
            required = YES if column.required else ""
            if column.key in PROGRAMME_REQUIRED:
                required = "в строках программ"
            notes.append([column.header, required, column.note])
        self._book.save(self._destination)


WRITERS: dict[str, Callable[[Destination], Any]] = {"xlsx": XlsxWriter, "csv": CsvWriter}


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


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
