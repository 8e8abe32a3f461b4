"""The demand report as an XLSX workbook: a sheet per section, its headers bold, its rows as
the report rendered them (words and numbers). Run in a worker process by the bot
(services/files/isolated.py), directly by the command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

Sheet = tuple[str, list[str], list[list[Any]]]  # title, headers, rows
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
TITLE_LENGTH = 31  # Excel's limit for a sheet's name


def _text(value: Any) -> Any:
    """A cell: numbers as they are, text never read as a formula."""
    if isinstance(value, int | float):
        return value
    text = _ILLEGAL.sub("", str(value))
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def write_workbook(path: Path, sheets: list[Sheet], *, progress: object = None) -> int:
    """Writes the file; returns the number of rows written (headers not counted)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    written = 0
    used: set[str] = set()
    for n, (title, headers, rows) in enumerate(sheets, start=1):
        name = _NOT_IN_TITLE.sub(" ", title).strip()[:TITLE_LENGTH] or f"Sheet {n}"
        if name in used:
            name = f"{name[: TITLE_LENGTH - 4]} ({n})"
        used.add(name)
        sheet = book.create_sheet(name)
        header_cells = []
        for header in headers:
            item = WriteOnlyCell(sheet, value=_text(header))
            item.font = bold
            header_cells.append(item)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_text(value) for value in row])
            written += 1
    book.save(path)
    return written
