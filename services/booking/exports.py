"""Consultation bookings of a period as XLSX and CSV files, for the department's staff.

Rows are read in keyset-paged batches (by start time, then id), so a year of bookings is never
held in memory at once; each batch goes to a worker process (services.files.isolated) that writes
every requested file, so formatting and compressing never hold up the event loop. One
row per booking, cancelled ones too, times in the department's zone. Column headers and status
words are Russian: the files are the department's working documents.

CSV is written with ";" and a UTF-8 BOM (what Russian Excel opens by double-click). Text that a
parent typed (name, question) may start with "=", "+", "-" or "@": in CSV it gets a leading
apostrophe and in XLSX it is stored as text, so it never runs as a formula in Excel.

Names, phones and questions are personal data: callers give these files to admins only.
"""

from __future__ import annotations

import asyncio
import calendar
import csv
import io
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Booking, ConsultService, Provider, Slot, Specialist
from services.booking.schedule import local_to_utc
from services.dates import in_window
from services.files.isolated import run_isolated
from services.files.limits import LIMITS

KINDS = ("xlsx", "csv")
BATCH = 200  # rows per query (one in the event loop on SQLite) and per hand-over to the writer
MAX_DAYS = 366 * 5 + 1  # the longest period one export covers
SHEET_TITLE = "Записи"
HEADERS = (
    "Код",
    "Дата и время",
    "Тема",
    "Организация",
    "Специалист",
    "Формат",
    "Статус",
    "Имя родителя",
    "Телефон",
    "Возраст ребёнка",
    "Вопрос",
    "Оценка",
)
WIDTHS = (10, 17, 36, 36, 30, 14, 16, 24, 16, 10, 60, 8)
FORMAT_NAMES = {"in_person": "очно", "phone": "по телефону", "video": "по видеосвязи"}
STATUS_NAMES = {
    "booked": "запланирована",
    "unmarked": "не отмечена",
    "done": "состоялась",
    "missed": "не пришли",
    "cancelled": "отменена",
}
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
# Characters an XLSX file cannot hold (control characters other than tab and newlines).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+")

Progress = Callable[[int, int], Awaitable[None]]
Destination = str | Path | BinaryIO


# --- periods -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Period:
    """Local days, both ends included."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC."""
        return local_to_utc(self.first, 0, zone), local_to_utc(
            self.last + timedelta(days=1), 0, zone
        )

    def label(self) -> str:
        return f"{self.first:%d.%m.%Y}–{self.last:%d.%m.%Y}"

    def slug(self) -> str:
        return f"{self.first:%Y-%m-%d}_{self.last:%Y-%m-%d}"


PRESETS = ("month", "last_month", "year")


def preset_period(kind: str, today: date) -> Period:
    """This month, last month, or this calendar year (to its end: booked ones show too)."""
    if kind == "month":
        first = today.replace(day=1)
    elif kind == "last_month":
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    elif kind == "year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    else:
        raise ValueError(f"unknown period {kind!r}")
    return Period(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))


class PeriodError(ValueError):
    """reason: shape (not two dates), date (no such day), window (outside the window of
    services/dates.py), order (end before start), long (more than MAX_DAYS)."""

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text


_DATE = r"(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2})"
_PERIOD = re.compile(
    rf"^\s*(?:с|from)?\s*{_DATE}\s*(?:[-–—]|\.\.|по|to)?\s*{_DATE}?\s*$", re.IGNORECASE
)


def _parse_day(text: str) -> date:
    try:
        if "-" in text:
            year, month, day = (int(part) for part in text.split("-"))
        else:
            day, month, year = (int(part) for part in text.split("."))
        found = date(year, month, day)
    except ValueError:
        raise PeriodError("date", text) from None
    if not in_window(found):
        raise PeriodError("window", text)
    return found


