"""Hostile staff files, built by code (no big binaries in git): the ordinary template with
formatted empty rows down to Excel's last row, a zip bomb of empty rows, a workbook with one
huge cell, a header with no rows, CSV bombs. bench/stalls.py builds its files here too."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from bot.config import PROJECT_ROOT
from services.catalog.columns import COLUMNS

TEMPLATE = PROJECT_ROOT / "data" / "catalog_template.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
EXCEL_ROWS = 1_048_576
CSV_HEADER = ";".join(column.header for column in COLUMNS)


def _parts() -> dict[str, bytes]:
    """The template's parts, its example ids (ОБРАЗЕЦ-…, refused by an import) made real."""
    with zipfile.ZipFile(TEMPLATE) as template:
        return {
            name: template.read(name).replace("ОБРАЗЕЦ-".encode(), b"TSK-")
            for name in template.namelist()
        }


def _sheet() -> tuple[str, str, str]:
    """The template's first sheet split around its rows: (head, rows, tail)."""
    head, rest = _parts()[SHEET].decode().split("<sheetData>")
    rows, tail = rest.split("</sheetData>")
    return head + "<sheetData>", rows, "</sheetData>" + tail


def _workbook(path: Path, sheet: Iterator[bytes], *, level: int = 6, **extra: bytes) -> Path:
    """The template with its first sheet streamed from `sheet` (and other parts replaced)."""
    parts = _parts()
    parts.update(extra)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            if name != SHEET:
                archive.writestr(name, data)
        with archive.open(SHEET, "w", force_zip64=True) as file:
            for piece in sheet:
                file.write(piece)
    return path


def _header_row() -> str:
    rows = _sheet()[1]
    return rows[: rows.index("</row>") + len("</row>")]


def formatted_template(
    path: Path, *, last_row: int = EXCEL_ROWS, styled: int = 4, level: int = 6
) -> Path:
    """The shipped template (header and two programmes) and below them empty rows with
    `styled` formatted cells each, down to `last_row`: what Excel saves after someone formats
    whole columns of a table (4 cells a row make it about 11 MB)."""
    head, rows, tail = _sheet()
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:styled]
    pattern = '<row r="%d" spans="1:27">' + "".join(f'<c r="{c}%d" s="1"/>' for c in letters)
    pattern += "</row>"
    first = rows.count("<row ") + 1

    def sheet() -> Iterator[bytes]:
        yield (head + rows).encode()
        for start in range(first, last_row + 1, 8192):
            stop = min(start + 8192, last_row + 1)
            yield "".join(pattern % ((n,) * (styled + 1)) for n in range(start, stop)).encode()
        yield tail.encode()

    return _workbook(path, sheet(), level=level)


def zip_bomb(path: Path, *, rows: int = 10_500_000) -> Path:
    """A small file (about 70 KB) whose sheet unpacks to the header and `rows` empty rows."""
    head, _rows, tail = _sheet()
    block = b"<row/>" * 100_000

    def sheet() -> Iterator[bytes]:
        yield (head + _header_row()).encode()
        for _ in range(rows // 100_000):
            yield block
        yield b"<row/>" * (rows % 100_000)
        yield tail.encode()

    return _workbook(path, sheet(), level=9)


def huge_cell(path: Path, *, chars: int) -> Path:
    """The template with one shared-string cell of `chars` letters in the first programme's
    description: a small file (1 GiB packs into about 1 MB)."""
    head, rows, tail = _sheet()
    rows = re.sub(r'<c r="P2".*?</c>', '<c r="P2" t="s"><v>0</v></c>', rows, count=1)
    strings_head = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' count="1" uniqueCount="1"><si><t>'
    )
    parts = _parts()
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    relations = parts["xl/_rels/workbook.xml.rels"].decode()
    relations = relations.replace(
        "</Relationships>",
        '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
    )
    _workbook(
        path,
        iter([(head + rows + tail).encode()]),
        level=9,
        **{"[Content_Types].xml": types.encode(), "xl/_rels/workbook.xml.rels": relations.encode()},
    )
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as file:
            file.write(strings_head)
            block = b"A" * 65_536
            left = chars
            while left > 0:
                step = min(left, 65_536)
                file.write(block if step == 65_536 else b"A" * step)
                left -= step
            file.write(b"</t></si></sst>")
    return path


def header_only_xlsx(path: Path) -> Path:
    """The template's header row and nothing below it."""
    head, _rows, tail = _sheet()
    return _workbook(path, iter([(head + _header_row() + tail).encode()]))


def header_only_csv() -> bytes:
    return (CSV_HEADER + "\r\n").encode("utf-8-sig")


def csv_empty_lines(size_mb: int = 20) -> bytes:
    """A header and then only empty lines (delimiters), `size_mb` in all."""
    line = ";" * 26 + "\r\n"
    return (CSV_HEADER + "\r\n" + line * (size_mb * 1024 * 1024 // len(line))).encode()


def csv_long_line(size_mb: int = 20) -> bytes:
    """A header and one line of `size_mb` of delimiters: millions of cells in one row."""
    return (CSV_HEADER + "\r\n").encode() + b";" * (size_mb * 1024 * 1024) + b"\r\n"


def csv_open_quote(size_mb: int = 20) -> bytes:
    """A header and a row whose quote never closes: the rest of the file is one cell."""
    body = io.StringIO()
    body.write(CSV_HEADER + "\r\n")
    body.write('ORG-1;"')
    body.write(("бесконечная ячейка " * 64 + "\r\n") * (size_mb * 1024 * 1024 // 2500))
    return body.getvalue().encode()
