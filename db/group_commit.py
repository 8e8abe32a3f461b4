"""Group commit: keys that arrive while a batch is being written go together in the next
statement. In a surge one insert takes a batch instead of each key waiting its turn at SQLite's
single writer; a quiet bot writes each key at once, as before."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class GroupCommit(Generic[K, V]):
    """`write(keys)` writes a batch and answers each key's value (every key of the batch)."""

    def __init__(
        self, write: Callable[[list[K]], Awaitable[Mapping[K, V]]], batch: int = 200
    ) -> None:
        self._write = write
        self.batch = batch  # keys a statement; bound parameters stay far below SQLite's limit
        self._pending: dict[K, asyncio.Future[V]] = {}
        self._writing: asyncio.Task[None] | None = None

    def waiting(self, key: K) -> bool:
        """True while `key` waits for its batch."""
        return key in self._pending

    async def submit(self, key: K) -> V:
        """The key's value once its batch is written; the same key twice at once shares one
        write. The write's error, if it fails."""
        waiter = self._pending.get(key)
        if waiter is None:
            waiter = asyncio.get_running_loop().create_future()
            self._pending[key] = waiter
            if self._writing is None or self._writing.done():
                self._writing = asyncio.create_task(self._write_pending())
        # Shielded: one caller given up (its update cancelled) leaves the others their answer.
        return await asyncio.shield(waiter)

    async def _write_pending(self) -> None:
        while self._pending:
            batch = dict(itertools.islice(self._pending.items(), self.batch))
            for key in batch:
                del self._pending[key]
            try:
                values = await self._write(list(batch))
            except Exception as error:
                for waiter in batch.values():
                    if not waiter.done():
                        waiter.set_exception(error)
                        waiter.exception()  # retrieved here too: no warning if nobody waits
                continue
            for key, waiter in batch.items():
                if waiter.done():
                    continue
                if key in values:
                    waiter.set_result(values[key])
                else:
                    waiter.set_exception(LookupError(f"the write gave no value for {key!r}"))
                    waiter.exception()
