"""Making rows just deleted or overwritten gone from the database's files (/forget, 152-ФЗ).

SQLite: connections run with `secure_delete=ON` (db/engine.py), so a deleted or overwritten
row is zeroed in its page and a freed page is zeroed too; but the WAL file still holds the
earlier versions of the pages until a checkpoint copies the new ones into the main file and
`TRUNCATE` empties the WAL. A reader holding an older snapshot blocks that; it is retried
with asyncio sleeps (never a blocking wait) for a few seconds.

PostgreSQL: an UPDATE or DELETE leaves the old row version in the table until VACUUM removes
it; `VACUUM (SKIP_LOCKED)` of the tables that held the person's data runs right away (a table
an autovacuum is working on is skipped: it is being vacuumed anyway; a version that a
transaction still open elsewhere may see is left to the next VACUUM). What VACUUM frees is
reused, not zeroed (only VACUUM FULL would rewrite the files, locking the tables meanwhile),
and the server's WAL segments (pg_wal) keep the data until they are recycled; neither is
reachable through SQL. Backups keep it until they age out, on both backends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import write_lock

log = logging.getLogger(__name__)

CHECKPOINT_TRIES = 40
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.25  # about 6 s in all before giving up


async def scrub(engine: AsyncEngine, tables: Sequence[str]) -> bool:
    """True when the old versions of the rows are gone from the files SQL writes to."""
    if engine.dialect.name == "sqlite":
        return await checkpoint_wal(engine)
    if engine.dialect.name == "postgresql":
        await vacuum(engine, tables)
        return True
    return False


async def checkpoint_wal(engine: AsyncEngine) -> bool:
    """Copies every WAL frame into the main file and truncates the WAL to nothing."""
    pause = FIRST_PAUSE_S
    for _ in range(CHECKPOINT_TRIES):
        # This process's writers wait meanwhile; a checkpoint of a short WAL takes a moment.
        async with write_lock(engine) or contextlib.nullcontext(), engine.connect() as connection:
            busy, _, _ = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            await connection.rollback()
        if not busy:
            return True
        await asyncio.sleep(pause)  # a reader still sees older pages: let it finish
        pause = min(pause * 2, LONGEST_PAUSE_S)
    log.warning("the WAL could not be emptied after forgetting: readers kept it busy")
    return False


async def vacuum(engine: AsyncEngine, tables: Sequence[str]) -> None:
    names = ", ".join(engine.dialect.identifier_preparer.quote(name) for name in tables)
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql(f"VACUUM (SKIP_LOCKED) {names}")
