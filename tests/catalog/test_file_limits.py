"""Hostile staff files: refused by name with nothing changed, and never a stall. The files are
built by code (tests/hostile_files.py) and uploaded by an admin through the real dispatcher;
a heartbeat task shows the event loop kept ticking meanwhile."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import hostile_files
import pytest
from aiogram.types import Document
from consult_files import csv_file, workbook
from sqlalchemy import func, select

from bot.cli import main as cli
from bot.telegram.i18n import Locales
from db.models import ConsultService, Organisation, Programme
from handlers.staff.import_reports import catalog_report
from services.catalog.imports import import_catalog
from services.files.isolated import WorkerFailed, run_isolated
from services.files.limits import LIMITS

ADMIN = 900001
MAX_GAP_S = 1.0  # the event loop's longest pause allowed while a file is read (it was 37-46 s)


@contextlib.asynccontextmanager
async def heartbeat() -> AsyncIterator[list[float]]:
    """Gaps between the ticks of a 10 ms timer while the block runs."""
    gaps: list[float] = []

    async def beat() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(beat())
    try:
        yield gaps
    finally:
        task.cancel()


async def catalogue(app) -> tuple[int, int, object, object]:
    """What a refused file must not change: counts and the newest change of each table."""
    async with app.sessions() as session:
        orgs = (
            await session.execute(
                select(func.count(Organisation.id), func.max(Organisation.updated_at))
            )
        ).one()
        programmes = (
            await session.execute(select(func.count(Programme.id), func.max(Programme.updated_at)))
        ).one()
    return orgs[0], programmes[0], orgs[1], programmes[1]


async def upload(client, user, name: str, data: bytes) -> str:
    """The admin sends `data` as a document named `name`; the bot's last answer."""

    async def downloader(bot, document):
        return data

    client.dispatcher["downloader"] = downloader
    document = Document(
        file_id=f"id-{name}", file_unique_id=f"u-{name}", file_name=name, file_size=len(data)
    )
    await user.send_message(document=document)
    return user.texts()[-1]


def _xlsx(build: Callable[[Path], Path]) -> Callable[[Path], bytes]:
    return lambda folder: build(folder / "file.xlsx").read_bytes()


