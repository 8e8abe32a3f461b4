from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.logs import RedactTokens

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAEsecretsecretsecretsecretsecretXYZ"


def _run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    clean.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,  # no .env there
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_token_explains_what_to_do_and_exits_non_zero(tmp_path):
    result = _run_bot(tmp_path, "run", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode != 0
    assert (
        "@BotFather" in result.stderr and ".env" in result.stderr and "make shell" in result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout


def test_invalid_configuration_names_each_bad_key_and_hides_the_token(tmp_path):
    result = _run_bot(
        tmp_path,
        "run",
        BOT_TOKEN=TOKEN + "!!",
        TIMEZONE="Mars/Olympus",
        ADMIN_IDS="12,abc",
        DEFAULT_LOCALE="de",
    )
    assert result.returncode == 2
    for key in ("BOT_TOKEN", "TIMEZONE", "ADMIN_IDS", "DEFAULT_LOCALE"):
        assert key in result.stderr
    assert "AAEsecret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_migrate_command_creates_the_database_with_the_demo_catalogue(tmp_path):
    db = tmp_path / "m.sqlite3"
    result = _run_bot(tmp_path, "migrate", DATABASE_URL=f"sqlite+aiosqlite:///{db}")
    assert result.returncode == 0, result.stderr
    # The catalogue file is read in a worker process, which imports `python -m bot`'s main
    # module again: that must not run the command line a second time.
    with sqlite3.connect(db) as connection:
        [(programmes,)] = connection.execute("SELECT count(*) FROM programmes").fetchall()
    assert programmes == 501


def test_settings_parse_env_style_values(monkeypatch):
    monkeypatch.setenv("ADMIN_IDS", "1, 2;3")
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SHELL_USER__USER_ID", "77")
    settings = load_settings(_env_file=None)
    assert settings.admin_ids == [1, 2, 3]
    assert settings.shell.user_id == 77
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())
    assert settings.bot_token.get_secret_value() == TOKEN


def test_bad_database_url_is_a_config_error():
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None, database_url="mysql://x")
    assert error.value.problems[0].startswith("DATABASE_URL")


def test_tokens_are_redacted_from_log_lines_and_tracebacks():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "url %s", (f"/bot{TOKEN}/getMe",), None
    )
    try:
        raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/getMe")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactTokens().filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted and "<token>" in formatted