def parse_period(text: str) -> Period:
    """'01.09.2026–31.12.2026', '1.9.2026 - 31.12.2026', 'с 01.09.2026 по 31.12.2026',
    '2026-09-01 2026-12-31', or one date for one day."""
    found = _PERIOD.match(text.strip().replace("\u00a0", " "))
    if found is None:
        raise PeriodError("shape")
    first = _parse_day(found.group(1))
    last = _parse_day(found.group(2)) if found.group(2) else first
    if last < first:
        raise PeriodError("order")
    period = Period(first, last)
    if period.days > MAX_DAYS:
        raise PeriodError("long")
    return period


# --- rows ------------------------------------------------------------------------------------
def _columns() -> tuple[Any, ...]:
    return (
        Booking.id,
        Booking.code,
        Slot.starts_at,
        ConsultService.name.label("service"),
        Provider.name.label("provider"),
        Specialist.name.label("specialist"),
        Booking.format,
        Booking.status,
        Booking.name,
        Booking.phone,
        Booking.child_age,
        Booking.question,
        Booking.rating,
    )


def _joined(statement: Any) -> Any:
    return (
        statement.join(Slot, Slot.id == Booking.slot_id)
        .join(ConsultService, ConsultService.id == Booking.service_id)
        .join(Specialist, Specialist.id == Slot.specialist_id)
        .join(Provider, Provider.id == Specialist.provider_id)
    )


def status_name(status: str, starts_at: datetime, now: datetime) -> str:
    if status == "active":
        return STATUS_NAMES["booked" if starts_at > now else "unmarked"]
    return STATUS_NAMES.get(status, status)


def _row(record: Any, zone: ZoneInfo, now: datetime) -> tuple[Any, ...]:
    """Typed values: a naive local datetime, ints, None for an empty cell."""
    return (
        record.code,
        record.starts_at.astimezone(zone).replace(tzinfo=None),
        record.service,
        record.provider,
        record.specialist,
        FORMAT_NAMES.get(record.format, record.format),
        status_name(record.status, record.starts_at, now),
        record.name or None,
        record.phone or None,
        record.child_age,
        record.question or None,
        record.rating,
    )


async def count_bookings(
    sessions: async_sessionmaker[AsyncSession], zone: ZoneInfo, period: Period
) -> int:
    """One short statement per month of the period (a year in one held the event loop)."""
    total = 0
    first = period.first
    while first <= period.last:
        last = min(_month_end(first), period.last)
        start, end = Period(first, last).bounds(zone)
        statement = (
            select(func.count())
            .select_from(Booking)
            .join(Slot, Slot.id == Booking.slot_id)
            .where(Slot.starts_at >= start, Slot.starts_at < end)
        )
        async with sessions() as session:
            total += int((await session.execute(statement)).scalar_one())
        first = last + timedelta(days=1)
    return total


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


async def booking_batches(
    sessions: async_sessionmaker[AsyncSession],
    zone: ZoneInfo,
    period: Period,
    *,
    now: datetime | None = None,
    batch: int = BATCH,
):  # type: ignore[no-untyped-def]
    """Yields lists of file rows in start-time order, `batch` at a time, one short query each
    (no transaction stays open between batches)."""
    now = now or datetime.now(UTC)
    start, end = period.bounds(zone)
    after: tuple[datetime, int] | None = None
    while True:
        statement = _joined(select(*_columns()).select_from(Booking)).where(
            Slot.starts_at >= start, Slot.starts_at < end
        )
        if after is not None:
            statement = statement.where(
                or_(
                    Slot.starts_at > after[0],
                    and_(Slot.starts_at == after[0], Booking.id > after[1]),
                )
            )
        statement = statement.order_by(Slot.starts_at, Booking.id).limit(batch)
        async with sessions() as session:
            records = (await session.execute(statement)).all()
        if not records:
            return
        yield [_row(record, zone, now) for record in records]
        if len(records) < batch:
            return
        after = (records[-1].starts_at, records[-1].id)