HOSTILE = {
    "bomb.xlsx": (
        _xlsx(hostile_files.zip_bomb),
        "файл сжат подозрительно сильно: в 677 раз при допустимых 100",
    ),
    "huge-cell.xlsx": (
        _xlsx(lambda path: hostile_files.huge_cell(path, chars=80 * 2**20)),
        "часть файла «xl/sharedStrings.xml» после распаковки больше 64 МБ",
    ),
    "long-cell.xlsx": (
        _xlsx(lambda path: hostile_files.huge_cell(path, chars=40_000)),
        "в строке 2 есть ячейка длиннее 32\u00a0767 символов",
    ),
    "header.xlsx": (
        _xlsx(hostile_files.header_only_xlsx),
        "в файле есть заголовок, но нет ни одной строки с данными",
    ),
    "header.csv": (
        lambda folder: hostile_files.header_only_csv(),
        "в файле есть заголовок, но нет ни одной строки с данными",
    ),
    "empty-lines.csv": (
        lambda folder: hostile_files.csv_empty_lines(5),
        "в файле есть заголовок, но нет ни одной строки с данными",
    ),
    "long-line.csv": (
        lambda folder: hostile_files.csv_long_line(3),
        "строка 2 длиннее 1\u00a0048\u00a0576 символов",
    ),
    "open-quote.csv": (
        lambda folder: hostile_files.csv_open_quote(3),
        "в строке 2 есть ячейка длиннее 32\u00a0767 символов",
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_hostile_file_is_refused_by_its_limit_without_a_stall_and_changes_nothing(
    client, app, tmp_path, name
):
    build, reason = HOSTILE[name]
    data = build(tmp_path)
    before = await catalogue(app)
    admin = client.user(ADMIN)
    async with heartbeat() as gaps:
        answer = await upload(client, admin, name, data)
    assert "Каталог не изменён" in answer
    assert f"• {reason}" in answer
    assert await catalogue(app) == before
    assert max(gaps, default=0.0) < MAX_GAP_S, gaps


async def test_template_formatted_down_to_the_last_row_imports_its_rows_without_a_stall(
    client, app, tmp_path
):
    data = hostile_files.formatted_template(tmp_path / "t.xlsx", level=1).read_bytes()
    admin = client.user(ADMIN)
    async with heartbeat() as gaps:
        answer = await upload(client, admin, "шаблон.xlsx", data)
    assert "Каталог обновлён" in answer and "Строк с данными: 2." in answer
    assert "Чтение остановлено на строке 4: дальше 1\u00a0000 пустых строк подряд" in answer
    assert "Программы: добавлено 2" in answer
    assert len(gaps) > 3 and max(gaps) < MAX_GAP_S, max(gaps)  # it ticked throughout


async def test_consultation_files_have_the_same_limits_in_chat(client, app):
    async with app.sessions() as session:
        services = (await session.execute(select(func.count(ConsultService.id)))).scalar_one()
    admin = client.user(ADMIN)
    answer = await upload(client, admin, "consult.xlsx", workbook(services=[]))
    assert "Ничего не изменено" in answer
    assert "в файле есть заголовок, но нет ни одной строки с данными" in answer
    long = csv_file("services", [{"service_id": "S9", "name": "Я" * 40_000}])
    answer = await upload(client, admin, "services.csv", long)
    assert "Ничего не изменено" in answer
    assert "в строке 2 есть ячейка длиннее 32\u00a0767 символов" in answer
    async with app.sessions() as session:
        assert (await session.execute(select(func.count(ConsultService.id)))).scalar_one() == (
            services
        )


def test_command_line_imports_have_the_same_limits(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/c.db")
    monkeypatch.setattr(cli, "setup_logging", lambda *args: None)
    bomb = hostile_files.zip_bomb(tmp_path / "bomb.xlsx")
    assert cli.main(["import", "catalog", str(bomb)]) == 1
    assert "файл сжат подозрительно сильно" in capsys.readouterr().out
    assert cli.main(["import", "consultations", str(bomb)]) == 1
    assert "файл сжат подозрительно сильно" in capsys.readouterr().out
    header = tmp_path / "header.csv"
    header.write_bytes(hostile_files.header_only_csv())
    assert cli.main(["import", "catalog", str(header)]) == 1
    assert "нет ни одной строки с данными" in capsys.readouterr().out


async def test_a_worker_over_its_time_is_stopped_and_the_file_refused(app):
    before = await catalogue(app)
    data = hostile_files.csv_empty_lines(1)
    report = await import_catalog(
        app.sessions, data, file_name="slow.csv", limits=LIMITS.but(seconds=0)
    )
    assert [problem.key for problem in report.problems] == ["files-limit-time"]
    text = catalog_report(Locales().get("ru"), report)
    assert "файл не удалось проверить за 0 с" in text
    assert await catalogue(app) == before


def _allocate(megabytes: int, *, progress) -> int:
    return len(bytearray(megabytes * 2**20))


def _sleep(seconds: float, *, progress) -> None:
    time.sleep(seconds)


async def test_a_worker_over_its_memory_or_time_fails_and_is_gone():
    assert await run_isolated(_allocate, 10, seconds=60, memory_mb=1024) == 10 * 2**20
    with pytest.raises(WorkerFailed) as failed:
        await run_isolated(_allocate, 2048, seconds=60, memory_mb=512)
    assert failed.value.reason == "memory"
    started = time.perf_counter()
    with pytest.raises(WorkerFailed) as failed:
        await run_isolated(_sleep, 30, seconds=1, memory_mb=1024)
    assert failed.value.reason == "time"
    assert time.perf_counter() - started < 15
