"""Consultation set-up files for tests: a workbook or a CSV file as staff fill them in."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from services.consultations.columns import SHEETS

SHEET = {sheet.kind: sheet for sheet in SHEETS}


def workbook(**sheets: list[dict[str, object]]) -> bytes:
    """Sheets by kind, rows as {key: value}; headers as staff see them (with the * marks)."""
    book = Workbook()
    book.remove(book.active)
    for kind, rows in sheets.items():
        sheet = SHEET[kind]
        page = book.create_sheet(sheet.title)
        page.append([c.header + ("*" if c.required else "") for c in sheet.columns])
        for row in rows:
            page.append([row.get(c.key) for c in sheet.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(kind: str, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([c.header for c in SHEET[kind].columns])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in SHEET[kind].columns])
    return buffer.getvalue().encode(encoding)


NEW_SETUP = {
    "services": [
        {"service_id": "S3", "name": "Методическая помощь", "name_en": "Methodical help"},
        {
            "service_id": "S1",
            "name": "Психолого-педагогическая помощь",
            "name_en": "Psychological and pedagogical help",
            "hidden": "нет",
        },
    ],
    "providers": [
        {
            "provider_id": "P3",
            "provider_name": "МБОУ «СОШ № 4» г. Асино",
            "locality": "Асино",
            "address": "ул. Гагарина, 7",
        }
    ],
    "specialists": [
        {
            "specialist_id": "E4",
            "full_name": "Орлова Светлана Петровна",
            "position": "педагог-психолог",
            "provider_id": "P3",
            "services": "S1, S3",
            "formats": "очно, по видеосвязи",
            "hidden": "нет",
        }
    ],
    "templates": [
        {"specialist_id": "E4", "weekday": "пн", "start": "10:00", "end": "12:00", "slot": 60},
        {
            "specialist_id": "E4",
            "weekday": "чт",
            "start": "14:00",
            "end": "17:15",
            "slot": 45,
            "break_start": "15:30",
            "break_end": "15:45",
        },
    ],
    "exceptions": [
        {"specialist_id": "E4", "first_day": "26.11.2026", "reason": "методический день"}
    ],
}
