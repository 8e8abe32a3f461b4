"""Catalogue file rows as staff write them (CSV), for the import tests and the consultation
set-up tests that tell the two kinds of file apart."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import func, select

from db.models import Organisation, Programme
from services.catalog.columns import COLUMNS

HEADERS = [column.header for column in COLUMNS]
ORG = {
    "org_id": "T-ORG-1",
    "org_name": "Центр «Кванториум» & Co",
    "org_type": "Кванториум",
    "locality": "Томск",
    "address": "ул. Ленина, 1",
    "latitude": "",
    "longitude": "",
    "phone": "+7 (3822) 00-00-01",
    "website": "https://kvant.example",
    "hours": "Пн–Пт 9:00–18:00",
    "accessible": "да",
    "org_hidden": "нет",
}
PROGRAMME = {
    "programme_id": "T-PRG-1",
    "name": "Робототехника",
    "direction": "технический",
    "description": "Собираем роботов и программируем их.",
    "age_from": "10",
    "age_to": "14",
    "format": "очно",
    "cost": "бесплатно",
    "price": "",
    "schedule": "Вт, Чт 15:00",
    "teacher": "Иванова А. А.",
    "seats_total": "15",
    "seats_free": "4",
    "enrol_url": "https://navigator.example/1",
    "hidden": "нет",
    "enrol_starts_on": "",
}
ORG2 = {
    **ORG,
    "org_id": "T-ORG-2",
    "org_name": "Школа № 2",
    "org_type": "школа",
    "locality": "Северск",
    "latitude": "56.6",
    "longitude": "84.88",
    "accessible": "нет",
}


def row(base: dict[str, str] | None = None, **values: str) -> dict[str, str]:
    return {**ORG, **PROGRAMME, **(base or {}), **values}


def org_only(org: dict[str, str]) -> dict[str, str]:
    return {**org, **dict.fromkeys(PROGRAMME, "")}


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
    headers: list[str] | None = None,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers or HEADERS)
    for values in rows:
        writer.writerow([values.get(column.key, "") for column in COLUMNS])
    return buffer.getvalue().encode(encoding)


def good_rows() -> list[dict[str, str]]:
    return [
        row(),
        row(
            programme_id="T-PRG-2",
            name="Шахматы",
            direction="sport",  # the code is accepted too
            cost="Платно",
            price="1 500",
            format="ОНЛАЙН",
            hidden="да",
        ),
        row(ORG2, programme_id="T-PRG-3", name="Юный эколог", direction="естественнонаучный"),
        org_only({**ORG, "org_id": "T-ORG-3", "org_name": "Доброшкола", "org_type": "Доброшкола"}),
    ]


async def count(app, model) -> int:
    async with app.sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def by_external_id(app, model, external_id: str):
    async with app.sessions() as session:
        return (
            await session.execute(select(model).where(model.external_id == external_id))
        ).scalar_one_or_none()


async def stamps(app) -> dict[str, datetime]:
    async with app.sessions() as session:
        orgs = (await session.execute(select(Organisation))).scalars().all()
        programmes = (await session.execute(select(Programme))).scalars().all()
    return {f"o:{o.external_id}": o.updated_at for o in orgs} | {
        f"p:{p.external_id}": p.updated_at for p in programmes
    }
