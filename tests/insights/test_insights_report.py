"""The department's demand report: its SQL sections on SQLite and PostgreSQL (the headline is
where families searched and nothing is offered), /insights in chat for staff only (text, XLSX
and PNG), the command line's report, and the log's retention."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from aiogram.methods import SendDocument, SendPhoto
from backends import POSTGRES_URL, fresh_postgres
from openpyxl import load_workbook
from sqlalchemy import delete, func, insert, select

import bot.cli.main as cli
from bot.app import App, build_app, prepare_database
from bot.config import Settings
from db.models import DemandLog, Locality, Programme, QuizResult, WaitlistEntry
from db.models import User as UserRow
from handlers.insights import texts
from handlers.insights.commands import InsightsPeriod
from services.housekeeping import Housekeeping
from services.insights.report import Window, demand_report, supply, window_of
from services.insights.workbook import write_workbook

ADMIN = 900001
PARENT = 5001
NOW = datetime(2026, 11, 20, 5, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"
OUTDATED = "Эта кнопка устарела. Откройте меню заново."


@pytest.fixture(params=["sqlite", "postgres"])
async def any_app(request, settings: Settings) -> AsyncIterator[App]:
    engine = None
    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("TEST_POSTGRES_URL is not set")
        engine = await fresh_postgres()
        settings = settings.model_copy(update={"database_url": POSTGRES_URL})
    app = build_app(settings, engine=engine)
    await prepare_database(app)
    async with app.sessions() as session, session.begin():
        await session.execute(delete(DemandLog))
    yield app
    await app.close()


def row(at: datetime, **values) -> dict:  # type: ignore[no-untyped-def]
    base = dict(
        at=at,
        kind="list",
        locality_id=None,
        direction=None,
        age_band=None,
        answer=None,
        topic=None,
        results=0,
        missed=False,
        opened=False,
        booked=False,
        vote=None,
    )
    return base | values


async def add(app: App, rows: list[dict]) -> None:
    async with app.sessions() as session, session.begin():
        await session.execute(insert(DemandLog), rows)


async def places(app: App) -> tuple[int, int, str, dict]:  # type: ignore[type-arg]
    """Two localities: one with programmes of a direction for 11-14, one with none."""
    async with app.engine.connect() as connection:
        found = await supply(connection)
    async with app.sessions() as session:
        ids = (await session.scalars(select(Locality.id).order_by(Locality.id))).all()
    for direction in ("tourism", "natural_science", "social", "art", "sport"):
        offered = [i for i in ids if found.get((i, direction, "11-14"))]
        bare = [i for i in ids if not found.get((i, direction, "11-14"))]
        if offered and bare:
            return offered[0], bare[0], direction, found
    raise AssertionError("the demo catalogue offers every direction everywhere")


async def test_the_sections_count_in_sql(any_app):
    app = any_app
    offered, bare, direction, found = await places(app)
    day = NOW - timedelta(days=3)
    old = NOW - timedelta(days=60)  # outside the period
    tech = dict(direction=direction, age_band="11-14")
    await add(
        app,
        [
            *(row(day, locality_id=bare, **tech) for _ in range(4)),
            row(day, locality_id=bare, kind="nearby", age_band="11-14", results=0),
            *(row(day, locality_id=offered, results=5, opened=True, **tech) for _ in range(3)),
            row(day, locality_id=offered, results=5, opened=True, booked=True, **tech),
            row(old, locality_id=bare, **tech),
            row(day, kind="question", topic="керлинг", answer="nothing"),
            row(day, kind="question", topic="керлинг", answer="nothing", vote=-1),
            row(day, kind="question", topic="шахмат", results=3, answer="programmes", vote=1),
            row(day, kind="question", topic="шахмат", results=3, answer="programmes", vote=-1),
            row(day, kind="question", topic="вокал", results=2, missed=True, answer="programmes"),
        ],
    )
    window = Window(NOW - timedelta(days=30), NOW)
    report = await demand_report(app.engine, window)
    assert [section.name for section in report.sections] == [
        "no_supply",
        "topics",
        "empty",
        "matrix",
        "disliked",
        "waitlists",
        "quiz",
        "totals",
    ]
    assert report.section("no_supply").rows == [(bare, direction, "11-14", 4)]
    matrix = {row[:3]: row[3:] for row in report.section("matrix").rows}
    assert matrix[(offered, direction, "11-14")] == (
        4,
        0,
        4,
        1,
        found[(offered, direction, "11-14")],
    )
    assert matrix[(bare, direction, "11-14")] == (4, 4, 0, 0, 0)
    assert matrix[(bare, None, "11-14")][0] == 1  # «Рядом»: any direction
    assert report.section("topics").rows == [("керлинг", 2, 1), ("вокал", 1, 0), ("шахмат", 1, 1)]
    assert sorted(report.section("disliked").rows) == [
        ("nothing", "керлинг", 1),
        ("programmes", "шахмат", 1),
    ]
    assert ("list", bare, direction, "11-14", 4) in report.section("empty").rows
    totals = {row[0]: row[1:] for row in report.section("totals").rows}
    assert totals["list"] == (8, 4, 4, 1, 0, 0)
    assert totals["question"] == (5, 2, 0, 0, 1, 2)
    assert report.searches == 14


async def test_insights_in_chat_for_staff(client, app):
    admin = client.user(ADMIN)
    await admin.send("/insights")
    assert "Что ищут семьи и не находят" in admin.text()
    await admin.press("30 дн.")
    text = admin.text()
    assert text.index("Спрос без предложения") < text.index("Вопросы без ответа")
    assert "1. " in text.split("Спрос без предложения", 1)[1]  # the demo month has some
    [document] = [o for o in admin.last if isinstance(o.method, SendDocument)]
    book = load_workbook(BytesIO(document.upload))
    assert book.sheetnames[0].startswith("🚩 Спрос без предложения")
    headers = next(book.worksheets[0].iter_rows(values_only=True))
    assert headers == ("Населённый пункт", "Направление", "Возраст", "Поиски")
    assert len(list(book.worksheets[0].iter_rows())) > 1
    [photo] = [o for o in admin.last if isinstance(o.method, SendPhoto)]
    assert photo.upload.startswith(PNG)
    forged = admin.messages[-1]
    await admin._callback(forged, InsightsPeriod(days=5).pack())
    assert admin.callback_answer().text == OUTDATED


async def test_an_empty_period_says_so_and_sends_no_files(client, app):
    async with app.sessions() as session, session.begin():
        await session.execute(delete(DemandLog))
    admin = client.user(ADMIN)
    await admin.send("/insights")
    await admin.press("7 дн.")
    assert "поисков не было" in admin.text()
    assert not [o for o in admin.last if isinstance(o.method, SendDocument | SendPhoto)]


async def test_nobody_but_staff_gets_insights(client, app):
    parent = client.user(PARENT)
    await parent.send("/insights")
    assert "только для сотрудников" in parent.text()
    await parent._callback(parent.messages[-1], InsightsPeriod(days=30).pack())
    assert not [o for o in parent.last if o.method.__class__.__name__ != "AnswerCallbackQuery"]
    assert "Спрос" not in (parent.callback_answer().text or "")


def test_command_line_demand_report(tmp_path, monkeypatch, capsys, app):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", app.settings.database_url)  # the demo month
    monkeypatch.setattr(cli, "setup_logging", lambda *args: None)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    today = datetime.now(UTC).date()
    first, last = (today - timedelta(days=40)).isoformat(), today.isoformat()
    path = tmp_path / "demand.xlsx"
    code, out, err = run("report", "demand", "--from", first, "--to", last, str(path))
    assert code == 0, err
    assert "Спрос без предложения" in out and "<b>" not in out and str(path) in out
    book = load_workbook(path)
    assert len(book.sheetnames) == 8 and book.sheetnames[-1].startswith("Всего")
    assert (tmp_path / "demand.png").read_bytes().startswith(PNG)
    code, _, err = run("report", "demand", str(path))
    assert code == 1 and "--from" in err
    code, _, err = run("report", "demand", "--from", first, "--to", last, "x.csv")
    assert code == 1 and "нужен .xlsx" in err
    code, _, err = run("report", "demand", "--from", last, "--to", first, str(path))
    assert code == 1 and "раньше начала" in err
    code, _, err = run("report", "demand", "--from", first, "--to", last, "nowhere/d.xlsx")
    assert code == 1 and "Папки «nowhere» нет" in err


async def test_retention_removes_old_searches_only(any_app):
    app = any_app
    await add(app, [row(NOW - timedelta(days=days)) for days in (400, 200, 31, 29, 1)])
    keep = Housekeeping(
        app.write_sessions,
        keep_days=90,
        booking_days=365,
        demand_days=30,
        clock=lambda: NOW,
        batch=2,
    )
    pruned = await keep.run()
    assert pruned is not None and pruned.searches == 3
    async with app.sessions() as session:
        left = (await session.scalars(select(DemandLog.at).order_by(DemandLog.at))).all()
    assert [NOW - at for at in left] == [timedelta(days=29), timedelta(days=1)]
    assert (await keep.run()).searches == 0


def test_a_workbook_never_holds_a_formula(tmp_path):
    path = tmp_path / "w.xlsx"
    write_workbook(path, [("a:b/c", ["Тема"], [["=HYPERLINK(1)"], [3]]), ("a:b/c", ["x"], [])])
    book = load_workbook(path)
    assert book.sheetnames == ["a b c", "a b c (2)"]
    assert [r[0] for r in book.worksheets[0].iter_rows(values_only=True)] == [
        "Тема",
        "'=HYPERLINK(1)",
        3,
    ]


def test_a_local_period_is_its_days_in_utc():
    from zoneinfo import ZoneInfo

    window = window_of(date(2026, 11, 1), date(2026, 11, 30), ZoneInfo("Asia/Tomsk"))
    assert window.start == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert window.end == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


async def test_demo_month_is_there_for_the_shell(app):
    async with app.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(DemandLog))
    assert count >= 1000
    _ = texts  # the chat renders it (test_insights_in_chat_for_staff)


async def test_waitlists_and_quiz_results_are_sections_of_their_own(any_app):
    """Queues by length with the hours the people told had waited, and quiz results by their
    first direction; the demo's waitlists are cleared first so the counts are the test's."""
    app = any_app
    async with app.sessions() as session, session.begin():
        await session.execute(delete(WaitlistEntry))
        programme = (await session.scalars(select(Programme).limit(1))).one()
        for user_id in (801, 802, 803):
            await session.merge(UserRow(id=user_id, locale="ru"))
    day = NOW - timedelta(days=2)
    entries = [
        dict(user_id=801, joined_at=day, state="waiting"),
        dict(user_id=802, joined_at=day - timedelta(hours=10), state="sent", sent_at=day),
        dict(user_id=803, joined_at=day - timedelta(hours=30), state="sent", sent_at=day),
    ]
    async with app.sessions() as session, session.begin():
        for entry in entries:
            session.add(
                WaitlistEntry(target=f"p:{programme.id}", programme_id=programme.id, **entry)
            )
        for user_id, top in ((801, "art"), (802, "art"), (803, "sport")):
            session.add(
                QuizResult(
                    user_id=user_id,
                    wording="parent",
                    scores={top: 5},
                    top=top,
                    top_direction=top,
                    taken_at=day,
                )
            )
    report = await demand_report(app.engine, Window(NOW - timedelta(days=30), NOW))
    assert report.section("waitlists").rows == [(programme.name, 1, 3, 2, 20.0, 30.0)]
    assert report.section("quiz").rows == [("art", 2), ("sport", 1)]
    lines = texts.messages(app.locales.get("ru"), report, {}, "период")
    assert any("ждут 1, встали 3, сообщили 2; ждали в среднем 20.0 ч" in m for m in lines)
