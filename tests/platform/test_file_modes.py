"""Files that hold personal data or secrets are the owner's only, whatever the umask: the
SQLite database with its -wal and -shm (0600), the backups (0600, their folder 0700) and the
.env that `make` copies (0600). Checked on real processes started with umask 022."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UMASK = "umask 022; exec "  # the usual default, which makes new files 0644


def _env(database: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "BOT_TOKEN", "TEST_POSTGRES_URL"}
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
    return env


def _run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", UMASK + command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_migrate_creates_the_database_readable_by_its_owner_only(tmp_path):
    database = tmp_path / "data" / "bot.sqlite3"
    done = _run(f"{sys.executable} -m bot migrate", tmp_path, _env(database))
    assert done.returncode == 0, done.stderr
    assert _mode(database) == 0o600
    for side in ("-wal", "-shm"):  # removed at a clean exit; if left, the owner's only
        left = database.with_name(database.name + side)
        assert not left.exists() or _mode(left) == 0o600


HOLD_OPEN = """
import asyncio, sys
from sqlalchemy import text
from db.engine import create_engine

async def main():
    engine = create_engine("sqlite:///" + sys.argv[1])
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE IF NOT EXISTS t (name TEXT)"))
        await connection.execute(text("INSERT INTO t VALUES ('Анна')"))
    async with engine.connect() as connection:
        await connection.execute(text("SELECT * FROM t"))
        print("ready", flush=True)
        sys.stdin.readline()
    await engine.dispose()

asyncio.run(main())
"""


def test_a_running_bot_keeps_the_database_wal_and_shm_private(tmp_path):
    """An existing database left world-readable by an earlier version (main file, -wal and
    -shm): the bot's engine takes group and other access off all three, and what SQLite
    creates beside the file while it runs is private too."""
    database = tmp_path / "bot.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (name TEXT)")
    connection.close()
    for file in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        file.touch()
        file.chmod(0o644)
    process = subprocess.Popen(
        ["sh", "-c", UMASK + f'{sys.executable} -c "$0" {database}', HOLD_OPEN],
        cwd=tmp_path,
        env=_env(database),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()
        modes = {
            side: _mode(database.with_name(database.name + side)) for side in ("", "-wal", "-shm")
        }
        assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
    finally:
        process.communicate("\n", timeout=60)
    assert process.returncode == 0, process.stderr


def test_backups_and_their_folder_are_private(tmp_path):
    database = tmp_path / "data" / "bot.sqlite3"
    database.parent.mkdir()
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE bookings (name TEXT)")
    connection.close()
    done = _run(f"{sys.executable} -m bot backup", tmp_path, _env(database))
    assert done.returncode == 0, done.stderr
    folder = database.parent / "backups"
    [copy] = folder.iterdir()
    assert _mode(folder) == 0o700 and _mode(copy) == 0o600

    folder.chmod(0o755)  # made by an earlier version: the next backup closes it
    assert _run(f"{sys.executable} -m bot backup", tmp_path, _env(database)).returncode == 0
    assert _mode(folder) == 0o700


def test_make_copies_the_env_file_readable_by_its_owner_only(tmp_path):
    shutil.copy(ROOT / ".env.example", tmp_path / ".env.example")
    done = _run(f"make -f {ROOT / 'Makefile'} .env", tmp_path, dict(os.environ))
    assert done.returncode == 0, done.stderr
    env_file = tmp_path / ".env"
    assert env_file.read_text() == (ROOT / ".env.example").read_text()
    assert _mode(env_file) == 0o600
