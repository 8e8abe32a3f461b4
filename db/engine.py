"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import weakref
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Row, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.sql import Executable

# aiosqlite logs every statement with its parameters at DEBUG: people's data never goes to a log,
# whatever LOG_LEVEL says.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

AUTOCOMMIT = "AUTOCOMMIT"
SQLITE_BUSY_TIMEOUT_MS = 5000  # how long a statement waits for another connection's write lock
# The database and its -wal/-shm hold personal data: readable by the owner only.
PRIVATE_FILE_MODE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")

log = logging.getLogger(__name__)


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    """hide_parameters: an error's message (logged, alerted) never carries the values bound
    to the statement, which are people's names, phones and questions."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            make_private_sqlite_file(Path(url.database))
        # sqlite:// and sqlite+aiosqlite:// both mean aiosqlite: the async engine needs it.
        # A pool of open connections (each with its aiosqlite thread), whatever SQLAlchemy's
        # default for the dialect is in a given version (NullPool, a connection per use, before
        # 2.0.38); :memory: databases keep SQLAlchemy's own choice (one shared connection).
        options: dict[str, Any] = {}
        if url.database and url.database != ":memory:":
            options["poolclass"] = AsyncAdaptedQueuePool
        engine = create_async_engine(
            url.set(drivername="sqlite+aiosqlite"), echo=echo, hide_parameters=True, **options
        )
        _tune_sqlite(engine)
        return engine
    return create_async_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)


def make_private_sqlite_file(path: Path) -> None:
    """Creates the database file 0600 before SQLite opens it, whatever the umask (SQLite then
    gives its -wal and -shm the same mode), and takes group and other access off the files of
    an existing database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
    for file in (path, *(path.with_name(path.name + side) for side in SQLITE_SIDE_FILES)):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(PRIVATE_FILE_MODE)
        except FileNotFoundError:
            continue
        except PermissionError:  # someone else's file: say so, it is still usable
            log.warning("cannot make %s readable by its owner only", file)


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL, foreign keys and a busy timeout on every connection; SQLAlchemy emits BEGIN itself,
    so write transactions can say BEGIN IMMEDIATE (SQLAlchemy's documented recipe)."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # the driver must not emit BEGIN on its own
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted and overwritten rows are zeroed in the file, not left in free space: what
        # /forget removes is gone from the database file (see services/people/privacy.py).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        options = connection.get_execution_options()
        mode = options.get("sqlite_begin", "DEFERRED")
        if mode != AUTOCOMMIT and options.get("isolation_level") != AUTOCOMMIT:
            connection.exec_driver_sql(f"BEGIN {mode}")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def bound_engine(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """The engine a session factory opens its sessions on."""
    return sessions.kw["bind"]


async def read_rows(
    sessions: async_sessionmaker[AsyncSession],
    statement: Executable,
    values: Mapping[str, Any] | None = None,
) -> list[Row[Any]]:
    """All rows of a read, on a plain connection of the factory's engine: for Core statements
    on hot paths, where an ORM session (its transaction, connection hand-over and close) cost
    about as much again as the statement."""
    async with autocommit(bound_engine(sessions)).connect() as connection:
        return list((await connection.execute(statement, values or {})).all())


def read_sessions(sessions: async_sessionmaker[AsyncSession]) -> async_sessionmaker[AsyncSession]:
    """ORM sessions for reads only on the same engine, each statement its own transaction: no
    BEGIN and ROLLBACK round trips (on aiosqlite, each a hop to the connection's thread)."""
    return async_sessionmaker(autocommit(bound_engine(sessions)), expire_on_commit=False)


_autocommit_engines: weakref.WeakKeyDictionary[object, AsyncEngine] = weakref.WeakKeyDictionary()


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The same engine, each statement its own transaction: for a single read or a single write,
    one database round trip instead of BEGIN, the statement and COMMIT."""
    found = _autocommit_engines.get(engine.sync_engine)
    if found is None:
        # On SQLite no BEGIN is emitted (the driver never begins on its own, see _tune_sqlite):
        # an isolation level set per use would cost a PRAGMA to reset it at every return.
        if engine.dialect.name == "sqlite":
            found = engine.execution_options(sqlite_begin=AUTOCOMMIT)
        else:
            found = engine.execution_options(isolation_level=AUTOCOMMIT)
        _autocommit_engines[engine.sync_engine] = found
    return found


_write_locks: weakref.WeakKeyDictionary[object, asyncio.Lock] = weakref.WeakKeyDictionary()


def write_lock(engine: AsyncEngine) -> asyncio.Lock | None:
    """SQLite has one writer at a time: queue writers of this process fairly in the event loop
    instead of letting them spin in the busy handler (which is unfair and times out under load).
    None on PostgreSQL, where writers run concurrently."""
    if engine.dialect.name != "sqlite":
        return None
    return _write_locks.setdefault(engine.sync_engine.pool, asyncio.Lock())


class SerialWriter:
    """Short write transactions that run for every update (the update_id claim, conversation
    state): BEGIN (IMMEDIATE on SQLite) on a pooled connection, taking turns under the engine's
    write lock on SQLite; side by side on PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.dialect_name = engine.dialect.name
        self._engine = immediate(engine)
        self._autocommit = autocommit(engine)
        self._lock = write_lock(engine)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """BEGIN … COMMIT; rolled back if the block raises."""
        async with self._lock or contextlib.nullcontext(), self._engine.begin() as connection:
            yield connection

    async def execute_one(
        self, statement: Executable, values: Mapping[str, Any]
    ) -> Row[Any] | None:
        """One statement as its own transaction (autocommit: one database round trip instead of
        BEGIN, the statement and COMMIT); its first row, if it returns any."""
        async with self._lock or contextlib.nullcontext(), self._autocommit.connect() as connection:
            result = await connection.execute(statement, values)
            return result.first() if result.returns_rows else None

    async def execute_rows(self, statement: Executable) -> list[Row[Any]]:
        """One statement as its own transaction, as `execute_one`; all the rows it returns."""
        async with self._lock or contextlib.nullcontext(), self._autocommit.connect() as connection:
            return list(await connection.execute(statement))


class LockedSession(AsyncSession):
    """A session that holds the engine's write lock (if any) from enter to exit."""

    def __init__(self, *args: Any, write_lock: asyncio.Lock | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._write_lock = write_lock

    async def __aenter__(self) -> LockedSession:
        if self._write_lock is not None:
            await self._write_lock.acquire()
        try:
            return await super().__aenter__()
        except BaseException:
            if self._write_lock is not None:
                self._write_lock.release()
            raise

    async def __aexit__(self, *exc_info: Any) -> None:
        try:
            await super().__aexit__(*exc_info)
        finally:
            if self._write_lock is not None:
                self._write_lock.release()


def create_write_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for transactions that write: BEGIN IMMEDIATE and the write lock on SQLite."""
    return async_sessionmaker(
        immediate(engine),
        class_=LockedSession,
        expire_on_commit=False,
        write_lock=write_lock(engine),
    )


def immediate(engine: AsyncEngine) -> AsyncEngine:
    """The same engine, but SQLite transactions begin IMMEDIATE (take the write lock first).

    Use it for transactions that read and then write: a DEFERRED one would fail with
    SQLITE_BUSY at its first write if another writer got in between, busy_timeout or not.
    PostgreSQL ignores the option.
    """
    return engine.execution_options(sqlite_begin="IMMEDIATE")
