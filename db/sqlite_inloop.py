"""SQLite for the async engine without a thread per connection.

aiosqlite runs every call (execute, fetch, commit, close) in a worker thread and waits for it
through the event loop: two thread hand-offs a call, a dozen for one small transaction. Measured
here, that made a one-row upsert transaction cost ~1.6 ms against ~0.03 ms for the same work
in the event loop's own thread, and it was most of the time of a typical update.

This dialect runs the standard library's sqlite3 directly in the event loop (SQLAlchemy's
greenlet bridge still gives the async API). A statement yields to the loop when the last yield
is more than YIELD_EVERY_S ago, so a long batch job lets updates in between its statements
without a loop round per statement. Two things keep the loop from ever blocking:
- SQLite's own busy handler is off (timeout 0): when another connection holds the write lock,
  the statement raises SQLITE_BUSY at once and is retried after an asyncio sleep, so the holder
  keeps running; after BUSY_WAIT_S the error is raised as before. A statement that failed with
  SQLITE_BUSY did nothing, so retrying it (and COMMIT) is safe.
- Writers of this process already queue on an asyncio lock (db.engine.write_lock), so lock
  waits come only from other processes (a CLI import, a backup).
Queries are short; long jobs (imports, exports) work in batches and yield between them.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects.sqlite.base import SQLiteExecutionContext
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util.concurrency import await_, in_greenlet

from db.engine import SQLITE_BUSY_TIMEOUT_MS

BUSY_WAIT_S = SQLITE_BUSY_TIMEOUT_MS / 1000
YIELD_EVERY_S = 0.002
_FIRST_PAUSE_S = 0.001
_LONGEST_PAUSE_S = 0.05


def _busy(error: sqlite3.OperationalError) -> bool:
    # Plain SQLITE_BUSY only: BUSY_SNAPSHOT (a stale read snapshot) never clears by waiting.
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY


def _pause(seconds: float) -> None:
    if in_greenlet():
        await_(asyncio.sleep(seconds))
    else:  # sync use outside the async engine, e.g. a CLI helper
        time.sleep(seconds)


async def _nothing() -> None:
    return None


_last_yield = 0.0


def _maybe_yield() -> None:
    global _last_yield
    if not in_greenlet():
        return
    now = time.perf_counter()
    if now - _last_yield > YIELD_EVERY_S:
        _last_yield = now
        await_(asyncio.sleep(0))
    else:  # SQLAlchemy's async API wants one await per statement; this one does not wait
        await_(_nothing())


def _retrying(call: Any, *args: Any) -> Any:
    _maybe_yield()
    deadline, pause = time.monotonic() + BUSY_WAIT_S, _FIRST_PAUSE_S
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _busy(error) or time.monotonic() >= deadline:
                raise
        _pause(pause)
        pause = min(pause * 2, _LONGEST_PAUSE_S)


class RetryingCursor(sqlite3.Cursor):
    def execute(self, *args: Any) -> RetryingCursor:  # type: ignore[override]
        return _retrying(super().execute, *args)  # type: ignore[no-any-return]

    def executemany(self, *args: Any) -> RetryingCursor:  # type: ignore[override]
        return _retrying(super().executemany, *args)  # type: ignore[no-any-return]

    async def _async_soft_close(self) -> None:
        """Called by SQLAlchemy's async results on async drivers' cursors; rows stay readable."""


class RetryingConnection(sqlite3.Connection):
    def cursor(self, factory: Any = RetryingCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def execute(self, *args: Any) -> Any:  # type: ignore[override]
        return self.cursor().execute(*args)

    def commit(self) -> None:
        _retrying(super().commit)


class InloopExecutionContext(SQLiteExecutionContext):
    def create_server_side_cursor(self) -> Any:
        # sqlite3 cursors already step through rows on demand: streaming needs nothing more.
        return self._dbapi_connection.cursor()


class SQLiteDialect_inloop(SQLiteDialect_pysqlite):
    driver = "inloop"
    is_async = True
    supports_statement_cache = True
    supports_server_side_cursors = True
    execution_ctx_cls = InloopExecutionContext

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool

    def create_connect_args(self, url: URL) -> tuple[list[Any], dict[str, Any]]:
        args, kwargs = super().create_connect_args(url)
        kwargs.update(factory=RetryingConnection, timeout=0, check_same_thread=False)
        return args, kwargs
