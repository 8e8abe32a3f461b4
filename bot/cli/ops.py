"""Operator commands: `python -m bot check` (is everything in place?) and `python -m bot backup`.

Wiring into the CLI (bot/cli/main.py)::

    ops.add_parsers(commands)                                   # the two sub-commands
    if args.command == "check": return ops.main_check(settings)
    if args.command == "backup": return ops.main_backup(settings, args.folder)

Texts come from `locales/*/ops.ftl` in `DEFAULT_LOCALE`. Nothing printed here contains the bot
token or a password: details are scrubbed of both before they leave this module.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shlex
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError

from bot.config import Settings
from bot.logs import TOKEN_RE
from bot.telegram.i18n import Locales, Translator

CHECK_TIMEOUT = 10.0  # seconds each check may take (a database or Telegram that does not answer)
BACKUP_DIR_NAME = "backups"  # next to the SQLite file: data/backups/ by default
BACKUP_PREFIX = "bot-"
BACKUP_DIR_MODE = 0o700

__all__ = [
    "BackupError",
    "CheckResult",
    "add_parsers",
    "backup",
    "check",
    "main_backup",
    "main_check",
]


@dataclass(frozen=True)
class CheckResult:
    name: str  # stable key: settings, database, migrations, redis, telegram (or max), quiz
    ok: bool
    detail: str  # plain text in DEFAULT_LOCALE, without secrets
    title: str = ""  # the name in DEFAULT_LOCALE, for printing


class BackupError(Exception):
    """A backup that cannot be made; the message is for the operator (localized, no secrets)."""


# ------------------------------------------------------------------------------------- check


async def check(settings: Settings) -> list[CheckResult]:
    """Settings, database, migrations, Redis (when configured), the token (Telegram's, or
    MAX's with MESSENGER=max) and the quiz file, in that order."""
    say = _Say(settings)
    results = [say.result("settings", True, "ops-settings-ok", database=_describe_db(settings))]
    results += await _check_database(settings, say)
    results.append(await _check_redis(settings, say))
    if settings.messenger == "max":
        results.append(await _check_max(settings, say))
    else:
        results.append(await _check_telegram(settings, say))
    results.append(_check_quiz(say))
    return results


def _check_quiz(say: _Say) -> CheckResult:
    from bot.cli import quiz_file

    bank, said = quiz_file.check(say.t)
    return CheckResult("quiz", bank is not None, said, say("ops-check-quiz"))


def main_check(settings: Settings, stream: TextIO | None = None) -> int:
    """Prints `✓ name: detail` per check; 0 when all passed, else 1."""
    results = asyncio.run(check(settings))
    out = stream or sys.stdout
    for result in results:
        mark = "✓" if result.ok else "✗"
        print(f"{mark} {result.title or result.name}: {result.detail}", file=out)
    return 0 if all(result.ok for result in results) else 1


class _Say:
    """Localized plain-text details, scrubbed of the token and passwords."""

    def __init__(self, settings: Settings) -> None:
        self.t: Translator = _locales().get(settings.default_locale)
        tokens = (settings.bot_token, settings.max_token)
        secrets = [token.get_secret_value() for token in tokens if token is not None]
        for url in (settings.database_url, settings.redis_url):
            password = _password(url)
            if password:
                secrets += [password, unquote(password)]
        self.secrets = sorted(secrets, key=len, reverse=True)

    def __call__(self, key: str, /, **kwargs: object) -> str:
        return self.scrub(_plain(self.t(key, **kwargs)))

    def scrub(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, "***")
        return TOKEN_RE.sub("***", value)

    def error(self, exc: BaseException) -> str:
        """One line about an exception: the driver's or HTTP client's error, not a wrapper."""
        from aiogram.exceptions import TelegramNetworkError

        if isinstance(exc, DBAPIError) and exc.orig is not None:
            exc = exc.orig.__cause__ or exc.orig  # asyncpg's error behind SQLAlchemy's adapter
        elif isinstance(exc, TelegramNetworkError) and exc.__cause__ is not None:
            exc = exc.__cause__  # aiohttp's error, or TimeoutError
        if isinstance(exc, TimeoutError):
            return self("ops-no-answer", seconds=int(CHECK_TIMEOUT))
        lines = str(exc).strip().splitlines()
        name = type(exc).__name__
        return self.scrub(f"{name}: {lines[0]}" if lines else name)

    def result(self, name: str, ok: bool, key: str, /, **kwargs: object) -> CheckResult:
        return CheckResult(name, ok, self(key, **kwargs), self(f"ops-check-{name}"))


@functools.cache
def _locales() -> Locales:
    return Locales()  # loading the texts takes a moment: once per process


def _plain(html: str) -> str:
    """A locale text as terminal text: tags dropped, entities (&lt; of escaped values) decoded."""
    from bot.telegram.html import parse_html

    return parse_html(html)[0]


def _password(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _where(url: str) -> str:
    """user@host:port/path of a URL, without the password."""
    parts = urlsplit(url)
    location = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}@" if parts.username else ""
    return f"{user}{location}{parts.path}"


def _sqlite_path(settings: Settings) -> Path | None:
    database = make_url(settings.database_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _describe_db(settings: Settings) -> str:
    if settings.is_sqlite:
        return f"SQLite {make_url(settings.database_url).database or ':memory:'}"
    return f"PostgreSQL {_where(settings.database_url)}"


def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or "base"


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    return {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }


def _read_revision(connection: Connection) -> str | None:
    if not sa_inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def _check_database(settings: Settings, say: _Say) -> list[CheckResult]:
    from db.engine import create_engine

    path = _sqlite_path(settings)
    if settings.is_sqlite and path is not None and not path.is_file():
        # Connecting would create an empty file (and its folder): say so instead.
        return [
            say.result("database", False, "ops-db-no-file", path=str(path)),
            say.result("migrations", False, "ops-migrations-skipped"),
        ]
    engine = create_engine(settings.database_url)
    try:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT), engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:
            return [
                say.result("database", False, "ops-db-failed", error=say.error(exc)),
                say.result("migrations", False, "ops-migrations-skipped"),
            ]
        reachable = say.result("database", True, "ops-db-ok")
        try:
            async with asyncio.timeout(CHECK_TIMEOUT), engine.connect() as connection:
                current = await connection.run_sync(_read_revision)
        except Exception as exc:
            return [
                reachable,
                say.result("migrations", False, "ops-migrations-failed", error=say.error(exc)),
            ]
    finally:
        await engine.dispose()
    return [reachable, _migration_result(say, current)]


def _migration_result(say: _Say, current: str | None) -> CheckResult:
    head = _head_revision()
    if current == head:
        return say.result("migrations", True, "ops-migrations-ok", head=head)
    if current is None:
        return say.result("migrations", False, "ops-migrations-none", head=head)
    if current in _known_revisions():
        return say.result("migrations", False, "ops-migrations-behind", current=current, head=head)
    return say.result("migrations", False, "ops-migrations-unknown", current=current, head=head)


async def _check_redis(settings: Settings, say: _Say) -> CheckResult:
    if not settings.redis_url:
        return say.result("redis", True, "ops-redis-off")
    from redis.asyncio import Redis

    target = _where(settings.redis_url)
    client = Redis.from_url(
        settings.redis_url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
    )
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await client.ping()
    except Exception as exc:
        return say.result("redis", False, "ops-redis-failed", target=target, error=say.error(exc))
    finally:
        await client.aclose()
    return say.result("redis", True, "ops-redis-ok", target=target)


async def _check_telegram(settings: Settings, say: _Say) -> CheckResult:
    if settings.bot_token is None:
        return say.result("telegram", False, "ops-telegram-no-token")
    from aiogram.exceptions import (
        TelegramAPIError,
        TelegramNetworkError,
        TelegramUnauthorizedError,
    )

    from bot.app import create_bot

    server = settings.bot_api_url or say("ops-telegram-server")
    bot = create_bot(settings)
    try:
        async with asyncio.timeout(CHECK_TIMEOUT + 5):
            me = await bot.get_me(request_timeout=int(CHECK_TIMEOUT))
    except TelegramUnauthorizedError:
        return say.result("telegram", False, "ops-telegram-rejected", server=server)
    except (TelegramNetworkError, TimeoutError, OSError) as exc:
        error = say.error(exc)
        return say.result("telegram", False, "ops-telegram-unreachable", server=server, error=error)
    except TelegramAPIError as exc:
        error = say.scrub(exc.message)
        return say.result("telegram", False, "ops-telegram-error", server=server, error=error)
    except Exception as exc:  # e.g. a proxy answering HTML: aiogram's ClientDecodeError
        error = say.error(exc)
        return say.result("telegram", False, "ops-telegram-error", server=server, error=error)
    finally:
        await bot.session.close()
    return say.result(
        "telegram", True, "ops-telegram-ok", username=me.username or me.first_name, id=str(me.id)
    )


async def _check_max(settings: Settings, say: _Say) -> CheckResult:
    """`GET /me` with MAX_TOKEN at MAX_API_URL."""
    if settings.max_token is None:
        return say.result("max", False, "ops-max-no-token")
    import aiohttp
    from maxapi.types.users import User

    from bot.max.api import MaxApi, MaxApiFailure

    server = urlsplit(settings.max_api_url).netloc or settings.max_api_url
    api = MaxApi(settings.max_token.get_secret_value(), settings.max_api_url, CHECK_TIMEOUT)
    try:
        async with asyncio.timeout(CHECK_TIMEOUT + 5):
            me = User.model_validate(await api.call("GET", "/me"))
    except MaxApiFailure as failure:
        if failure.status == 401:
            return say.result("max", False, "ops-max-rejected", server=server)
        error = say.scrub(f"{failure.status} {failure.code}: {failure.message}")
        return say.result("max", False, "ops-max-error", server=server, error=error)
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return say.result("max", False, "ops-max-unreachable", server=server, error=say.error(exc))
    except Exception as exc:  # an answer that is not MAX's (a proxy's page)
        return say.result("max", False, "ops-max-error", server=server, error=say.error(exc))
    finally:
        await api.close()
    name = f"@{me.username}" if me.username else me.first_name
    return say.result("max", True, "ops-max-ok", name=name, id=str(me.user_id), server=server)


# ------------------------------------------------------------------------------------ backup


async def backup(settings: Settings, folder: Path | None = None) -> Path:
    """An online copy of the SQLite database, checked with `PRAGMA integrity_check`.

    The copy goes to `folder` (default: `backups/` next to the database file, i.e.
    `data/backups/`) as `bot-YYYYmmdd-HHMMSS.sqlite3` (UTC), a single file (journal mode
    DELETE) readable only by its owner. The bot may keep running and writing meanwhile.
    On PostgreSQL raises BackupError pointing to pg_dump.
    """
    say = _Say(settings)
    if not settings.is_sqlite:
        raise BackupError(say("ops-backup-postgres", command=_pg_dump_command(settings, folder)))
    source = _sqlite_path(settings)
    if source is None:
        raise BackupError(say("ops-backup-not-a-file"))
    if not source.is_file():
        raise BackupError(say("ops-backup-no-file", path=str(source)))
    default = folder is None
    folder = source.parent / BACKUP_DIR_NAME if folder is None else folder
    _private_folder(folder, fix=default)
    target = _free_name(folder, _stamp(), ".sqlite3")
    partial = target.with_name(target.name + ".partial")
    try:
        problem = await asyncio.to_thread(_copy_sqlite, source, partial)
        if problem is not None:
            raise BackupError(say("ops-backup-corrupt", path=str(source), error=problem))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def main_backup(settings: Settings, folder: Path | None = None) -> int:
    """Makes the backup and prints where it is; 0 on success, 1 (with the reason) otherwise."""
    try:
        path = asyncio.run(backup(settings, folder))
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:
        say = _Say(settings)
        print(say("ops-backup-failed", error=say.error(exc)), file=sys.stderr)
        return 1
    kilobytes = max(1, round(path.stat().st_size / 1024))
    print(_Say(settings)("ops-backup-done", path=str(path), kilobytes=kilobytes))
    return 0


def _private_folder(folder: Path, *, fix: bool) -> None:
    """The backups' folder, open to its owner only (0700) whatever the umask: the copies hold
    personal data. A folder that exists is made so when `fix` (ours, the default one); one the
    operator named is left as they keep it."""
    existed = folder.is_dir()
    folder.mkdir(mode=BACKUP_DIR_MODE, parents=True, exist_ok=True)
    if (fix or not existed) and folder.stat().st_mode & 0o777 != BACKUP_DIR_MODE:
        folder.chmod(BACKUP_DIR_MODE)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def _free_name(folder: Path, stamp: str, suffix: str) -> Path:
    """bot-STAMP.sqlite3, or bot-STAMP-2.sqlite3 ... when two backups fall in one second."""
    target = folder / f"{BACKUP_PREFIX}{stamp}{suffix}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{BACKUP_PREFIX}{stamp}-{number}{suffix}"
    return target


def _copy_sqlite(source: Path, target: Path) -> str | None:
    """Copies with SQLite's online backup API; None if the copy is sound, else the problem."""
    from db.engine import SQLITE_BUSY_TIMEOUT_MS

    target.unlink(missing_ok=True)
    # Personal data: readable by the owner only, from the first byte (an empty file is an empty
    # database to SQLite).
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    reader = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        copy = sqlite3.connect(target)
        try:
            # One step: a single read transaction, a consistent snapshot (WAL: writers go on).
            reader.backup(copy)
            # A standalone file: no -wal/-shm beside it.
            copy.execute("PRAGMA journal_mode=DELETE").fetchall()
            rows = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
        finally:
            copy.close()
    finally:
        reader.close()
    if rows == ["ok"]:
        return None
    return "; ".join(str(row) for row in rows[:5])


def _pg_dump_command(settings: Settings, folder: Path | None) -> str:
    url: URL = make_url(settings.database_url)
    folder = folder if folder is not None else Path("data") / BACKUP_DIR_NAME
    parts = ["pg_dump", "-h", url.host or "localhost", "-p", str(url.port or 5432)]
    if url.username:
        parts += ["-U", url.username]
    parts += ["-d", url.database or "postgres", "-Fc"]
    parts += ["-f", str(folder / f"{BACKUP_PREFIX}{_stamp()}.dump")]
    return shlex.join(parts)


# --------------------------------------------------------------------------------------- CLI


def add_parsers(commands: Any) -> None:
    """Adds `check` and `backup [FOLDER]` to the CLI's sub-commands (bot/cli/parsers.py)."""
    from bot.cli.parsers import add_ops_parsers

    add_ops_parsers(commands, _locales().get(None))
