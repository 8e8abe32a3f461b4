"""aiogram FSM storage in our own database, so conversations survive restarts.

Meant for one bot process per database (the embedded default); several instances use Redis.
Reads are served from a bounded write-through cache of what this process wrote or read.
"""

from __future__ import annotations

import contextlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import write_lock
from db.models import FsmRecord

_TABLE = FsmRecord.__table__


class SqlStorage(BaseStorage):
    def __init__(self, engine: AsyncEngine, cache_size: int = 20_000) -> None:
        self._engine = engine
        self._write_lock = write_lock(engine) or contextlib.nullcontext()
        self._cache: OrderedDict[str, tuple[str | None, str]] = OrderedDict()
        self._cache_size = cache_size
        dialect = sqlite if engine.dialect.name == "sqlite" else postgresql
        self._insert = dialect.insert

    @staticmethod
    def _key(key: StorageKey) -> str:
        parts = [key.bot_id, key.chat_id, key.user_id, key.thread_id, key.business_connection_id]
        return ":".join("" if part is None else str(part) for part in parts) + f":{key.destiny}"

    async def _load(self, key: str) -> tuple[str | None, str]:
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    select(_TABLE.c.state, _TABLE.c.data).where(_TABLE.c.key == key)
                )
            ).first()
        record = (row.state, row.data) if row else (None, "{}")
        self._remember(key, record)
        return record

    async def _save(self, key: str, state: str | None, data: str) -> None:
        if state is None and data == "{}":
            statement = _TABLE.delete().where(_TABLE.c.key == key)
        else:
            statement = self._insert(_TABLE).values(key=key, state=state, data=data)
            statement = statement.on_conflict_do_update(
                index_elements=[_TABLE.c.key], set_={"state": state, "data": data}
            )
        async with self._write_lock, self._engine.begin() as connection:
            await connection.execute(statement)
        self._remember(key, (state, data))

    def _remember(self, key: str, record: tuple[str | None, str]) -> None:
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
        self._cache.clear()
