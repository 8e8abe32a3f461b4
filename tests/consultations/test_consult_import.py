"""Consultation set-up files: a workbook as staff fill it in, the database as the bot sees it
afterwards; bad rows change nothing, a second import changes nothing, days off cancel bookings
and the parents are told by the reminder worker."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.methods import SendMessage
from backends import needs_postgres
from clock import Clock
from consult_data import add_users, seed
from consult_files import NEW_SETUP, csv_file, workbook
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.app import build_app
from bot.cli import main as cli
from bot.config import PROJECT_ROOT
from bot.notify.consultations import Notices
from bot.telegram.i18n import Locales
from db import migrate
from db.models import (
    Booking,
    ConsultService,
    Provider,
    Reminder,
    ScheduleException,
    ScheduleTemplate,
    Slot,
    Specialist,
    specialist_services,
)
from handlers.staff.import_reports import setup_report
from harness import BotClient
from services import demo_data
from services.booking.reminders import ReminderService
from services.booking.service import Choice, Contact
from services.consultations.columns import SHEETS
from services.consultations.exports import export_setup
from services.consultations.imports import import_consultations

MONDAY = date(2026, 11, 23)
SUNDAY_MORNING = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)  # 10:00 in Tomsk
PARENT = 5001
RU = Locales().get("ru")


@pytest.fixture
async def clock(app) -> Clock:
    clock = Clock(SUNDAY_MORNING)
    app.booking.now = clock
    await seed(app.sessions, app.settings.zone, MONDAY)
    await add_users(app.sessions, [PARENT])
    return clock


async def run(app, data: bytes, **options):  # type: ignore[no-untyped-def]
    return await import_consultations(
        app.write_sessions,
        data,
        zone=app.settings.zone,
        horizon_days=14,
        file_name=options.pop("file_name", "setup.xlsx"),
        now=options.pop("now", SUNDAY_MORNING),
        **options,
    )


async def snapshot(app) -> dict[str, object]:
    """Everything an import may touch, as comparable values."""
    async with app.sessions() as session:

        async def rows(model):  # type: ignore[no-untyped-def]
            found = (await session.execute(select(model))).scalars().all()
            return sorted(tuple(getattr(r, c.key) for c in model.__table__.columns) for r in found)

        return {
            "services": await rows(ConsultService),
            "providers": await rows(Provider),
            "specialists": await rows(Specialist),
            # Ids renumber when hours are replaced: compare the hours.
            "templates": sorted((*t[2:], t[1]) for t in await rows(ScheduleTemplate)),
            "exceptions": await rows(ScheduleException),
            "slots": await rows(Slot),
            "links": sorted((await session.execute(select(specialist_services))).all()),
            "bookings": await rows(Booking),
        }


async def free_times(app, specialist_id: int, day: date) -> list[str]:
    service = 2 if specialist_id == 3 else 1
    slots = await app.booking.free_slots(Choice(service, specialist_id=specialist_id), day)
    return [f"{s.starts_at.astimezone(app.settings.zone):%H:%M}" for s in slots]


async def book(app, specialist_id: int, day: date, time: str, locale: str = "ru") -> int:
    slot = next(
        s
        for s in await app.booking.free_slots(Choice(1, specialist_id=specialist_id), day)
        if f"{s.starts_at.astimezone(app.settings.zone):%H:%M}" == time
    )
    contact = Contact("Анна", "+79990000000", 8, None, locale)
    return (await app.booking.book(PARENT, Choice(1), slot.id, "in_person", contact)).id


# --- good files ----------------------------------------------------------------------------
async def test_workbook_is_imported_and_the_same_file_again_changes_nothing(app, clock):
    data = workbook(**NEW_SETUP)
    report = await run(app, data)
    assert report.ok, report.problems
    counts = {kind: (c.added, c.changed, c.unchanged) for kind, c in report.counts.items()}
    assert counts == {
        "services": (1, 0, 1),
        "providers": (1, 0, 0),
        "specialists": (1, 0, 0),
        "templates": (1, 0, 0),
        "exceptions": (1, 0, 0),
    }
    async with app.sessions() as session:
        orlova = (
            await session.execute(select(Specialist).where(Specialist.external_id == "E4"))
        ).scalar_one()
        provider = await session.get(Provider, orlova.provider_id)
    assert (orlova.formats, provider.external_id, provider.locality_id is not None) == (
        "in_person,video",
        "P3",
        True,
    )
    assert await free_times(app, orlova.id, MONDAY) == ["10:00", "11:00"]
    thursday = MONDAY + timedelta(days=3)  # the day off
    assert await free_times(app, orlova.id, thursday) == []
    assert await free_times(app, orlova.id, thursday + timedelta(days=7)) == [
        "14:00",
        "14:45",
        "15:45",
        "16:30",
    ]
    assert report.slots_added > 0
    text = setup_report(RU, report)
    assert "Настройка консультаций обновлена" in text and "Специалисты: добавлено 1" in text

    before = await snapshot(app)
    again = await run(app, data)
    assert again.ok and again.slots_added == 0 and again.cancelled == []
    assert all(c.added == c.changed == 0 for c in again.counts.values()), again.counts
    assert await snapshot(app) == before


async def test_csv_per_kind_in_windows_1251_with_semicolons(app, clock):
    services = csv_file(
        "services", [{"service_id": "S9", "name": "Консультация логопеда"}], "cp1251"
    )
    report = await run(app, services, file_name="услуги.csv")
    assert report.ok and report.kinds == ["services"] and report.counts["services"].added == 1
    hours = csv_file(
        "templates",
        [{"specialist_id": "E2", "weekday": "1", "start": "8.30", "end": "10:00", "slot": "45"}],
    )
    report = await run(app, hours, file_name="hours.csv")
    assert report.ok, report.problems
    assert await free_times(app, 2, MONDAY) == ["08:30", "09:15"]


async def test_new_hours_replace_the_old_but_bookings_are_kept(app, clock):
    booked = await book(app, 1, MONDAY, "09:00")
    hours = [{"specialist_id": "E1", "weekday": "пн", "start": "14:00", "end": "16:00", "slot": 60}]
    report = await run(app, workbook(templates=hours))
    assert report.ok and report.counts["templates"].changed == 1
    assert await free_times(app, 1, MONDAY) == ["14:00", "15:00"]
    assert await free_times(app, 1, MONDAY + timedelta(days=1)) == []  # Tuesday is gone
    info = await app.booking.booking(booked)
    assert info.status == "active" and f"{info.starts_at.astimezone(app.settings.zone):%H:%M}" == (
        "09:00"
    )


async def test_shipped_template_has_example_ids_that_import_refuses(app, clock):
    from openpyxl import load_workbook

    template = (PROJECT_ROOT / "data" / "consultations_template.xlsx").read_bytes()
    report = await run(app, template)
    # the example service, organisation and specialist: refused, so nothing real is overwritten
    refused = [p for p in report.problems if p.key == "import-problem-example-id"]
    assert len(refused) == 3 and len(report.problems) >= 3
    before = await snapshot(app)

    book = load_workbook(io.BytesIO(template))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("ОБРАЗЕЦ-"):
                    cell.value = cell.value.replace("ОБРАЗЕЦ-", "TSK-")
    buffer = io.BytesIO()
    book.save(buffer)
    report = await run(app, buffer.getvalue(), dry_run=True)
    assert report.ok, report.problems
    assert report.kinds == [sheet.kind for sheet in SHEETS]
    assert await snapshot(app) == before


async def test_export_then_import_changes_nothing(app, clock):
    await run(app, workbook(**NEW_SETUP))
    buffer = io.BytesIO()
    summary = await export_setup(app.sessions, buffer, MONDAY)
    assert (summary.services, summary.providers, summary.specialists) == (3, 3, 4)
    before = await snapshot(app)
    report = await run(app, buffer.getvalue(), file_name="export.xlsx")
    assert report.ok, report.problems
    assert all(c.added == c.changed == 0 for c in report.counts.values()), report.counts
    assert await snapshot(app) == before


async def test_dry_run_counts_what_would_change_and_writes_nothing(app, clock):
    booked = await book(app, 1, MONDAY, "09:00")
    before = await snapshot(app)
    closing = [{"specialist_id": "E1", "first_day": "23.11.2026"}]
    report = await run(app, workbook(**{**NEW_SETUP, "exceptions": closing}), dry_run=True)
    assert report.ok and report.cancelled == [booked]
    assert report.counts["specialists"].added == 1
    assert await snapshot(app) == before
    assert "только проверка" in setup_report(RU, report)


# --- bad files -----------------------------------------------------------------------------
async def test_bad_rows_change_nothing_and_every_problem_is_named(app, clock):
    before = await snapshot(app)
    bad = {
        "services": [
            {"service_id": "S3", "name": "Новая услуга"},
            {"service_id": "S3", "name": "Она же ещё раз"},
            {"service_id": "S4", "name": "", "hidden": "может быть"},
        ],
        "specialists": [
            {
                "specialist_id": "E4",
                "full_name": "Орлова С. П.",
                "provider_id": "P404",
                "services": "S1, S404",
                "formats": "очно, голубиной почтой",
            }
        ],
        "templates": [
            {"specialist_id": "E1", "weekday": "пн", "start": "25:00", "end": "12:00", "slot": 45},
            {"specialist_id": "E1", "weekday": "восьмой", "start": "9:00", "end": "12", "slot": 5},
            {"specialist_id": "E1", "weekday": "вт", "start": "12:00", "end": "10:00", "slot": 45},
            {
                "specialist_id": "E1",
                "weekday": "ср",
                "start": "09:00",
                "end": "12:00",
                "slot": 45,
                "break_start": "11:00",
            },
        ],
        "exceptions": [
            {"specialist_id": "E1", "provider_id": "P1", "first_day": "30.02.2026"},
            {"specialist_id": "E1", "first_day": "10.12.2026", "last_day": "01.12.2026"},
        ],
    }
    report = await run(app, workbook(**bad))
    found = {(p.sheet, p.row, p.column, p.key) for p in report.problems}
    assert found == {
        ("Услуги", 3, "ИД услуги", "cimp-problem-duplicate"),
        ("Услуги", 4, "Название", "import-problem-required"),
        ("Услуги", 4, "Скрыта", "import-problem-yes-no"),
        ("Специалисты", 2, "Форматы", "import-problem-word"),
        ("Расписание", 2, "Начало", "cimp-problem-time"),
        ("Расписание", 3, "День недели", "import-problem-word"),
        ("Расписание", 3, "Конец", "cimp-problem-time"),
        ("Расписание", 3, "Длительность, мин", "import-problem-range"),
        ("Расписание", 4, "Конец", "cimp-problem-end-before-start"),
        ("Расписание", 5, "Перерыв до", "cimp-problem-break-pair"),
        ("Исключения", 2, "ИД организации", "cimp-problem-one-target"),
        ("Исключения", 2, "Первый день", "cimp-problem-date"),
        ("Исключения", 3, "Последний день", "cimp-problem-days-order"),
    }
    assert await snapshot(app) == before
    text = setup_report(RU, report)
    assert "Ничего не изменено" in text and "найдено проблем: 13" in text
    assert "• лист «Расписание», строка 2, «Начало»: «25:00» — нужно время ЧЧ:ММ" in text

    # Rows that are fine on their own but point at nothing.
    report = await run(
        app,
        workbook(
            specialists=[{**bad["specialists"][0], "formats": "очно"}],
            templates=[
                {"specialist_id": "E9", "weekday": "пн", "start": "9:00", "end": "9:30", "slot": 30}
            ],
            exceptions=[{"provider_id": "P404", "first_day": "01.12.2026"}],
        ),
    )
    assert {(p.sheet, p.column, p.key) for p in report.problems} == {
        ("Специалисты", "ИД организации", "cimp-problem-no-provider"),
        ("Специалисты", "Услуги", "cimp-problem-no-service"),
        ("Расписание", "ИД специалиста", "cimp-problem-no-specialist"),
        ("Исключения", "ИД организации", "cimp-problem-no-provider"),
    }
    assert await snapshot(app) == before


async def test_header_and_file_problems(app, clock):
    book = Workbook()
    page = book.active
    page.title = "Услуги"
    page.append(["ИД услуги", "Название", "Цвет", "Название"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = await run(app, buffer.getvalue())
    assert {(p.column, p.key) for p in report.problems} == {
        ("Цвет", "import-problem-unknown-header"),
        ("Название", "import-problem-duplicate-header"),
    }
    report = await run(app, b"not a workbook", file_name="x.xlsx")
    assert [p.key for p in report.problems] == ["import-problem-unreadable"]
    catalogue = (PROJECT_ROOT / "data" / "catalog_template.xlsx").read_bytes()
    report = await run(app, catalogue, file_name="catalog.xlsx")
    assert [p.key for p in report.problems] == ["cimp-problem-no-sheets"]


# --- days off ------------------------------------------------------------------------------
async def test_days_off_cancel_bookings_and_each_parent_is_told_in_their_language(app, clock):
    client = BotClient(app)
    english = await book(app, 1, MONDAY, "09:00", locale="en")
    other_day = await book(app, 1, MONDAY + timedelta(days=1), "09:00")
    closing = [{"specialist_id": "E1", "first_day": "23.11.2026", "reason": "больничный"}]
    report = await run(app, workbook(exceptions=closing))
    assert report.ok and report.cancelled == [english]
    assert "Отменено записей на закрытые дни: 1" in setup_report(RU, report)
    assert (await app.booking.booking(english)).status == "cancelled"
    assert (await app.booking.booking(other_day)).status == "active"
    assert await free_times(app, 1, MONDAY) == []

    worker = ReminderService(app.write_sessions, clock=clock)
    counts = await worker.run_due(Notices(client.bot, app).deliver_reminder)
    assert counts["sent"] == 1
    [sent] = [o.method for o in client.session.log if isinstance(o.method, SendMessage)]
    assert sent.chat_id == PARENT and "Sorry, the consultation" in sent.text
    assert (await worker.run_due(Notices(client.bot, app).deliver_reminder))["sent"] == 0

    again = await run(app, workbook(exceptions=closing))
    assert again.cancelled == [] and again.counts["exceptions"].unchanged == 1
    async with app.sessions() as session:
        kinds = (await session.execute(select(Reminder.kind, Reminder.state))).all()
    assert ("closed", "sent") in kinds


async def test_closing_today_keeps_what_has_begun_and_a_late_notice_is_not_sent(app, clock):
    begun = await book(app, 1, MONDAY, "09:00")
    later = await book(app, 1, MONDAY, "11:30")
    clock.moment = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 in Tomsk
    closing = [{"specialist_id": "E1", "first_day": "23.11.2026"}]
    report = await run(app, workbook(exceptions=closing), now=clock.moment)
    assert report.cancelled == [later]
    assert await app.booking.booking(begun) is not None
    assert (await app.booking.booking(begun)).status == "active"  # held, or to be marked

    clock.moment = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 12:00: the 11:30 one began
    client = BotClient(app)
    worker = ReminderService(app.write_sessions, clock=clock)
    counts = await worker.run_due(Notices(client.bot, app).deliver_reminder)
    assert counts["sent"] == 0 and client.session.log == []
    async with app.sessions() as session:
        states = (
            (await session.execute(select(Reminder.state).where(Reminder.kind == "closed")))
            .scalars()
            .all()
        )
    assert states == ["skipped"]


async def test_a_whole_organisation_closes_for_every_specialist(app, clock):
    first = await book(app, 1, MONDAY, "09:00")
    second = await book(app, 2, MONDAY, "09:45")
    closing = [{"provider_id": "P1", "first_day": "2026-11-23", "last_day": "2026-11-24"}]
    report = await run(app, workbook(exceptions=closing))
    assert report.ok and sorted(report.cancelled) == sorted([first, second])
    assert report.counts["exceptions"].added == 1
    assert await free_times(app, 1, MONDAY) == await free_times(app, 2, MONDAY) == []
    assert await free_times(app, 3, MONDAY) != []  # the other organisation still works


# --- command line and PostgreSQL -----------------------------------------------------------
def test_command_line_import_and_export(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/c.db")
    monkeypatch.setattr(cli, "setup_logging", lambda *args: None)

    def run_cli(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(workbook(**NEW_SETUP))
    bad.write_bytes(workbook(services=[{"service_id": "S1"}]))
    code, out, _ = run_cli("import", "consultations", str(bad))
    assert code == 1 and "• лист «Услуги», строка 2, «Название»: не заполнено" in out
    code, out, err = run_cli("import", "consultations", str(good))
    assert code == 0, out + err
    assert "Специалисты: добавлено 1" in out and "<b>" not in out
    code, out, err = run_cli("export", "consultations", str(tmp_path / "out.xlsx"))
    assert code == 0 and "специалистов — 1" in out, err
    code, out, _ = run_cli("import", "consultations", str(tmp_path / "out.xlsx"), "--dry-run")
    assert code == 0 and "Специалисты: добавлено 0, изменено 0, без изменений 1" in out
    code, _, err = run_cli("export", "consultations", str(tmp_path / "out.csv"))
    assert code == 1 and "только в .xlsx" in err


@needs_postgres
async def test_import_twice_on_postgresql(settings):
    from backends import fresh_postgres

    engine = await fresh_postgres()
    app = build_app(settings, engine=engine)
    try:
        await migrate.upgrade(engine)
        await demo_data.load_localities_if_empty(app.sessions)
        await seed(app.sessions, app.settings.zone, MONDAY)
        async with engine.begin() as connection:  # the seed gave ids itself
            for table in ("consult_services", "providers", "specialists"):
                await connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        await add_users(app.sessions, [PARENT])
        app.booking.now = Clock(SUNDAY_MORNING)
        booked = await book(app, 1, MONDAY, "09:00")
        closing = [{"specialist_id": "E1", "first_day": "23.11.2026"}]
        data = workbook(**{**NEW_SETUP, "exceptions": closing})
        first = await run(app, data)
        assert first.ok and first.cancelled == [booked], first.problems
        before = await snapshot(app)
        second = await run(app, data)
        assert second.ok and second.cancelled == [] and second.slots_added == 0
        assert await snapshot(app) == before
        async with app.sessions() as session:
            assert (
                await session.execute(select(func.count()).select_from(Reminder))
            ).scalar_one() == 1
    finally:
        await app.close()


def test_readme_lists_every_sheet_and_column():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(): line for line in readme.splitlines() if line.startswith("| «")
    }
    for sheet in SHEETS:
        line = rows[f"«{sheet.title}»"]
        for column in sheet.columns:
            assert column.header + ("\\*" if column.required else "") in line, column.header
