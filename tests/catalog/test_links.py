"""Links staff give become buttons and HTML links: only what Telegram accepts as a button's
URL, nothing that breaks out of an attribute or hides where it leads. In the catalogue import
(enrolment pages, websites) and wherever staff type one (an event's page, a broadcast's
button)."""

from __future__ import annotations

import csv
import io

import pytest
from aiogram.types import MessageEntity
from sqlalchemy import func, select

from db.models import Programme
from services.catalog.columns import COLUMNS
from services.catalog.imports import import_catalog
from services.links import MAX_LENGTH, is_button_url

ADMIN = 900001
GOOD = [
    "https://navigator.example/program/10001",
    "http://org1.edu.example",
    "https://navigator.example:8443/a_b-c~d?x=1&y=%D0%B0#top",
    "https://р-н.рф/кружки?id=5",
    "https://xn--80aswg.xn--p1ai/",
    "HTTPS://Navigator.Example/Path",
    "https://navigator.example/" + "a" * (MAX_LENGTH - 26),  # exactly the limit
]
HOSTILE = [
    'https://evil.example/" onclick="x',
    'https://evil.example/"onclick="x"',
    "https://evil.example/'><script>alert(1)</script>",
    "https://evil.example/<b>",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "tg://resolve?domain=evil",
    "ftp://files.example/a",
    "https://localhost/admin",
    "http://127.0.0.1:8080/",
    "https://[::1]/",
    "https://intranet/",
    "https://user:secret@navigator.example/",
    "https://navigator.example@evil.example/",
    "https://navigator.example/\u202egnp.exe",
    "https://navigator.example/\u200b",
    "https://navigator.example/a\tb",
    "https://navigator.example/a\nb",
    "https://nav igator.example/",
    "https://navigator.example\\@evil.example/",
    "https://-bad.example/",
    "https://a..b.example/",
    "https://navigator.example:99999/",
    "https://navigator.example/%zz",
    "https:/navigator.example/",
    "https://",
    "navigator.example/program/1",
    "https://navigator.example/" + "a" * (MAX_LENGTH - 25),  # one over
]


@pytest.mark.parametrize("url", GOOD)
def test_real_pages_are_button_urls(url):
    assert is_button_url(url)


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_links_are_not_button_urls(url):
    assert not is_button_url(url)


def _catalogue(enrol_urls: list[str], website: str = "https://kvant.example") -> bytes:
    base = {
        "org_id": "L-ORG",
        "org_name": "Центр «Кванториум»",
        "org_type": "Кванториум",
        "locality": "Томск",
        "website": website,
        "name": "Робототехника",
        "direction": "технический",
        "age_from": "10",
        "age_to": "14",
        "format": "очно",
        "cost": "бесплатно",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([column.header for column in COLUMNS])
    for n, url in enumerate(enrol_urls):
        values = {**base, "programme_id": f"L-PRG-{n}", "enrol_url": url}
        writer.writerow([values.get(column.key, "") for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


async def test_import_refuses_every_hostile_enrolment_link_and_website(app):
    hostile = [url for url in HOSTILE if len(url) <= 512 and "\n" not in url]
    async with app.sessions() as session:
        before = (await session.execute(select(func.count(Programme.id)))).scalar_one()
    report = await import_catalog(
        app.sessions, _catalogue(hostile, website="https://evil.example/\" x='y"), file_name="l.csv"
    )
    urls = {(p.row, p.column) for p in report.problems if p.reason == "url"}
    assert {row for row, column in urls if column == "Ссылка на запись"} == set(
        range(2, len(hostile) + 2)
    )
    assert {row for row, column in urls if column == "Сайт"} == set(range(2, len(hostile) + 2))
    async with app.sessions() as session:
        assert (await session.execute(select(func.count(Programme.id)))).scalar_one() == before

    good = await import_catalog(app.sessions, _catalogue(GOOD[:-1]), file_name="l.csv")
    assert good.ok, good.problems[:3]


async def test_a_broadcast_button_typed_with_a_hostile_link_is_refused(client):
    admin = client.user(ADMIN)
    await admin.send("/broadcast")
    headline = "Фестиваль профессий"
    bold = MessageEntity(type="bold", offset=0, length=len(headline))
    await admin.send_message(text=f"{headline} для 8 классов", entities=[bold])
    await admin.send_message(text="Profession festival for grade 8")
    await admin.press("🔗 Кнопка-ссылка")
    await admin.send("Записаться")
    for url in ('https://evil.example/"onclick="x"', "https://localhost/x", "javascript:alert(1)"):
        await admin.send(url)
        assert "не похоже на ссылку" in admin.text(), url
    await admin.send("https://edu.example.org/festival?grade=8")
    assert "кому отправить" in admin.text()


async def test_an_event_page_typed_with_a_hostile_link_is_refused(client):
    admin = client.user(ADMIN)
    await admin.send("/events_admin")
    await admin.press("➕ Новое мероприятие")
    await admin.send("Профпробы «Билета в будущее»")
    await admin.press("Пропустить")
    await admin.send("01.12.2099 15:00")
    await admin.send("https://evil.example/'><script>x</script>")
    assert "не похоже на ссылку" in admin.text()
    await admin.send("Кванториум, пр. Ленина, 26")
    await admin.send("https://user:secret@bvbinfo.ru/register")
    assert "не похоже на ссылку" in admin.text()
    await admin.send("https://bvbinfo.ru/register")
    assert "для кого" in admin.text()