# --- writers -------------------------------------------------------------------------------
class RowWriter(Protocol):
    def write(self, rows: Sequence[tuple[Any, ...]]) -> None: ...

    def close(self) -> None: ...


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter:
    def __init__(self, destination: Destination) -> None:
        self._own = isinstance(destination, str | Path)
        self._binary: BinaryIO = (
            Path(destination).open("wb") if isinstance(destination, str | Path) else destination
        )
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._text, delimiter=";")
        self._csv.writerow(HEADERS)

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._csv.writerows([csv_text(value) for value in row] for row in rows)

    def close(self) -> None:
        self._text.flush()
        self._text.detach()
        if self._own:
            self._binary.close()


class XlsxWriter:
    """A write-only workbook: rows go to a temporary file as they come, not into memory."""

    def __init__(self, destination: Destination) -> None:
        from openpyxl import Workbook
        from openpyxl.utils import get_column_letter

        self._destination = destination
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(SHEET_TITLE)
        self._sheet.freeze_panes = "A2"
        for index, width in enumerate(WIDTHS, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        header = []
        for text in HEADERS:
            cell = WriteOnlyCell(self._sheet, text)
            cell.font = Font(bold=True)
            header.append(cell)
        self._sheet.append(header)

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        for row in rows:
            self._sheet.append([self._cell(value) for value in row])

    def _cell(self, value: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, datetime):
            cell = WriteOnlyCell(self._sheet, value)
            cell.number_format = DATETIME_FORMAT
            return cell
        if not isinstance(value, str):
            return value
        value = _ILLEGAL_XLSX.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(self._sheet, value)
            cell.data_type = "s"  # text, never a formula
            return cell
        return value

    def close(self) -> None:
        self._book.save(self._destination)


WRITERS: dict[str, Callable[[Destination], RowWriter]] = {"xlsx": XlsxWriter, "csv": CsvWriter}


@dataclass(frozen=True, slots=True)
class ExportResult:
    period: Period
    rows: int


async def export_bookings(
    sessions: async_sessionmaker[AsyncSession],
    zone: ZoneInfo,
    period: Period,
    destinations: dict[str, Destination],
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    total: int | None = None,
    batch: int = BATCH,
) -> ExportResult:
    """Writes the period's bookings to each destination ({"xlsx": path, "csv": stream}): read
    here in batches, formatted and written (compressed, for XLSX) by a worker process.
    `progress(done, total)` is awaited after every batch when given."""
    unknown = set(destinations) - set(WRITERS)
    if unknown:
        raise ValueError(f"unknown booking file type: {', '.join(sorted(unknown))}")
    if progress is not None and total is None:
        total = await count_bookings(sessions, zone, period)
    done = 0

    async def pages() -> AsyncIterator[list[tuple[Any, ...]]]:
        nonlocal done
        async for rows in booking_batches(sessions, zone, period, now=now, batch=batch):
            yield rows
            done += len(rows)
            if progress is not None:
                await progress(done, max(total or 0, done))

    with tempfile.TemporaryDirectory(prefix="bookings-export-") as folder:
        paths = {
            kind: str(target) if isinstance(target, str | Path) else str(Path(folder) / f"b.{kind}")
            for kind, target in destinations.items()
        }
        await run_isolated(
            write_files, paths, pages=pages(), seconds=LIMITS.seconds, memory_mb=LIMITS.memory_mb
        )
        for kind, target in destinations.items():
            if not isinstance(target, str | Path):
                await asyncio.to_thread(_copy, Path(paths[kind]), target)
    return ExportResult(period, done)


def write_files(
    paths: dict[str, str], *, pages: Iterator[list[tuple[Any, ...]]], progress: object
) -> None:
    """Every file from the same pages of rows, in the worker process."""
    writers = [WRITERS[kind](path) for kind, path in paths.items()]
    try:
        for rows in pages:
            for writer in writers:
                writer.write(rows)
    finally:
        for writer in writers:
            writer.close()


def _copy(path: Path, destination: BinaryIO) -> None:
    with path.open("rb") as file:
        shutil.copyfileobj(file, destination)


def kind_of(path: str | Path) -> str | None:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in KINDS else None
