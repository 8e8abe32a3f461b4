"""The command line in MAX mode: `run` without MAX_TOKEN says how to get one; `check` tries the
token with `GET /me` at the configured host."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import ops
from bot.config import PROJECT_ROOT, Settings
from bot.testing.fake_max_api import FakeMaxApi
from db import migrate
from db.engine import create_engine

MAX_TOKEN = "max-secret-token-AbCdEf123"


def run_without_token(tmp_path: Path, locale: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "MAX_", "MESSENGER", "WEBHOOK", "DATABASE", "REDIS"))
    }
    env.update(
        MESSENGER="max",
        DEFAULT_LOCALE=locale,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'run.sqlite3'}",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,  # no .env here
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ru", ("MAX_TOKEN", "верификацию организации", "модерации")),
        ("en", ("MAX_TOKEN", "verify your organisation", "moderation")),
    ],
)
def test_run_without_a_max_token_says_how_to_get_one(tmp_path, locale, words):
    result = run_without_token(tmp_path, locale)
    assert result.returncode != 0
    assert all(word in result.stderr for word in words), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "run.sqlite3").exists(), "nothing started"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "bot.sqlite3"

    async def upgrade() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await migrate.upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(upgrade())
    return path


def max_settings(tmp_path: Path, migrated: Path, **overrides: object) -> Settings:
    shutil.copyfile(migrated, tmp_path / "bot.sqlite3")
    values: dict[str, object] = {
        "messenger": "max",
        "bot_token": None,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "redis_url": None,
        "default_locale": "en",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def test_check_accepts_a_good_max_token(tmp_path, migrated, capsys):
    async with FakeMaxApi(token=MAX_TOKEN) as server:
        settings = max_settings(tmp_path, migrated, max_token=MAX_TOKEN, max_api_url=server.url)
        code = await asyncio.to_thread(ops.main_check, settings)
        assert ("GET", "/me") in [(method, path) for method, path, _, _ in server.requests]
    out = capsys.readouterr().out
    assert code == 0, out
    line = next(line for line in out.splitlines() if "MAX:" in line)
    assert line.startswith("✓ MAX: token accepted, bot @edu_navigator_bot"), out
    assert "Telegram" not in out and MAX_TOKEN not in out


async def test_check_names_a_rejected_max_token_without_printing_it(tmp_path, migrated, capsys):
    async with FakeMaxApi(token="another-token-entirely") as server:
        settings = max_settings(tmp_path, migrated, max_token=MAX_TOKEN, max_api_url=server.url)
        code = await asyncio.to_thread(ops.main_check, settings)
    out = capsys.readouterr()
    assert code == 1
    line = next(line for line in out.out.splitlines() if "MAX:" in line)
    assert line.startswith("✗ MAX: token rejected") and "401" in line and "MAX_TOKEN" in line
    assert MAX_TOKEN not in out.out + out.err


async def test_check_without_a_max_token_says_where_tokens_come_from(tmp_path, migrated):
    results = {r.name: r for r in await ops.check(max_settings(tmp_path, migrated))}
    assert not results["max"].ok and "telegram" not in results
    assert "MAX_TOKEN" in results["max"].detail and "verified" in results["max"].detail


async def test_check_reports_an_unreachable_max_host(tmp_path, migrated):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = max_settings(
        tmp_path, migrated, max_token=MAX_TOKEN, max_api_url=f"http://127.0.0.1:{port}"
    )
    result = {r.name: r for r in await ops.check(settings)}["max"]
    assert not result.ok and result.detail.startswith(f"MAX unreachable (127.0.0.1:{port})")
