"""Operator commands: `check` (settings, database, migrations, Redis, token) and `backup`."""

from __future__ import annotations

import asyncio
import shutil
import socket
import sqlite3
import stat
import threading
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from backends import POSTGRES_URL, REDIS_URL, fresh_postgres, needs_postgres, needs_redis

from bot.cli import ops
from bot.config import Settings
from bot.testing.fake_bot_api import FakeBotApi, FakeBotApiConfig, FakeFaults
from db import migrate
from db.engine import create_engine

TOKEN = "123456789:AAEsecretsecretsecretsecretsecretXYZ"
OTHER_TOKEN = "987654321:AAEanotheranotheranotheranotherXYZ"
HEAD = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
FIRST = "0001"


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": None,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "redis_url": None,
        "bot_api_url": "",
        "default_locale": "en",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def _migrate(settings: Settings, revision: str = "head") -> None:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine, revision)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A database file migrated to head once; tests copy it (migrating takes a second)."""
    path = tmp_path_factory.mktemp("migrated") / "bot.sqlite3"
    asyncio.run(_migrate(Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{path}")))
    assert not path.with_name("bot.sqlite3-wal").exists()
    return path


def _copy_of(migrated: Path, tmp_path: Path) -> None:
    shutil.copyfile(migrated, tmp_path / "bot.sqlite3")


def _by_name(results: list[ops.CheckResult]) -> dict[str, ops.CheckResult]:
    return {result.name: result for result in results}


def _closed_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------------- check


async def test_all_checks_pass_on_a_migrated_database_with_an_accepted_token(
    migrated, tmp_path, capsys
):
    async with FakeBotApi(FakeBotApiConfig(token=TOKEN)) as server:
        settings = _settings(tmp_path, bot_token=TOKEN, bot_api_url=server.url, default_locale="ru")
        _copy_of(migrated, tmp_path)
        # main_check runs its own event loop, as the CLI does: in a thread beside the server's.
        code = await asyncio.to_thread(ops.main_check, settings)
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert code == 0, out.out
    assert [line[0] for line in lines] == ["✓"] * 6
    assert lines[1].startswith("✓ База данных:")
    assert HEAD in lines[2] and "@edu_navigator_bot" in lines[4]
    assert TOKEN not in out.out + out.err and "AAEsecret" not in out.out + out.err


async def test_a_rejected_token_fails_the_check_and_is_never_printed(migrated, tmp_path, capsys):
    async with FakeBotApi(FakeBotApiConfig(token=OTHER_TOKEN)) as server:
        settings = _settings(tmp_path, bot_token=TOKEN, bot_api_url=server.url)
        _copy_of(migrated, tmp_path)
        code = await asyncio.to_thread(ops.main_check, settings)
        assert server.counters.unauthorized == 1
    out = capsys.readouterr()
    assert code == 1
    telegram = out.out.splitlines()[-2]  # the quiz file is checked last
    assert telegram.startswith("✗ Telegram: token rejected") and "401" in telegram
    assert "AAEsecret" not in out.out + out.err and "AAEanother" not in out.out + out.err


async def test_no_token_is_a_failed_check_that_says_where_to_get_one(migrated, tmp_path):
    settings = _settings(tmp_path)
    _copy_of(migrated, tmp_path)
    results = _by_name(await ops.check(settings))
    assert not results["telegram"].ok
    assert "BOT_TOKEN" in results["telegram"].detail and "@BotFather" in results["telegram"].detail
    assert results["database"].ok and results["migrations"].ok


async def test_an_unreachable_bot_api_is_reported_as_telegram_unreachable(migrated, tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}"
    settings = _settings(tmp_path, bot_token=TOKEN, bot_api_url=url)
    _copy_of(migrated, tmp_path)
    telegram = _by_name(await ops.check(settings))["telegram"]
    assert not telegram.ok
    assert telegram.detail.startswith(f"Telegram unreachable ({url})")
    assert "AAEsecret" not in telegram.detail


async def test_a_bot_api_that_does_not_answer_in_time_is_unreachable(
    migrated, tmp_path, monkeypatch
):
    monkeypatch.setattr(ops, "CHECK_TIMEOUT", 1.0)
    faults = FakeFaults(slow_rate=1.0, slow_delay=2.0, methods=frozenset({"getMe"}))
    config = FakeBotApiConfig(token=TOKEN, faults=faults, shutdown_timeout=0.1)
    async with FakeBotApi(config) as server:
        settings = _settings(tmp_path, bot_token=TOKEN, bot_api_url=server.url)
        _copy_of(migrated, tmp_path)
        telegram = _by_name(await ops.check(settings))["telegram"]
    assert not telegram.ok
    assert "Telegram unreachable" in telegram.detail and "no answer within 1 s" in telegram.detail


async def test_a_database_behind_the_code_names_its_revision_and_the_fix(tmp_path):
    assert HEAD != FIRST
    settings = _settings(tmp_path)
    await _migrate(settings, FIRST)
    results = _by_name(await ops.check(settings))
    assert results["database"].ok
    migrations = results["migrations"]
    assert not migrations.ok
    assert f"revision {FIRST}" in migrations.detail and HEAD in migrations.detail
    assert "python -m bot migrate" in migrations.detail


async def test_an_empty_database_has_no_migrations_applied(tmp_path):
    settings = _settings(tmp_path, default_locale="ru")
    sqlite3.connect(tmp_path / "bot.sqlite3").close()  # an empty file
    migrations = _by_name(await ops.check(settings))["migrations"]
    assert not migrations.ok
    assert "миграции не применялись" in migrations.detail and HEAD in migrations.detail


async def test_a_database_ahead_of_the_code_is_called_unknown(migrated, tmp_path):
    settings = _settings(tmp_path)
    _copy_of(migrated, tmp_path)
    with closing(sqlite3.connect(tmp_path / "bot.sqlite3")) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    migrations = _by_name(await ops.check(settings))["migrations"]
    assert (
        not migrations.ok and "9999" in migrations.detail and "does not know" in migrations.detail
    )


async def test_a_missing_sqlite_file_fails_without_creating_it(tmp_path):
    settings = _settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/no/bot.sqlite3")
    results = _by_name(await ops.check(settings))
    assert not results["database"].ok and "python -m bot migrate" in results["database"].detail
    assert not results["migrations"].ok and "not checked" in results["migrations"].detail
    assert not (tmp_path / "no").exists()


async def test_unreachable_postgres_and_redis_fail_without_printing_passwords(tmp_path, capsys):
    port = _closed_port()
    settings = _settings(
        tmp_path,
        database_url=f"postgresql+asyncpg://bot:pg-secret-pw@127.0.0.1:{port}/bot",
        redis_url=f"redis://:redis-secret-pw@127.0.0.1:{port}/0",
    )
    code = await asyncio.to_thread(ops.main_check, settings)
    out = capsys.readouterr().out
    assert code == 1
    assert "✗ Database: does not answer" in out
    assert f"✗ Redis: 127.0.0.1:{port}/0 does not answer" in out
    assert f"bot@127.0.0.1:{port}/bot" in out  # the settings line names the database
    assert "secret-pw" not in out


@needs_postgres
async def test_check_on_postgresql_sees_the_database_and_its_migrations(tmp_path):
    assert POSTGRES_URL
    engine = await fresh_postgres()
    try:
        settings = _settings(tmp_path, database_url=POSTGRES_URL)
        results = _by_name(await ops.check(settings))
        assert results["database"].ok
        assert not results["migrations"].ok and HEAD in results["migrations"].detail
        await migrate.upgrade(engine)
        results = _by_name(await ops.check(settings))
        assert results["database"].ok and results["migrations"].ok, results
    finally:
        await engine.dispose()


@needs_redis
async def test_check_pings_redis_when_it_is_configured(tmp_path):
    settings = _settings(tmp_path, redis_url=REDIS_URL)
    redis = _by_name(await ops.check(settings))["redis"]
    assert redis.ok and "PING" in redis.detail


async def test_without_redis_url_redis_is_not_used(tmp_path):
    redis = _by_name(await ops.check(_settings(tmp_path)))["redis"]
    assert redis.ok and "REDIS_URL" in redis.detail


# -------------------------------------------------------------------------------- backup


def _rows(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT body FROM notes ORDER BY id")]


async def test_backup_while_another_connection_writes(migrated, tmp_path):
    settings = _settings(tmp_path)
    _copy_of(migrated, tmp_path)  # the real schema, in WAL mode as the bot runs it
    database = tmp_path / "bot.sqlite3"
    writer = sqlite3.connect(database, isolation_level=None, timeout=5)
    try:
        writer.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        writer.execute("BEGIN")
        writer.executemany(
            "INSERT INTO notes (body) VALUES (?)", [(f"note {n}",) for n in range(500)]
        )
        writer.execute("COMMIT")
        # The writer is in the middle of a transaction while the copy is made.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO notes (body) VALUES ('not committed yet')")
        copy = await ops.backup(settings)
        writer.execute("COMMIT")
    finally:
        writer.close()

    assert copy.parent == tmp_path / "backups"
    assert copy.name.startswith("bot-") and copy.suffix == ".sqlite3"
    assert list(copy.parent.iterdir()) == [copy]  # one file: no -wal, no leftovers
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    rows = _rows(copy)
    assert rows == [f"note {n}" for n in range(500)]
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        assert revision == (HEAD,)


async def test_backup_is_consistent_while_rows_keep_being_committed(tmp_path):
    settings = _settings(tmp_path)
    database = tmp_path / "bot.sqlite3"
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        connection.executemany(
            "INSERT INTO notes (body) VALUES (?)", [("x" * 2000,) for _ in range(5000)]
        )
    stop, started = threading.Event(), threading.Event()
    written = [0]

    def keep_writing() -> None:
        writer = sqlite3.connect(database, isolation_level=None, timeout=5)
        try:
            while not stop.is_set():
                writer.execute("INSERT INTO notes (body) VALUES ('during')")
                written[0] += 1
                if written[0] == 10:
                    started.set()
        finally:
            writer.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        # The writer is under way before the copy starts.
        assert await asyncio.to_thread(started.wait, 10)
        copy = await ops.backup(settings, tmp_path / "elsewhere")
        during = written[0]
    finally:
        stop.set()
        thread.join()
    rows = _rows(copy)
    assert copy.parent == tmp_path / "elsewhere"
    assert 5000 + 10 <= len(rows) <= 5000 + during + 1
    assert rows[:5000] == ["x" * 2000] * 5000 and set(rows[5000:]) == {"during"}


async def test_two_backups_in_one_second_do_not_overwrite_each_other(
    migrated, tmp_path, monkeypatch
):
    settings = _settings(tmp_path)
    _copy_of(migrated, tmp_path)
    monkeypatch.setattr(ops, "_stamp", lambda: "20250101-000000")
    first = await ops.backup(settings)
    second = await ops.backup(settings)
    assert first.name == "bot-20250101-000000.sqlite3"
    assert second.name == "bot-20250101-000000-2.sqlite3"


def test_main_backup_prints_where_the_copy_is(migrated, tmp_path, capsys):
    settings = _settings(tmp_path)
    _copy_of(migrated, tmp_path)
    assert ops.main_backup(settings, None) == 0
    out = capsys.readouterr().out
    (copy,) = (tmp_path / "backups").iterdir()
    assert out.startswith("Backup written: ") and str(copy) in out


def test_backup_of_a_missing_database_fails_clearly(tmp_path, capsys):
    settings = _settings(tmp_path)
    assert ops.main_backup(settings, None) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and str(tmp_path / "bot.sqlite3") in err
    assert not (tmp_path / "bot.sqlite3").exists() and not (tmp_path / "backups").exists()


async def test_backup_of_postgresql_points_to_pg_dump_without_the_password(tmp_path):
    settings = _settings(
        tmp_path,
        database_url="postgresql+asyncpg://edu:pg-secret-pw@db.example.org:6432/navigator",
        default_locale="ru",
    )
    with pytest.raises(ops.BackupError) as error:
        await ops.backup(settings)
    message = str(error.value)
    assert "pg_dump -h db.example.org -p 6432 -U edu -d navigator" in message
    assert "pg-secret-pw" not in message
    assert "pg_restore" in message


def test_backup_of_postgresql_exits_non_zero_with_the_pointer(tmp_path, capsys):
    settings = _settings(tmp_path, database_url="postgresql+asyncpg://edu@localhost/navigator")
    assert ops.main_backup(settings, tmp_path / "dumps") == 1
    err = capsys.readouterr().err
    assert "pg_dump -h localhost -p 5432 -U edu -d navigator -Fc -f " in err
    assert str(tmp_path / "dumps" / "bot-") in err


# ----------------------------------------------------------------------------------- CLI


def test_parsers_for_the_cli():
    import argparse

    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    ops.add_parsers(commands)
    assert parser.parse_args(["check"]).command == "check"
    assert parser.parse_args(["backup"]).folder is None
    assert parser.parse_args(["backup", "/srv/copies"]).folder == Path("/srv/copies")
