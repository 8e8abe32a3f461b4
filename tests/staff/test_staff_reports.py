"""Staff reports through the bot, as an admin uses them: /reports, bookings by day, the
bookings export (XLSX and CSV for a period) and the yearly plan report with its chart; and
the same services and command lines without the bot."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from backends import needs_postgres
from clock import Clock
from consult_data import add_users, seed
from openpyxl import load_workbook
from sqlalchemy import update

import bot.cli.main as cli
from bot.app import build_app
from db import migrate
from db.models import Booking
from handlers.booking.plan_chart import (
    chart_title,
    month_bars,
    months_title,
    plan_panels,
    render_chart,
    render_months_chart,
)
from handlers.booking.plan_text import plan_messages
from handlers.booking.reports_dialog import sending
from services.booking.exports import (
    HEADERS,
    Period,
    PeriodError,
    csv_text,
    export_bookings,
    parse_period,
    preset_period,
)
from services.booking.plan_report import Counts, Line, PlanReport, plan_report
from services.booking.schedule import generate_slots
from services.booking.service import Choice, Contact
from services.demo_data import load_demo_if_empty

pytestmark = pytest.mark.both_messengers

ADMIN = 900001
PARENTS = list(range(5001, 5011))
STRANGER = 5001
TIMES = ("09:00", "09:45", "11:30", "12:15")
NOW = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # Wednesday 12:00 in Tomsk
PNG = b"\x89PNG\r\n\x1a\n"


async def _book(app, user_id, specialist_id, day, index, contact=None):
    service = 2 if specialist_id == 3 else 1
    choice = Choice(service, specialist_id=specialist_id)
    slot = next(
        slot
        for slot in await app.booking.free_slots(choice, day)
        if f"{slot.starts_at.astimezone(app.settings.zone):%H:%M}" == TIMES[index]
    )
    contact = contact or Contact(f"Родитель {user_id}", f"+7999000{user_id}", 8, "Вопрос", "ru")
    return await app.booking.book(user_id, choice, slot.id, "in_person", contact)


async def _set(app, booking, **values) -> None:
    async with app.sessions() as session:
        await session.execute(update(Booking).where(Booking.id == booking.id).values(**values))
        await session.commit()


@pytest.fixture
async def made(app):
    return await _make(app)


async def _make(app):
    """Bookings from December 2025 to December 2026, marked as a department would have them.
    2026 (report made on 25 November): done 3, missed 1, cancelled 1, ahead 2, unmarked 1."""
    zone = app.settings.zone
    clock = Clock(datetime(2025, 12, 27, 3, 0, tzinfo=UTC))
    app.booking.now = clock
    await seed(app.sessions, zone, date(2026, 10, 26), days=40)
    async with app.write_sessions() as session, session.begin():
        await generate_slots(session, zone, date(2025, 12, 29), date(2025, 12, 31))
    await add_users(app.sessions, PARENTS)
    b = {}
    b["old"] = await _book(app, 5010, 1, date(2025, 12, 30), 0)
    clock.moment = datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    b["oct_done"] = await _book(app, 5001, 1, date(2026, 10, 27), 0)
    b["oct_missed"] = await _book(app, 5002, 1, date(2026, 10, 28), 1)
    b["nov_done"] = await _book(app, 5003, 2, date(2026, 11, 3), 0)
    b["nov_done_p2"] = await _book(app, 5004, 3, date(2026, 11, 3), 0)  # same time, other spec.
    b["nov_cancelled"] = await _book(app, 5005, 3, date(2026, 11, 5), 1)
    b["nov_unmarked"] = await _book(app, 5006, 2, date(2026, 11, 23), 2)
    b["nov_ahead"] = await _book(app, 5007, 1, date(2026, 11, 30), 0)
    tricky = Contact("Анна <b>&</b>", "+79991234567", None, '=HYPERLINK("http://x")', "ru")
    b["dec_ahead"] = await _book(app, 5008, 1, date(2026, 12, 2), 3, tricky)
    await app.booking.cancel(5005, b["nov_cancelled"].id, "заболели")
    for key, status in (
        ("old", "done"),
        ("oct_done", "done"),
        ("oct_missed", "missed"),
        ("nov_done", "done"),
        ("nov_done_p2", "done"),
    ):
        await _set(app, b[key], status=status)
    await _set(app, b["oct_done"], rating=5)
    clock.moment = NOW
    return b


def _documents(user) -> list[SendDocument]:
    return [o.method for o in user.last if isinstance(o.method, SendDocument)]


def _uploads(user) -> dict[str, bytes]:
    return {
        o.method.document.filename: o.upload
        for o in user.last
        if isinstance(o.method, SendDocument)
    }


def _xlsx_rows(data: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(data)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM Russian Excel needs
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


# --- through the bot -----------------------------------------------------------------------
async def test_admin_exports_last_month_as_both_files(client, app, made):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    assert "Отчёты по консультациям" in admin.text()
    await admin.press("📤 Выгрузка записей")
    await admin.press("Прошлый месяц")
    assert "01.10.2026–31.10.2026" in admin.text()
    await admin.press("Оба файла")
    assert admin.callback_answer().text == "Готовлю файл…"
    files = _uploads(admin)
    assert set(files) == {
        "bookings_2026-10-01_2026-10-31.xlsx",
        "bookings_2026-10-01_2026-10-31.csv",
    }
    assert "за 01.10.2026–31.10.2026: 2" in _documents(admin)[0].caption

    rows = _xlsx_rows(files["bookings_2026-10-01_2026-10-31.xlsx"])
    assert rows[0] == HEADERS
    assert rows[1] == (
        made["oct_done"].code,
        datetime(2026, 10, 27, 9, 0),
        "Психолого-педагогическая помощь",
        "МБОУ «СОШ № 5»",
        "Иванова Мария Петровна",
        "очно",
        "состоялась",
        "Родитель 5001",
        "+79990005001",
        8,
        "Вопрос",
        5,
    )
    assert [row[0] for row in rows[1:]] == [made["oct_done"].code, made["oct_missed"].code]
    assert rows[2][1] == datetime(2026, 10, 28, 9, 45) and rows[2][6] == "не пришли"

    table = _csv_rows(files["bookings_2026-10-01_2026-10-31.csv"])
    assert table[0] == list(HEADERS)
    assert table[1][:2] == [made["oct_done"].code, "27.10.2026 09:00"]
    assert table[1][6:] == ["состоялась", "Родитель 5001", "+79990005001", "8", "Вопрос", "5"]
    assert len(table) == 3


async def test_this_month_has_every_status_and_the_period_only(client, app, made):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📤 Выгрузка записей")
    await admin.press("Этот месяц")
    await admin.press("Excel (XLSX)")
    (data,) = _uploads(admin).values()
    rows = _xlsx_rows(data)[1:]
    status = {row[0]: row[6] for row in rows}
    assert status == {
        made["nov_done"].code: "состоялась",
        made["nov_done_p2"].code: "состоялась",
        made["nov_cancelled"].code: "отменена",
        made["nov_unmarked"].code: "не отмечена",
        made["nov_ahead"].code: "запланирована",
    }
    times = [row[1] for row in rows]
    assert times == sorted(times)
    p2 = next(row for row in rows if row[0] == made["nov_done_p2"].code)
    assert p2[2:5] == (
        "Консультация для будущих приёмных родителей",
        "Отдел опеки и попечительства",
        "Смирнова Анна Юрьевна",
    )


async def test_a_typed_period_is_checked_and_a_bad_one_sends_nothing(client, app, made):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📤 Выгрузка записей")
    await admin.press("✍️ Другой период")
    assert "01.09.2026–31.12.2026" in admin.text()
    for typed, answer in (
        ("31.02.2026–01.03.2026", "Такой даты нет: «31.02.2026»"),
        ("01.12.2026 - 01.11.2026", "Конец периода раньше начала"),
        ("в сентябре <b>", "Не понял период «в сентябре &lt;b&gt;»"),
        ("01.01.2020-01.01.2030", "не больше 1831 дней"),
    ):
        await admin.send(typed)
        assert answer in admin.last[0].method.text, typed
        assert not _documents(admin) and len(admin.last) == 1
    await admin.send("01.01.2020")
    await admin.press("CSV")
    assert "За период 01.01.2020–01.01.2020 записей нет" in admin.text()
    assert not _documents(admin)

    await admin.press("◀️ Назад")  # from the kinds to the periods
    await admin.press("✍️ Другой период")
    await admin.send("01.10.2026–31.12.2026")
    await admin.press("CSV")
    (data,) = _uploads(admin).values()
    table = _csv_rows(data)
    assert len(table) == 1 + 8  # every 2026 booking from October on, the 2025 one not
    tricky = next(row for row in table if row[0] == made["dec_ahead"].code)
    assert tricky[7] == "Анна <b>&</b>" and tricky[8] == "+79991234567"
    assert tricky[10] == '\'=HYPERLINK("http://x")'  # never a formula in Excel
    assert tricky[9] == "" and tricky[11] == ""


async def test_the_typed_period_step_lets_the_menu_through(client, app, made):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📤 Выгрузка записей")
    await admin.press("✍️ Другой период")
    await admin.send("/cancel")
    await admin.send("01.10.2026–31.12.2026")
    assert "Период" not in admin.text()


async def test_xlsx_keeps_a_parents_formula_as_text(client, app, made):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📤 Выгрузка записей")
    await admin.press("Этот год")
    await admin.press("Excel (XLSX)")
    (data,) = _uploads(admin).values()
    sheet = load_workbook(BytesIO(data)).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(cells) == 8
    question = cells[made["dec_ahead"].code][10]
    assert question.value == '=HYPERLINK("http://x")' and question.data_type == "s"
    assert cells[made["dec_ahead"].code][1].number_format == "DD.MM.YYYY HH:MM"


async def test_a_big_export_shows_its_progress(client, app, made, monkeypatch):
    monkeypatch.setattr(sending, "PROGRESS_ROWS", 3)
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📤 Выгрузка записей")
    await admin.press("Этот год")
    await admin.press("CSV")
    sent = [o.message.text for o in admin.last if isinstance(o.method, SendMessage)]
    assert sent == ["⏳ Готовлю выгрузку за 01.01.2026–31.12.2026: 0 из 8 записей…"]
    status_id = next(o.message.message_id for o in admin.last if isinstance(o.method, SendMessage))
    shown = admin.message(status_id).text
    assert shown == "✅ Выгрузка за 01.01.2026–31.12.2026 готова: записей — 8."
    assert len(_documents(admin)) == 1


async def test_bookings_by_day_from_the_menu(client, app, made):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📅 Записи по дням")
    assert "Все записи на ср, 25 ноября" in admin.text()
    await admin.press("◀️")
    await admin.press("◀️")
    text = admin.text()
    assert "пн, 23 ноября" in text and "Родитель 5006" in text and "+79990005006" in text


async def test_the_plan_report_counts_the_year_and_draws_a_chart(client, app, made):
    app.settings.booking.provider_plans = {"P1": 150}
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📊 План на год")
    text = admin.text()
    assert "Консультации за 2026 год</b> (на 25.11.2026)" not in text  # tags are parsed
    assert "Консультации за 2026 год (на 25.11.2026)" in text
    assert "Состоялось: 3 из 200 по плану — 2 %." in text
    # 25 November is day 329 of 365: 200 × 329 / 365 ≈ 180 by now.
    assert "должно быть 180 — отстаём на 177" in text
    assert "Кроме того: впереди 2, не отмечено 1, не пришли 1, отменено 1." in text
    assert "• МБОУ «СОШ № 5» — 2 из 150 (1 %); впереди 2, не отмечено 1, не пришли 1" in text
    assert "• Отдел опеки и попечительства — 1; отменено 1" in text
    assert "• Психолого-педагогическая помощь — 2; впереди 2, не отмечено 1, не пришли 1" in text
    assert "• Консультация для будущих приёмных родителей — 1; отменено 1" in text

    photo, months = [o for o in admin.last if isinstance(o.method, SendPhoto)]
    from PIL import Image

    for picture in (photo, months):
        assert picture.upload.startswith(PNG) and picture.message.photo
        with Image.open(BytesIO(picture.upload)) as image:  # the size as uploaded (MAX tells none)
            assert image.width > 500 and image.height > 400
            image.verify()
    assert "по месяцам: состоялось, не пришли, отменено" in months.message.caption
    assert months.method.photo.filename == "plan-2026-months.png"

    await admin.press("◀️ 2025")
    text = admin.text()
    assert "Консультации за 2025 год" in text and "Состоялось: 1 из 200" in text
    assert "должно быть" not in text  # a past year: no pace
    assert any(isinstance(o.method, SendPhoto) for o in admin.last)


def _data_of(user, label: str) -> str:
    found = user._inline_button(label)
    assert found is not None, (label, user.visible_labels())
    return found[1].callback_data


async def test_nobody_but_an_admin_reaches_any_of_it(client, app, made):
    parent = client.user(STRANGER)
    await parent.send("/reports")
    assert "только для администраторов" in parent.text()
    await parent.send("01.10.2026–31.12.2026")  # no period step for them
    assert not _documents(parent)
    # An admin's buttons (forwarded, guessed) are not theirs: their dialog is the admin's.
    admin = client.user(ADMIN)
    await admin.send("/reports")
    buttons = [_data_of(admin, label) for label in ("📅 Записи по дням", "📊 План на год")]
    await admin.press("📤 Выгрузка записей")
    buttons += [_data_of(admin, label) for label in ("Этот месяц", "✍️ Другой период")]
    await admin.press("Прошлый месяц")
    buttons.append(_data_of(admin, "Оба файла"))
    last = parent.messages[-1]
    for data in buttons:
        await parent._callback(last, data)
        assert "устарела" in parent.callback_answer().text, data
        assert [type(o.method).__name__ for o in parent.last] == ["AnswerCallbackQuery"], data
    assert (
        await client.dispatcher.storage.get_state(_key(client, client.person_id(STRANGER))) is None
    )


async def test_forged_buttons_change_nothing(client, app, made):
    admin = client.user(ADMIN)
    await admin.send("/reports")
    await admin.press("📤 Выгрузка записей")
    await admin.press("Прошлый месяц")
    both = _data_of(admin, "Оба файла")
    last = admin.messages[-1]
    for data in (
        both.replace("both", "zip"),  # no such kind
        both.replace("both", "next_year"),  # a button of another window
        "sxk:0:5:x",  # the buttons before the dialog
        "spy:1900",
    ):
        await admin._callback(last, data)
        assert not _documents(admin), data
        # aiogram-dialog redraws the window; Telegram's «not modified» is taken as done.
        assert {type(o.method).__name__ for o in admin.last} <= {
            "AnswerCallbackQuery",
            "EditMessageText",
        }, data
    log = client.session.log
    assert {str(o.error).split(": ")[-2] for o in log if o.error} <= {"message is not modified"}
    log[:] = [o for o in log if o.error is None]


def _key(client, user_id):
    from aiogram.fsm.storage.base import StorageKey

    return StorageKey(bot_id=client.bot.id, chat_id=user_id, user_id=user_id)


# --- services ----------------------------------------------------------------------------------
def test_periods_are_parsed_in_the_ways_people_type_them():
    september = Period(date(2026, 9, 1), date(2026, 12, 31))
    for text in (
        "01.09.2026–31.12.2026",
        "1.9.2026 - 31.12.2026",
        "с 01.09.2026 по 31.12.2026",
        "2026-09-01 2026-12-31",
        "01.09.2026—31.12.2026",
        " 01.09.2026\u00a0–\u00a031.12.2026 ",
    ):
        assert parse_period(text) == september, text
    assert parse_period("05.03.2026") == Period(date(2026, 3, 5), date(2026, 3, 5))
    for text, reason in (
        ("", "shape"),
        ("сентябрь", "shape"),
        ("01.09.2026–31.12", "shape"),
        ("30.02.2026", "date"),
        ("2026-13-01", "date"),
        ("02.01.2026-01.01.2026", "order"),
        ("01.01.2020-01.01.2026", "long"),
    ):
        with pytest.raises(PeriodError) as caught:
            parse_period(text)
        assert caught.value.reason == reason, text


def test_preset_periods():
    assert preset_period("month", date(2026, 2, 14)) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert preset_period("last_month", date(2026, 1, 10)) == Period(
        date(2025, 12, 1), date(2025, 12, 31)
    )
    assert preset_period("year", date(2026, 5, 5)) == Period(date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        preset_period("week", date(2026, 5, 5))


def test_csv_cells_never_start_a_formula():
    assert csv_text("=1+1") == "'=1+1"
    assert csv_text("@SUM(A1)") == "'@SUM(A1)"
    assert csv_text("-2+3") == "'-2+3"
    assert csv_text("+79991234567") == "+79991234567"  # a phone: a number, not a formula
    assert csv_text(None) == "" and csv_text(7) == "7"
    assert csv_text(datetime(2026, 1, 2, 3, 4)) == "02.01.2026 03:04"


async def test_export_reads_in_batches_and_misses_no_row(app, made, tmp_path):
    zone = app.settings.zone
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    buffer = BytesIO()
    result = await export_bookings(
        app.sessions,
        zone,
        year,
        {"csv": buffer, "xlsx": tmp_path / "y.xlsx"},
        now=NOW,
        progress=progress,
        batch=2,
    )
    assert result.rows == 8 and seen == [(2, 8), (4, 8), (6, 8), (8, 8)]
    codes = [row[0] for row in _csv_rows(buffer.getvalue())[1:]]
    assert sorted(codes) == sorted(b.code for key, b in made.items() if key != "old")
    assert len(set(codes)) == 8
    assert [row[0] for row in _xlsx_rows((tmp_path / "y.xlsx").read_bytes())[1:]] == codes


async def test_plan_report_counts_and_pace(app, made):
    zone = app.settings.zone
    report = await plan_report(app.sessions, zone, 2026, 200, {"P2": 10}, now=NOW)
    total = report.total
    assert (total.done, total.missed, total.cancelled, total.upcoming, total.unmarked) == (
        3,
        1,
        1,
        2,
        1,
    )
    assert report.expected == 180
    by_provider = {line.external_id: line.counts for line in report.providers}
    assert by_provider["P1"].done == 2 and by_provider["P1"].plan is None
    assert by_provider["P2"].done == 1 and by_provider["P2"].plan == 10
    assert by_provider["P2"].percent == 10
    by_service = {line.external_id: line.counts for line in report.services}
    assert by_service["S1"].done == 2 and by_service["S2"].cancelled == 1
    assert [line.external_id for line in report.providers] == ["P1", "P2"]  # most held first

    older = await plan_report(app.sessions, zone, 2025, 200, now=NOW)
    assert older.total.done == 1 and older.expected == 200
    later = await plan_report(app.sessions, zone, 2027, 200, now=NOW)
    assert later.total.empty and later.expected == 0


def _big_report(lines: int) -> PlanReport:
    providers = [
        Line(i, f"P{i}", f"МБОУ «СОШ № {i}» села с длинным названием", counts=Counts(done=i))
        for i in range(lines)
    ]
    services = [Line(1, "S1", "Психолого-педагогическая помощь", counts=Counts(done=lines))]
    return PlanReport(2026, date(2026, 9, 30), Counts(done=165, plan=200), providers, services)


def test_a_long_report_is_split_into_messages_telegram_accepts():
    from bot.telegram.i18n import Locales

    t = Locales().get("ru")
    parts = plan_messages(t, _big_report(200))
    assert len(parts) > 1 and all(len(part) <= 3500 for part in parts)
    joined = "\n".join(parts)
    assert joined.count("• МБОУ") == 200 and "Состоялось: <b>165</b> из 200" in joined
    # 30 September is day 273 of 365: 200 × 273 / 365 ≈ 150 by then.
    assert "должно быть 150 — опережаем на 15" in joined


def test_the_chart_is_a_png_with_cyrillic_and_many_organisations():
    from PIL import Image

    from bot.telegram.i18n import Locales

    png = render_chart(Locales().get("ru"), _big_report(40))  # warnings are errors here
    assert png.startswith(PNG)
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG" and image.width > 500


@needs_postgres
async def test_export_and_report_on_postgresql(settings, tmp_path):
    from backends import fresh_postgres

    engine = await fresh_postgres()
    app = build_app(settings, engine=engine)
    try:
        await migrate.upgrade(engine)
        await load_demo_if_empty(app.sessions)
        made = await _make(app)
        year = Period(date(2026, 1, 1), date(2026, 12, 31))
        buffer = BytesIO()
        result = await export_bookings(
            app.sessions, app.settings.zone, year, {"csv": buffer}, now=NOW, batch=3
        )
        codes = [row[0] for row in _csv_rows(buffer.getvalue())[1:]]
        assert result.rows == 8 and sorted(codes) == sorted(
            b.code for key, b in made.items() if key != "old"
        )
        report = await plan_report(app.sessions, app.settings.zone, 2026, 200, now=NOW)
        total = report.total
        assert (total.done, total.missed, total.cancelled, total.upcoming, total.unmarked) == (
            3,
            1,
            1,
            2,
            1,
        )
    finally:
        await app.close()


# --- command line --------------------------------------------------------------------------------
def test_command_line_export_and_plan(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/c.db")
    monkeypatch.setattr(cli, "setup_logging", lambda *args: None)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    path = tmp_path / "b.xlsx"
    code, out, err = run(
        "export", "bookings", "--from", "2026-01-01", "--to", "2026-12-31", str(path)
    )
    assert code == 0, err
    assert "01.01.2026–31.12.2026" in out and str(path) in out
    assert _xlsx_rows(path.read_bytes())[0] == HEADERS
    code, _, err = run("export", "bookings", str(path))
    assert code == 1 and "--from" in err
    code, _, err = run("export", "bookings", "--from", "2026-02-01", "--to", "2026-01-01", "x.csv")
    assert code == 1 and "раньше начала" in err
    code, _, err = run("export", "bookings", "--from", "2026-01-01", "--to", "2026-01-31", "x.txt")
    assert code == 1 and ".xlsx или .csv" in err
    chart = tmp_path / "plan.png"
    code, out, err = run("report", "plan", "--year", "2026", "--chart", str(chart))
    assert code == 0, err
    assert "Консультации за 2026 год" in out and "из 200 по плану" in out and "<b>" not in out
    assert chart.read_bytes().startswith(PNG)
    assert (tmp_path / "plan-months.png").read_bytes().startswith(PNG)
    assert f"Помесячная диаграмма сохранена в «{tmp_path / 'plan-months.png'}»" in out


# --- what the charts draw ------------------------------------------------------------------


async def test_the_months_and_each_organisations_pace_behind_the_charts(app, made):
    from bot.telegram.i18n import Locales

    app.settings.booking.provider_plans = {"P1": 73}
    report = await plan_report(app.sessions, app.settings.zone, 2026, 200, {"P1": 73}, now=NOW)
    ru, en = Locales().get("ru"), Locales().get("en")

    months = month_bars(ru, report)
    assert months.months[9:] == ["окт", "ноя", "дек"]
    assert month_bars(en, report).months[0] == "Jan"
    # October: one held, one no-show; November: two held, one cancelled; December: ahead only
    assert (months.done[9], months.missed[9], months.cancelled[9]) == (1, 1, 0)
    assert (months.done[10], months.missed[10], months.cancelled[10]) == (2, 0, 1)
    assert (months.done[11], months.missed[11], months.cancelled[11]) == (0, 0, 0)
    assert sum(months.done) == report.total.done and sum(months.missed) == report.total.missed
    assert sum(months.done[:9]) == 0  # nothing before October; the December 2025 one is not here

    total, providers, services = plan_panels(ru, report)
    # 25 November is day 329 of 365: of a plan of 73, 66 are due by today; of 200, 180.
    assert total.bars[0].pace == 180
    by_label = {bar.label.replace("\n", " "): bar for bar in providers.bars}
    school = by_label["МБОУ «СОШ № 5»"]
    assert (school.done, school.plan, school.pace) == (2, 73, 66)
    assert by_label["Отдел опеки и попечительства"].pace is None  # no plan of its own
    assert all(bar.pace is None for bar in services.bars)

    assert chart_title(ru, report) == "Консультации за 2026 год на 25.11.2026: 3 из 200 (2 %)"
    assert months_title(en, report) == "Consultations in 2026 by month (as of 25.11.2026)"

    past = await plan_report(app.sessions, app.settings.zone, 2025, 200, {"P1": 73}, now=NOW)
    assert all(bar.pace is None for panel in plan_panels(ru, past) for bar in panel.bars)
    assert "на 25.11.2026" in chart_title(ru, past)  # the day the report was made


def test_long_names_are_wrapped_whole_on_the_chart():
    from bot.telegram.i18n import Locales

    name = (
        "Муниципальное автономное учреждение дополнительного образования «Дом детского творчества»"
    )
    report = PlanReport(
        2026,
        date(2026, 9, 30),
        Counts(done=5, plan=200),
        [Line(1, "P1", name, counts=Counts(done=5, plan=40))],
        [Line(1, "S1", "Психолого-педагогическая помощь", counts=Counts(done=5))],
    )
    t = Locales().get("ru")
    (bar,) = plan_panels(t, report)[1].bars
    assert bar.lines > 1 and "…" not in bar.label
    assert " ".join(bar.label.split("\n")) == name
    assert all(len(line) <= 34 for line in bar.label.split("\n"))
    # 30 September is day 273 of 365: 40 × 273 / 365 ≈ 30 due by then
    assert bar.pace == 30

    assert render_chart(t, report).startswith(PNG)
    assert render_months_chart(t, report).startswith(PNG)  # no months counted: all zero
