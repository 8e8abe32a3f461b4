"""Limits on staff files (size, unpacked size, rows, cell length) and the checks that apply
them before and while a file is read, so that one file can take neither the bot's memory nor
its time.

A workbook is a zip: its parts' unpacked sizes are declared in the zip's directory and read
before anything is unpacked (Python's zipfile never unpacks more than a part declares, and a
part that lies fails its checksum). Rows are counted as they stream; a run of `empty_run`
empty rows ends the reading (the formatted but empty rows Excel keeps below a table, down to
row 1,048,576, cost nothing then); a cell longer than `cell` characters stops it.
"""

from __future__ import annotations

import csv
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, TextIO

MB = 1024 * 1024
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_SMALL_PART = MB  # parts this small are never suspicious, whatever their compression


@dataclass(frozen=True, slots=True)
class FileLimits:
    file_mb: int = 100  # the file as it is (chat uploads stop at Telegram's 20 MB anyway)
    unpacked_mb: int = 256  # a workbook's parts after unpacking, all together
    part_mb: int = 64  # one part read whole (shared strings, styles): every part but sheets
    ratio: int = 100  # unpacked / packed size of a part: more is a "zip bomb"
    parts: int = 1000  # parts in one workbook
    rows: int = 200_000  # data rows
    empty_run: int = 1000  # empty rows in a row end the reading
    cell: int = 32_767  # characters in one cell (Excel's own maximum)
    line: int = 1_048_576  # characters in one line of a CSV file
    seconds: int = 600  # the reading and checking, in the worker process
    memory_mb: int = 1024  # address space of the worker process

    def but(self, **changes: int) -> FileLimits:
        return replace(self, **changes)


LIMITS = FileLimits()


class LimitExceeded(Exception):
    """A file over a limit: `key` is the locale message, `values` its arguments."""

    def __init__(self, key: str, values: dict[str, str | int] | None = None) -> None:
        super().__init__(key, values or {})
        self.key = key
        self.values: dict[str, str | int] = values or {}


def check_file_size(path: str | Path, limits: FileLimits) -> None:
    if os.stat(path).st_size > limits.file_mb * MB:
        raise LimitExceeded("files-limit-size", {"limit": limits.file_mb})


def check_workbook(source: str | Path | BinaryIO, limits: FileLimits) -> None:
    """The zip's directory against the limits; a file that is no zip is left to the reader
    (which calls it unreadable). A stream's own size is the caller's to check."""
    if isinstance(source, str | Path):
        check_file_size(source, limits)
    if not zipfile.is_zipfile(source):
        return
    with zipfile.ZipFile(source) as archive:
        parts = archive.infolist()
    if len(parts) > limits.parts:
        raise LimitExceeded("files-limit-parts", {"limit": limits.parts})
    total = 0
    for part in parts:
        total += part.file_size
        if total > limits.unpacked_mb * MB:
            raise LimitExceeded("files-limit-unpacked", {"limit": limits.unpacked_mb})
        if not _SHEET_PART.fullmatch(part.filename) and part.file_size > limits.part_mb * MB:
            raise LimitExceeded(
                "files-limit-part", {"part": part.filename[-60:], "limit": limits.part_mb}
            )
        if part.file_size > _SMALL_PART and part.file_size > limits.ratio * max(
            part.compress_size, 1
        ):
            ratio = part.file_size // max(part.compress_size, 1)
            raise LimitExceeded("files-limit-ratio", {"ratio": ratio, "limit": limits.ratio})


def csv_rows(text: TextIO, delimiter: str, limits: FileLimits) -> Iterator[tuple[int, list[str]]]:
    """(row number, stripped cells) of a CSV text stream; LimitExceeded for a line longer than
    `limits.line` or a cell longer than csv's own field limit (131,072 characters, above
    `limits.cell`, which BoundedRows checks)."""
    reader = csv.reader(_lines(text, limits), delimiter=delimiter)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field limit" not in str(error):
                raise
            row = number + 1  # the record the cell belongs to
            raise LimitExceeded("files-limit-cell", {"row": row, "limit": limits.cell}) from None
        number += 1
        yield number, [cell.strip() for cell in cells]


def _lines(text: TextIO, limits: FileLimits) -> Iterator[str]:
    """The lines of a text stream for csv.reader, none longer than `limits.line`."""
    number = 0
    while True:
        line = text.readline(limits.line + 1)
        if not line:
            return
        number += 1
        if len(line) > limits.line:
            raise LimitExceeded("files-limit-line", {"row": number, "limit": limits.line})
        yield line


class BoundedRows:
    """(row number, cells) of a table, within the limits: at most `rows` data rows, no cell
    longer than `cell`; `empty_run` empty rows in a row end it (`stopped_at` is then the
    first of them). Empty rows are not yielded."""

    def __init__(self, rows: Iterable[tuple[int, list[str]]], limits: FileLimits) -> None:
        self.source = rows
        self.limits = limits
        self.stopped_at = 0
        self.data_rows = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        limits = self.limits
        empty = 0
        first_empty = 0
        for number, cells in self.source:
            if not any(cells):
                if not empty:
                    first_empty = number
                empty += 1
                if empty >= limits.empty_run:
                    self.stopped_at = first_empty
                    return
                continue
            empty = 0
            self.data_rows += 1
            if self.data_rows > limits.rows:
                raise LimitExceeded("files-limit-rows", {"limit": limits.rows})
            for cell in cells:
                if len(cell) > limits.cell:
                    raise LimitExceeded("files-limit-cell", {"row": number, "limit": limits.cell})
            yield number, cells
