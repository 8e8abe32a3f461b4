"""Rows of a catalogue file (CSV or XLSX) as lists of cell texts, within the file limits:
the workbook's declared sizes are checked before it is opened, its first sheet is streamed
(openpyxl read-only) and never sized from its own <dimension>; a CSV file is read line by
line. For the worker process: nothing here touches the database or the event loop."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from services.files.limits import FileLimits, check_file_size, check_workbook, csv_rows

KINDS = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def file_kind(name: str) -> str | None:
    """ "csv" or "xlsx" by the file name's extension; None for anything else."""
    return KINDS.get(Path(name).suffix.lower())


def fold(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def fold_header(text: str) -> str:
    return fold(text).rstrip("*").strip()


def cell_text(value: object) -> str:
    """A cell as text, whether it came from CSV (str) or XLSX (numbers, dates, booleans)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


@dataclass(slots=True)
class Table:
    """Rows as (Excel row number, cell texts), an estimated count of them, and what to close."""

    rows: Iterator[tuple[int, list[str]]]
    estimate: int
    close: Callable[[], None]


def open_table(path: Path, kind: str, limits: FileLimits, known_headers: set[str]) -> Table:
    """Raises LimitExceeded before reading when the file is over a limit, and while reading
    when a line is. `known_headers` (folded) tell a CSV file's delimiter."""
    if kind == "xlsx":
        check_workbook(path, limits)
        return _open_xlsx(path)
    check_file_size(path, limits)
    return _open_csv(path, limits, known_headers)


def _open_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    book = load_workbook(str(path), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    # The stored size is only an estimate for progress: a wrong one must not cut rows off.
    estimate = max((sheet.max_row or 1) - 1, 0)
    sheet.reset_dimensions()

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]

    return Table(rows(), estimate, book.close)


def _detect_encoding(stream: io.BufferedReader) -> tuple[str, int]:
    """UTF-8 (with or without BOM) when the whole file decodes so, else cp1251; and lines."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding, lines = "utf-8-sig", 0
    while chunk := stream.read(1 << 20):
        lines += chunk.count(b"\n")
        if encoding != "cp1251":
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                encoding = "cp1251"
    if encoding != "cp1251":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "cp1251"
    stream.seek(0)
    return encoding, lines


def _sniff_delimiter(first_line: str, known_headers: set[str]) -> str:
    """Russian Excel writes ";", others ","; the header line tells which one this file uses."""
    best, best_score = ";", (-1, -1)
    for delimiter in (";", ","):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        known = sum(fold_header(cell) in known_headers for cell in cells)
        score = (known, len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(path: Path, limits: FileLimits, known_headers: set[str]) -> Table:
    stream = path.open("rb")
    encoding, lines = _detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first = text.readline(limits.line)
    while first and not first.strip():
        first = text.readline(limits.line)
    text.seek(0)
    rows = csv_rows(text, _sniff_delimiter(first, known_headers), limits)
    return Table(rows, lines, text.close)
