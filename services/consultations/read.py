"""Reading consultation set-up files into tables of cell texts, one table per kind.

An XLSX workbook: each sheet whose name is one of `consult_columns.SHEETS` (other sheets,
such as «Пояснения», are ignored). A CSV file: one kind, told by its header (UTF-8 or
Windows-1251, ";" or ","). `looks_like_consultations` tells these files from catalogue ones.
Both read within the file limits (`services.files.limits`) and are meant for the worker process.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

from services.consultations.columns import SHEETS, Sheet
from services.files.limits import (
    LIMITS,
    BoundedRows,
    FileLimits,
    LimitExceeded,
    check_file_size,
    check_workbook,
    csv_rows,
)

Source = bytes | str | Path | BinaryIO
MAX_ROWS = 20_000  # per sheet: a consultation set-up is hundreds of rows, not millions


def fold(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def fold_header(text: str) -> str:
    return fold(text).rstrip("*").strip()


_BY_TITLE = {fold(name): sheet for sheet in SHEETS for name in (sheet.title, *sheet.aliases)}


def sheet_by_title(title: str) -> Sheet | None:
    return _BY_TITLE.get(fold(title))


def sheet_by_header(cells: list[str]) -> Sheet | None:
    """The kind whose signature header is among the cells (a CSV file's kind)."""
    folded = {fold_header(cell) for cell in cells}
    for sheet in SHEETS:
        if fold_header(sheet.header_of[sheet.signature]) in folded:
            return sheet
    return None


def cell_text(value: object) -> str:
    """A cell as text, whether from CSV (str) or XLSX (numbers, times, dates, booleans)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


@dataclass(slots=True)
class Table:
    """One kind's rows: (row number as Excel shows it, cells); the header row first."""

    sheet: Sheet
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


class Unreadable(Exception):
    """The file is not a workbook or a CSV file we can read."""


def kind_of(name: str) -> str | None:
    return {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}.get(Path(name).suffix.lower())


def _bytes(source: Source, limits: FileLimits) -> bytes:
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        check_file_size(source, limits)
        data = Path(source).read_bytes()
    else:
        data = source.read(limits.file_mb * 1024 * 1024 + 1)
    if len(data) > limits.file_mb * 1024 * 1024:
        raise LimitExceeded("files-limit-size", {"limit": limits.file_mb})
    return data


def read_tables(source: Source, name: str, limits: FileLimits = LIMITS) -> list[Table]:
    """Every recognised table of the file; raises Unreadable, or LimitExceeded for a file
    over a limit (a workbook's declared sizes are checked before it is opened)."""
    kind = kind_of(name)
    try:
        data = _bytes(source, limits)
        if kind == "xlsx":
            check_workbook(io.BytesIO(data), limits)
            return _read_xlsx(data, limits)
        if kind == "csv":
            table = _read_csv(data, limits)
            return [table] if table else []
    except LimitExceeded:
        raise
    except OSError as exc:
        raise Unreadable(exc.strerror or type(exc).__name__) from exc
    except Exception as exc:  # a broken upload of any kind is "unreadable"
        raise Unreadable(f"{type(exc).__name__}: {exc}"[:60]) from exc
    raise Unreadable("file type")


def _read_xlsx(data: bytes, limits: FileLimits) -> list[Table]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        tables = []
        for worksheet in book.worksheets:
            sheet = sheet_by_title(worksheet.title)
            if sheet is None:
                continue
            worksheet.reset_dimensions()
            table = Table(sheet)
            rows = enumerate(worksheet.iter_rows(values_only=True), start=1)
            texts = ((number, [cell_text(value) for value in values]) for number, values in rows)
            for number, cells in BoundedRows(texts, limits):
                table.rows.append((number, cells))
                if len(table.rows) > MAX_ROWS:
                    break
            tables.append(table)
        return tables
    finally:
        book.close()


def _decode(data: bytes, *, partial: bool = False) -> str:
    """UTF-8 (with or without BOM), else Windows-1251 (what Russian Excel writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 3:  # a letter cut at the end of the head
            return data[: exc.start].decode("utf-8-sig")
        return data.decode("cp1251")


def _csv_sheet(first: str) -> tuple[Sheet, str] | None:
    """The kind of a CSV file by its first line, and the line's delimiter."""
    delimiter = max((";", ","), key=lambda d: len(next(csv.reader([first], delimiter=d), [])))
    sheet = sheet_by_header(next(csv.reader([first], delimiter=delimiter), []))
    return None if sheet is None else (sheet, delimiter)


def _read_csv(data: bytes, limits: FileLimits) -> Table | None:
    """None unless the header is a consultation one (a catalogue file is not parsed further)."""
    head = _decode(data[:4096], partial=True)
    first = next((line for line in head.splitlines() if line.strip()), "")
    found = _csv_sheet(first)
    if found is None:
        return None
    sheet, delimiter = found
    table = Table(sheet)
    rows = csv_rows(io.StringIO(_decode(data)), delimiter, limits)
    for number, cells in BoundedRows(rows, limits):
        table.rows.append((number, cells))
        if len(table.rows) > MAX_ROWS:
            break
    return table


def looks_like_consultations(source: str | Path, name: str, limits: FileLimits = LIMITS) -> bool:
    """A workbook with a consultation sheet, or a CSV file with a consultation header; only
    the sheet names or the first line are read (a file over a limit is not one: the catalogue
    import then names the limit)."""
    kind = kind_of(name)
    try:
        if kind == "xlsx":
            check_workbook(source, limits)
            from openpyxl import load_workbook

            book = load_workbook(str(source), read_only=True)
            try:
                return any(sheet_by_title(title) for title in book.sheetnames)
            finally:
                book.close()
        if kind == "csv":
            check_file_size(source, limits)
            with Path(source).open("rb") as file:
                head = _decode(file.read(4096), partial=True)
            first = next((line for line in head.splitlines() if line.strip()), "")
            return _csv_sheet(first) is not None
    except LimitExceeded:
        return False
    except Exception:  # a broken file is no consultation file: the catalogue import says why
        return False
    return False
