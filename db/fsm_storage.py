"""aiogram FSM storage in our own database, so conversations survive restarts.

Meant for one bot process per database (the embedded default); several instances use Redis.
Reads are served from a bounded write-through cache of what this process wrote or read.
Writes that change nothing are skipped, and concurrent writes share one transaction (group
commit): a handler still waits until its own change is committed. Inside `deferred_writes()`
(one per update, see bot/middlewares/state_writes.py) the writes of an update are committed
together when it ends: a handler that sets a state and its data costs one transaction, not two.

A dialog left unfinished keeps what the person typed (a booking's name and phone): a state not
written for `ttl` (RETENTION__CONVERSATION_HOURS) reads as empty, and `sweep_expired` (run by
the clock, services/people/privacy.py) deletes such rows. `flush()` commits this update's writes at
once, for /forget, which must not answer before the state is gone from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import SerialWriter, autocommit
from db.models import FsmRecord, utcnow

_TABLE = FsmRecord.__table__
_EMPTY: tuple[str | None, str] = (None, "{}")
# state, data, and when it was written (POSIX seconds; None when there is no row)
_Record = tuple[str | None, str, float | None]
_NONE: _Record = (None, "{}", None)
DEFAULT_TTL = timedelta(hours=24)
ROWS_A_STATEMENT = 100  # bound parameters stay far below SQLite's limit


class _Deferred:
    """The writes of one update; closed once it ended (a task it started may still write)."""

    def __init__(self) -> None:
        self.waiters: list[asyncio.Future[None]] = []
        self.open = True


_DEFERRED: ContextVar[_Deferred | None] = ContextVar("deferred", default=None)


class SqlStorage(BaseStorage):
    def __init__(
        self,
        engine: AsyncEngine,
        cache_size: int = 20_000,
        writer: SerialWriter | None = None,
        *,
        ttl: timedelta = DEFAULT_TTL,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self._reads = autocommit(engine)  # a read is one round trip, not BEGIN, it, ROLLBACK
        self._ttl = ttl.total_seconds()
        self._now = now
        self._writer = writer or SerialWriter(engine)
        self._cache: OrderedDict[str, _Record] = OrderedDict()
        self._cache_size = cache_size
        # Statements built once: building them per call cost more than running them.
        self._dialect = sqlite if engine.dialect.name == "sqlite" else postgresql
        self._upsert = self._upsert_of(self._dialect.insert(_TABLE))
        self._select = select(_TABLE.c.state, _TABLE.c.data, _TABLE.c.updated_at).where(
            _TABLE.c.key == bindparam("key")
        )
        self._delete = _TABLE.delete().where(_TABLE.c.key.in_(bindparam("keys", expanding=True)))
        self._pending: dict[str, _Record] = {}
        self._waiters: list[asyncio.Future[None]] = []
        self._flusher: asyncio.Task[None] | None = None

    @staticmethod
    def _key(key: StorageKey) -> str:
        parts = [key.bot_id, key.chat_id, key.user_id, key.thread_id, key.business_connection_id]
        return ":".join("" if part is None else str(part) for part in parts) + f":{key.destiny}"

    async def _stored(self, key: str) -> _Record:
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        async with self._reads.connect() as connection:
            row = (await connection.execute(self._select, {"key": key})).first()
        record = (row.state, row.data, row.updated_at.timestamp()) if row else _NONE
        self._remember(key, record)
        return record

    def _age(self, record: _Record) -> float:
        written = record[2]
        return 0.0 if written is None else self._now().timestamp() - written

    async def _load(self, key: str) -> tuple[str | None, str]:
        record = await self._stored(key)
        if self._age(record) >= self._ttl:
            return _EMPTY  # an abandoned dialog: as if there were none
        return record[0], record[1]

    async def _save(self, key: str, state: str | None, data: str) -> None:
        if key in self._cache or (state, data) == _EMPTY:
            stored = await self._stored(key)
            if stored[:2] == (state, data) and (
                (state, data) == _EMPTY or self._age(stored) < self._ttl / 2
            ):
                return  # e.g. state.clear() of a user who has no state; else it renews the time
        # A key this process does not know, written with something (a new dialog's context,
        # named by a fresh random id): what it held does not matter, so it is not read first.
        now = self._now()
        record: _Record = (state, data, None if (state, data) == _EMPTY else now.timestamp())
        self._remember(key, record)
        self._pending[key] = record
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        deferred = _DEFERRED.get()
        if deferred is not None and deferred.open:
            deferred.waiters.append(waiter)
            return
        self._kick()
        await waiter

    def _kick(self) -> None:
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())

    @contextlib.asynccontextmanager
    async def deferred_writes(self) -> AsyncIterator[None]:
        """Writes made inside are committed together on the way out, which waits for them."""
        deferred = _Deferred()
        token = _DEFERRED.set(deferred)
        try:
            yield
        finally:
            _DEFERRED.reset(token)
            deferred.open = False
            if deferred.waiters:
                self._kick()
                await asyncio.gather(*deferred.waiters)

    async def _flush(self) -> None:
        while self._pending:
            pending, self._pending = self._pending, {}
            waiters, self._waiters = self._waiters, []
            try:
                await self._write(pending)
            except Exception as error:
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_exception(error)
                for key in pending:  # what the database holds is unknown now: re-read it
                    self._cache.pop(key, None)
                continue
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def _write(self, pending: dict[str, _Record]) -> None:
        deletes = [key for key, record in pending.items() if record[2] is None]
        upserts = [
            {"key": key, "state": state, "data": data, "updated_at": _utc(written)}
            for key, (state, data, written) in pending.items()
            if written is not None
        ]
        if len(upserts) == 1 and not deletes:  # the usual case: one conversation's change
            await self._writer.execute_one(self._upsert, upserts[0])
        elif upserts and not deletes and len(upserts) <= ROWS_A_STATEMENT:
            # A dialog's step changes several keys (its stack, its context): one statement is
            # atomic on its own, one round trip instead of BEGIN, the statement and COMMIT.
            rows = self._upsert_of(self._dialect.insert(_TABLE).values(upserts))
            await self._writer.execute_one(rows, {})
        else:
            async with self._writer.transaction() as connection:
                if deletes:
                    await connection.execute(self._delete, {"keys": deletes})
                if upserts:
                    await connection.execute(self._upsert, upserts)

    @staticmethod
    def _upsert_of(insert: Any) -> Any:
        return insert.on_conflict_do_update(
            index_elements=[_TABLE.c.key],
            set_={
                "state": insert.excluded.state,
                "data": insert.excluded.data,
                "updated_at": insert.excluded.updated_at,
            },
        )

    async def flush(self) -> None:
        """Commits the writes made so far now, inside `deferred_writes()` too (raising if that
        transaction fails), or waits for the batch already being written."""
        if self._pending:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            self._kick()
            await waiter
        elif self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)  # a batch already on its way

    def _remember(self, key: str, record: _Record) -> None:
        self._cache[key] = record
        self._cache.move_to_end(key)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        raw = state.state if isinstance(state, State) else state
        storage_key = self._key(key)
        _, data = await self._load(storage_key)
        await self._save(storage_key, raw, data)

    async def get_state(self, key: StorageKey) -> str | None:
        state, _ = await self._load(self._key(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        storage_key = self._key(key)
        state, _ = await self._load(storage_key)
        await self._save(storage_key, state, json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _, data = await self._load(self._key(key))
        return json.loads(data)

    async def close(self) -> None:
        if self._flusher is not None:
            with contextlib.suppress(Exception):
                await self._flusher
        self._cache.clear()


def _utc(posix: float) -> datetime:
    return datetime.fromtimestamp(posix, UTC)
