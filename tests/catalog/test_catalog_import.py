"""Catalogue import and export: files as staff make them, the database as the bot sees it,
and the chat flow as an admin uploads a file."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC
from pathlib import Path

import pytest
from aiogram.methods import EditMessageText, SendDocument
from aiogram.types import Document
from backends import needs_postgres
from catalog_rows import (
    HEADERS,
    ORG,
    ORG2,
    by_external_id,
    count,
    csv_bytes,
    good_rows,
    row,
    stamps,
)
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, update

from bot.app import build_app, prepare_database
from bot.cli import main as cli
from bot.config import PROJECT_ROOT
from bot.telegram.html import parse_html
from bot.telegram.i18n import Locales
from db import migrate
from db.models import Locality, Organisation, Programme
from handlers.staff.files import ImportProgress
from handlers.staff.import_reports import catalog_report
from services import demo_data
from services.catalog import text_index
from services.catalog.columns import COLUMNS
from services.catalog.exports import export_catalog
from services.catalog.imports import import_catalog

ADMIN = 900001


def problems(report) -> set[tuple[int, str, str]]:
    return {(p.row, p.column, p.reason) for p in report.problems}


# --- reading and writing -------------------------------------------------------------------


async def test_good_file_is_imported_with_codes_stems_and_locality_point(app):
    report = await import_catalog(app.sessions, csv_bytes(good_rows()), file_name="new.csv")
    assert report.ok and report.written, report.problems
    assert report.rows == 4
    assert (report.organisations.added, report.programmes.added) == (3, 3)

    org = await by_external_id(app, Organisation, "T-ORG-1")
    async with app.sessions() as session:
        tomsk = (
            await session.execute(select(Locality).where(Locality.name == "Томск"))
        ).scalar_one()
    assert (org.type, org.locality_id, org.accessible, org.hidden) == (
        "kvantorium",
        tomsk.id,
        True,
        False,
    )
    assert (org.latitude, org.longitude) == (tomsk.latitude, tomsk.longitude)  # empty → centre
    school = await by_external_id(app, Organisation, "T-ORG-2")
    assert (school.latitude, school.longitude) == (56.6, 84.88)
    assert await by_external_id(app, Organisation, "T-ORG-3") is not None

    chess = await by_external_id(app, Programme, "T-PRG-2")
    assert (chess.direction, chess.cost, chess.price, chess.format, chess.hidden) == (
        "sport",
        "paid",
        1500,
        "online",
        True,
    )
    robots = await by_external_id(app, Programme, "T-PRG-1")
    assert robots.organisation_id == org.id
    assert robots.search_stems == text_index.document(
        "Робототехника", "Собираем роботов и программируем их.", "технический"
    )  # the organisation's name and type are not the programme's words
    text = catalog_report(Locales().get("ru"), report)
    assert "Программы: добавлено 3, изменено 0, без изменений 0" in text
    assert "остаются как были" in text  # rows missing from a file are not deleted
    parse_html(text)


async def test_same_file_twice_writes_nothing_and_changes_are_updates(app):
    data = csv_bytes(good_rows())
    await import_catalog(app.sessions, data, file_name="c.csv")
    before = await stamps(app)

    again = await import_catalog(app.sessions, data, file_name="c.csv")
    assert (again.organisations.added, again.organisations.changed) == (0, 0)
    assert (again.programmes.added, again.programmes.changed, again.programmes.unchanged) == (
        0,
        0,
        3,
    )
    assert await stamps(app) == before

    # One cell changed, and one programme moved to another organisation.
    rows = good_rows()
    rows[0]["seats_free"] = "3"
    rows[1] = {**rows[1], **{key: ORG2[key] for key in ORG}}
    changed = await import_catalog(app.sessions, csv_bytes(rows), file_name="c.csv")
    assert changed.ok, changed.problems
    assert (changed.programmes.changed, changed.programmes.unchanged) == (2, 1)
    assert changed.organisations.changed == 0
    after = await stamps(app)
    assert after["p:T-PRG-1"] > before["p:T-PRG-1"]
    assert after["p:T-PRG-3"] == before["p:T-PRG-3"]
    assert (await by_external_id(app, Programme, "T-PRG-1")).seats_free == 3
    moved = await by_external_id(app, Programme, "T-PRG-2")
    assert moved.organisation_id == (await by_external_id(app, Organisation, "T-ORG-2")).id

    # Rows missing from a file stay.
    partial = await import_catalog(app.sessions, csv_bytes(rows[:1]), file_name="c.csv")
    assert partial.ok
    assert await by_external_id(app, Programme, "T-PRG-3") is not None


async def test_file_with_bad_rows_changes_nothing_and_names_every_problem(app):
    before = (await count(app, Organisation), await count(app, Programme))
    rows = [
        row(),  # row 2: fine
        row(programme_id="T-PRG-2", age_from="два", age_to="20"),  # row 3
        row(programme_id="T-PRG-3", age_from="12", age_to="9", direction="кулинарный"),  # row 4
        row(programme_id="T-PRG-4", cost="платно", seats_free="30"),  # row 5
        row(programme_id="T-PRG-1"),  # row 6: duplicate programme
        row(programme_id="T-PRG-5", address="другой адрес"),  # row 7: organisation disagrees
        row(
            ORG2,
            org_id="T-ORG-9",
            locality="Атлантида",
            website="kvant.example",
            latitude="95",
            accessible="может быть",
            programme_id="T-PRG-6",
        ),  # row 8
        row(programme_id="", name="Без ИД"),  # row 9
        row(programme_id="T-PRG-7", name="Я" * 300, enrol_url="ftp://x"),  # row 10
        row(ORG2, org_id="T-ORG-8", latitude="56.5", longitude="", programme_id="T-PRG-8"),
        row(org_id="", org_type="", programme_id="T-PRG-9", format=""),  # row 12
    ]
    data = csv_bytes(rows[:1]) + b";;\r\n" + csv_bytes(rows[1:]).split(b"\r\n", 1)[1]
    # A blank line (only delimiters) after row 2 is skipped; Excel still numbers it: rows +1.
    report = await import_catalog(app.sessions, data, file_name="bad.csv")
    assert not report.ok and not report.written
    assert (await count(app, Organisation), await count(app, Programme)) == before

    expected = {
        (4, "Возраст от", "integer"),
        (4, "Возраст до", "range"),
        (5, "Возраст до", "age-order"),
        (5, "Направление", "word"),
        (6, "Цена, руб.", "price-required"),
        (6, "Мест свободно", "seats"),
        (7, "ИД программы", "duplicate-programme"),
        (8, "Адрес", "org-conflict"),
        (9, "Населённый пункт", "locality"),
        (9, "Сайт", "url"),
        (9, "Широта", "range"),
        (9, "Доступно для детей с ОВЗ", "yes-no"),
        (10, "ИД программы", "programme-id-missing"),
        (11, "Название программы", "too-long"),
        (11, "Ссылка на запись", "url"),
        (12, "Долгота", "coordinates-pair"),
        (13, "ИД организации", "required"),
        (13, "Тип организации", "required"),
        (13, "Формат", "required"),
    }
    assert problems(report) == expected
    assert report.problem_count == len(expected)

    text = catalog_report(Locales().get("ru"), report)
    plain = parse_html(text)[0]
    assert "Каталог не изменён" in plain and f"найдено проблем: {len(expected)}" in plain
    assert "• строка 4, «Возраст от»: «два» — нужно целое число" in plain
    assert "• строка 5, «Направление»: «кулинарный» — такого значения нет" in plain
    assert "• строка 9, «Населённый пункт»: «Атлантида» — такого населённого пункта нет" in plain
    assert "организация T-ORG-1 в строке 2 описана иначе" in plain
    english = parse_html(catalog_report(Locales().get("en"), report))[0]
    assert "• row 4, “Возраст от”: “два” must be a whole number" in english


async def test_header_problems_are_reported_once_each(app):
    headers = [h.upper() if h != "Широта" else "Высота" for h in HEADERS]
    headers[HEADERS.index("Населённый пункт")] = "населенный  пункт"  # ё=е, spaces, case: fine
    data = csv_bytes([row()], headers=headers)
    report = await import_catalog(app.sessions, data, file_name="h.csv")
    assert problems(report) == {(1, "Высота", "unknown-header"), (1, "Широта", "missing-header")}

    missing = io.StringIO()
    csv.writer(missing, delimiter=";").writerows([["ИД организации", "Организация"], ["X", "Y"]])
    report = await import_catalog(app.sessions, missing.getvalue().encode(), file_name="m.csv")
    assert problems(report) == {
        (1, "Тип организации", "missing-header"),
        (1, "Населённый пункт", "missing-header"),
    }
    for content, reason in ((b"", "empty-file"), (b"PK\x03\x04broken", "unreadable")):
        name = "x.xlsx" if reason == "unreadable" else "x.csv"
        report = await import_catalog(app.sessions, content, file_name=name)
        assert problems(report) == {(0, "", reason)}
        parse_html(catalog_report(Locales().get("ru"), report))
    report = await import_catalog(app.sessions, b"x", file_name="catalog.xls")
    assert problems(report) == {(0, "", "file-type")}


async def test_russian_excel_csv_in_cp1251_with_semicolons_and_decimal_commas(app):
    data = csv_bytes(
        [
            row(
                ORG2,
                latitude="56,61",
                longitude="84,9",
                locality="северск",
                direction="ТЕХНИЧЕСКИЙ",
            )
        ],
        encoding="cp1251",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = await import_catalog(app.sessions, data, file_name="excel.csv")
    assert report.ok, report.problems
    org = await by_external_id(app, Organisation, "T-ORG-2")
    assert (org.name, org.latitude, org.longitude) == ("Школа № 2", 56.61, 84.9)

    # Comma-separated UTF-8 without BOM, columns in another order, English locality name.
    order = list(reversed(HEADERS))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(order)
    values = row(programme_id="T-PRG-C", locality="Tomsk", org_id="T-ORG-C")
    key_of = {column.header: column.key for column in COLUMNS}
    writer.writerow([values[key_of[header]] for header in order])
    report = await import_catalog(app.sessions, buffer.getvalue().encode(), file_name="c.csv")
    assert report.ok, report.problems
    assert (await by_external_id(app, Programme, "T-PRG-C")).name == "Робототехника"


async def test_xlsx_with_numbers_as_floats_and_booleans(app):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    values = row(ORG2)
    cells = []
    for column in COLUMNS:
        value: object = values[column.key]
        if column.key in {"age_from", "age_to", "seats_total", "seats_free"}:
            value = float(value)  # Excel's numbers arrive as 10.0
        elif column.key in {"latitude", "longitude"}:
            value = float(value)
        elif column.key == "accessible":
            value = True
        cells.append(value if value != "" else None)
    sheet.append(cells)
    sheet.append([None] * len(HEADERS))  # an empty row is skipped
    bad = list(cells)
    bad[HEADERS.index("ИД программы")] = "T-PRG-X"
    bad[HEADERS.index("Возраст от")] = 10.5
    sheet.append(bad)
    second = book.create_sheet("Другое")
    second.append(["не читается"])
    buffer = io.BytesIO()
    book.save(buffer)

    report = await import_catalog(app.sessions, buffer.getvalue(), file_name="k.XLSX")
    assert problems(report) == {(4, "Возраст от", "integer")}
    sheet.delete_rows(4)
    buffer = io.BytesIO()
    book.save(buffer)
    report = await import_catalog(app.sessions, buffer.getvalue(), file_name="k.xlsx")
    assert report.ok, report.problems
    programme = await by_external_id(app, Programme, "T-PRG-1")
    assert (programme.age_from, programme.age_to, programme.seats_free) == (10, 14, 4)
    assert (await by_external_id(app, Organisation, "T-ORG-2")).accessible is True


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
async def test_export_then_import_changes_nothing(app, tmp_path, suffix):
    await import_catalog(app.sessions, csv_bytes(good_rows()), file_name="c.csv")
    async with app.sessions() as session:  # hidden ones are exported too
        await session.execute(
            update(Organisation).where(Organisation.external_id == "T-ORG-2").values(hidden=True)
        )
        await session.commit()
    before = await stamps(app)
    path = tmp_path / f"catalog.{suffix}"
    summary = await export_catalog(app.sessions, path)
    assert summary.organisations == await count(app, Organisation)
    assert summary.programmes == await count(app, Programme)

    report = await import_catalog(app.sessions, path)
    assert report.ok, report.problems[:5]
    assert (report.organisations.added, report.organisations.changed) == (0, 0)
    assert (report.programmes.added, report.programmes.changed) == (0, 0)
    assert report.programmes.unchanged == summary.programmes
    assert report.organisations.unchanged == summary.organisations
    assert await stamps(app) == before

    if suffix == "csv":
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.split(b"\r\n", 1)[0].count(b";") == 27
    else:
        sheet = load_workbook(path, read_only=True).worksheets[0]
        first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
        assert isinstance(first[HEADERS.index("Широта")], float)


async def test_progress_is_reported_per_thousand_rows_and_per_phase(app):
    rows = [row(programme_id=f"T-PRG-{n}") for n in range(2500)]
    calls: list[tuple[int, int, str]] = []
    report = await import_catalog(
        app.sessions,
        csv_bytes(rows),
        file_name="big.csv",
        progress=lambda done, total, phase: calls.append((done, total, phase)),
    )
    assert report.ok and report.programmes.added == 2500
    reads = [c for c in calls if c[2] == "read"]
    writes = [c for c in calls if c[2] == "write"]
    assert [c[0] for c in reads] == [1000, 2000, 2500]
    assert all(done <= total for done, total, _ in calls)
    assert writes[-1][:2] == (2501, 2501)  # one organisation, 2500 programmes
    assert [c[0] for c in writes] == sorted(c[0] for c in writes)
    assert calls.index(reads[-1]) < calls.index(writes[0])


async def test_dry_run_reports_what_would_change_and_writes_nothing(app):
    before = await count(app, Programme)
    report = await import_catalog(
        app.sessions, csv_bytes(good_rows()), file_name="c.csv", dry_run=True
    )
    assert report.ok and not report.written
    assert report.programmes.added == 3
    assert await count(app, Programme) == before
    assert "только проверка" in catalog_report(Locales().get("ru"), report)


def _own_ids(template: Path, target: Path) -> Path:
    """The template with its example ids (ОБРАЗЕЦ-…) replaced, as staff fill it in."""
    if template.suffix == ".csv":
        target.write_text(template.read_text("utf-8-sig").replace("ОБРАЗЕЦ-", "TSK-"), "utf-8-sig")
        return target
    book = load_workbook(template)
    for cells in book.worksheets[0].iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace("ОБРАЗЕЦ-", "TSK-")
    book.save(target)
    return target


@pytest.mark.parametrize("name", ["catalog_template.csv", "catalog_template.xlsx"])
async def test_shipped_templates_have_example_ids_that_import_refuses(app, name, tmp_path):
    template = PROJECT_ROOT / "data" / name
    report = await import_catalog(app.sessions, template, dry_run=True)
    # every id of the examples is marked as one (no real row can be overwritten by them)
    assert {(p.column, p.reason) for p in report.problems} == {
        ("ИД организации", "example-id"),
        ("ИД программы", "example-id"),
    }
    assert len(report.problems) == 4
    text = catalog_report(Locales().get("ru"), report)
    assert "«ОБРАЗЕЦ-ORG-1» — строка-образец из шаблона" in parse_html(text)[0]

    filled = await import_catalog(app.sessions, _own_ids(template, tmp_path / name), dry_run=True)
    assert filled.ok, filled.problems
    assert (filled.rows, filled.programmes.added) == (2, 2)


async def test_demo_catalogue_is_loaded_after_localities_when_present(
    settings, tmp_path, monkeypatch
):
    demo = tmp_path / "demo"
    demo.mkdir()
    shutil.copy(PROJECT_ROOT / "data" / "demo" / "localities.csv", demo / "localities.csv")
    monkeypatch.setattr(demo_data, "DEMO_DIR", demo)

    app = build_app(settings)
    try:
        await prepare_database(app)  # no catalog.csv: localities only, quietly
        assert await count(app, Locality) > 0
        assert await count(app, Programme) == 0

        (demo / "catalog.csv").write_bytes(csv_bytes(good_rows()))
        assert await demo_data.load_demo_if_empty(app.sessions)
        assert await count(app, Programme) == 3
        assert not await demo_data.load_demo_if_empty(app.sessions)  # not twice
    finally:
        await app.close()


# --- chat --------------------------------------------------------------------------------------


def _document(name: str, size: int = 1000) -> Document:
    return Document(
        file_id=f"id-{name}", file_unique_id=f"u-{name}", file_name=name, file_size=size
    )


async def _send_file(user, name: str, caption: str | None = None, size: int = 1000):
    return await user.send_message(document=_document(name, size), caption=caption)


def _serve(client, data: bytes) -> list[str]:
    asked: list[str] = []

    async def downloader(bot, document):
        asked.append(document.file_name)
        return data

    client.dispatcher["downloader"] = downloader
    return asked


async def test_admin_uploads_a_file_and_gets_the_report(client, app):
    asked = _serve(client, csv_bytes(good_rows()))
    invalidated: list[bool] = []

    class Search:  # the search service's vocabulary must be read again after an import
        def invalidate(self) -> None:
            invalidated.append(True)

    client.dispatcher["search"] = Search()
    admin = client.user(ADMIN)
    await _send_file(admin, "каталог <новый>.csv")
    assert asked == ["каталог <новый>.csv"]
    assert invalidated == [True]
    text = admin.text()
    assert "Получил файл «каталог <новый>.csv»" in text
    assert "Файл обработан" in text  # the progress message, edited
    assert "Каталог обновлён" in text and "Программы: добавлено 3" in text
    assert await by_external_id(app, Programme, "T-PRG-3") is not None

    await _send_file(admin, "again.csv", caption="Проверка")
    assert "это была только проверка" in admin.text().lower()
    assert "без изменений 3" in admin.text()
    assert invalidated == [True]  # a check writes nothing


async def test_admin_gets_a_long_problem_list_cut_to_fit_one_message(client, app):
    rows = [row(programme_id=f"T-PRG-{n}", age_from="<b>" * 20) for n in range(300)]
    _serve(client, csv_bytes(rows))
    admin = client.user(ADMIN)
    await _send_file(admin, "bad.csv")
    report = admin.texts()[-1]
    assert "найдено проблем: 300" in report
    assert "• строка 2, «Возраст от»: «<b><b>" in report
    assert "…и ещё" in report
    assert len(report) <= 4096  # and the offline session accepted it (checked by the fixture)
    assert await by_external_id(app, Programme, "T-PRG-1") is None


async def test_non_admin_document_and_wrong_file_type_get_clear_answers(client, app):
    asked = _serve(client, csv_bytes(good_rows()))
    anna = client.user(5001)
    await _send_file(anna, "catalog.csv")
    assert "Файлы я не принимаю" in anna.text()
    await anna.send("/export")
    assert "для сотрудников" in anna.text()
    assert asked == []

    admin = client.user(ADMIN)
    await _send_file(admin, "photo.jpg")
    assert "«photo.jpg» не подходит" in admin.text()
    await _send_file(admin, "huge.xlsx", size=30 * 1024 * 1024)
    assert "больше 20 МБ" in admin.text()
    assert asked == []


async def test_export_command_sends_an_xlsx_that_imports_back_unchanged(client, app):
    await import_catalog(app.sessions, csv_bytes(good_rows()), file_name="c.csv")
    admin = client.user(ADMIN)
    await admin.send("/export")
    [sent] = [o.method for o in admin.last if isinstance(o.method, SendDocument)]
    assert sent.document.filename.endswith(".xlsx")
    assert "программ — " in sent.caption
    report = await import_catalog(app.sessions, sent.document.data, file_name="back.xlsx")
    assert report.ok and report.programmes.changed == 0 and report.programmes.added == 0

    await admin.send("/import")
    assert "Загрузка каталога" in admin.text()
    [template] = [o.method for o in admin.last if isinstance(o.method, SendDocument)]
    assert template.document.filename == "catalog_template.xlsx"


async def test_chat_progress_edits_at_most_every_interval_and_never_repeats(client):
    now = [0.0]
    message = await client.bot.send_message(ADMIN, "⏳ начали")
    progress = ImportProgress(
        client.bot, message, Locales().get("ru"), interval=2, clock=lambda: now[0]
    )
    for moment, done in ((1, 1000), (2.5, 2000), (3, 3000), (5, 3000), (5.1, 3000), (9, 4000)):
        now[0] = moment
        await progress(done, 5000, "read")
    await progress.show(Locales().get("ru")("import-progress-finished"))
    await progress.show(Locales().get("ru")("import-progress-finished"))
    edits = [o.method.text for o in client.session.log if isinstance(o.method, EditMessageText)]
    assert edits == [
        "⏳ Проверяю строки: 2\u00a0000 из 5\u00a0000…",
        "⏳ Проверяю строки: 3\u00a0000 из 5\u00a0000…",
        "⏳ Проверяю строки: 4\u00a0000 из 5\u00a0000…",
        "Файл обработан — отчёт ниже.",
    ]


# --- command line and PostgreSQL --------------------------------------------------------------


def test_command_line_import_and_export(tmp_path, monkeypatch, capsys):
    # In-process (a subprocess spends seconds importing aiogram): the same main() as python -m bot.
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/c.db")
    monkeypatch.setattr(cli, "setup_logging", lambda *args: None)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_bytes(good_rows()))
    bad.write_bytes(csv_bytes([row(age_from="0")]))
    code, out, _ = run("import", "catalog", str(bad))
    assert code == 1
    assert "• строка 2, «Возраст от»: 0 — вне допустимого диапазона от 3 до 18" in out
    code, out, err = run("import", "catalog", str(good))
    assert code == 0, err
    assert "Программы: добавлено 3" in out and "<b>" not in out
    assert "Проверка строк [##############################] 100% 4/4" in err
    code, out, err = run("export", "catalog", str(tmp_path / "out.xlsx"))
    assert code == 0, err
    assert "программ — 3" in out
    code, out, _ = run("import", "catalog", str(tmp_path / "out.xlsx"), "--dry-run")
    assert code == 0 and "без изменений 3" in out
    code, _, err = run("export", "catalog", str(tmp_path / "out.txt"))
    assert code == 1 and "подходят только файлы .xlsx и .csv" in err


@needs_postgres
async def test_import_on_postgresql(settings):
    from backends import fresh_postgres

    engine = await fresh_postgres()
    app = build_app(settings, engine=engine)
    try:
        await migrate.upgrade(engine)
        await demo_data.load_localities_if_empty(app.sessions)
        data = csv_bytes(good_rows())
        first = await import_catalog(app.sessions, data, file_name="c.csv")
        assert first.ok and first.programmes.added == 3, first.problems
        before = await stamps(app)
        second = await import_catalog(app.sessions, data, file_name="c.csv")
        assert (second.programmes.unchanged, second.organisations.unchanged) == (3, 3)
        assert await stamps(app) == before
        buffer = io.BytesIO()
        await export_catalog(app.sessions, buffer, kind="xlsx")
        third = await import_catalog(app.sessions, buffer.getvalue(), file_name="e.xlsx")
        assert third.ok and third.programmes.changed == 0 and third.organisations.changed == 0
        assert (await by_external_id(app, Organisation, "T-ORG-1")).updated_at.tzinfo is UTC
    finally:
        await app.close()
