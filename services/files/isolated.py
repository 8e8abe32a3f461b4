"""Work on staff files (reading and checking uploads, writing exports, drawing the plan chart)
in a child process: off the event loop and off its GIL, within a memory cap and a time limit,
and killed when it overruns, so a hostile file or a big export costs the bot neither its loop
nor its memory.

Children are forked from a fork server that has the readers and writers imported already (a
few milliseconds a child). Every blocking step (starting the child, sending, waiting,
receiving) runs in a worker thread. The function runs as `function(*args, progress=send)`,
where `send(done, total, phase)` reaches the caller's `progress`, and with `pages=` also gets
an iterator of what the caller streams to it; its result and exceptions come back pickled,
so keep both small (bulky results go to files). As with any multiprocessing child, a script
run as `python path/to/script.py` is imported again in each child: keep its top level light
(`python -m bot` and `python -m pytest` are not re-imported).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import multiprocessing
import resource
import shutil
from collections.abc import AsyncIterable, Awaitable, Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from services.files.limits import FileLimits

T = TypeVar("T")
Progress = Callable[[int, int, str], Awaitable[None] | None]

PRELOAD = [
    "openpyxl",
    "services.catalog.check",
    "services.consultations.imports",
    "services.catalog.exports",
    "services.booking.exports",
]
POLL_S = 0.5
KILL_WAIT_S = 5.0


class WorkerFailed(Exception):
    """The child did not finish: `reason` is "time" (over the limit), "memory" (over the cap)
    or "crash" (it died)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _child(
    connection: Connection,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    memory_mb: int,
    feed: Connection | None,
) -> None:
    if memory_mb:
        cap = memory_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    def progress(done: int, total: int, phase: str) -> None:
        connection.send(("progress", done, total, phase))

    extra: dict[str, Any] = {"progress": progress}
    if feed is not None:
        extra["pages"] = _received(feed)
    try:
        result = function(*args, **extra)
    except MemoryError:
        message: tuple[Any, ...] = ("memory",)
    except Exception as error:
        message = ("error", error)
    else:
        message = ("done", result)
    try:
        connection.send(message)
    except Exception as error:  # an exception or result that does not pickle
        connection.send(("error", RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        connection.close()


def _received(feed: Connection) -> Iterator[Any]:
    while (page := feed.recv()) is not None:
        yield page


async def run_isolated(
    function: Callable[..., T],
    *args: Any,
    progress: Progress | None = None,
    pages: AsyncIterable[Any] | None = None,
    seconds: float,
    memory_mb: int,
) -> T:
    """`function(*args)` in a child process; its exceptions are raised here. WorkerFailed when
    it runs out of time or memory or dies. With `pages`, the function gets `pages=` an
    iterator of what the caller's async iterable yields, each sent as it comes (a slow child
    holds the sender back: the pipe between them is small)."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    feed_in, feed_out = context.Pipe(duplex=False) if pages is not None else (None, None)
    process = context.Process(
        target=_child, args=(sender, function, args, memory_mb, feed_in), daemon=True
    )
    try:
        await asyncio.to_thread(process.start)  # the first start boots the fork server
    finally:
        sender.close()
        if feed_in is not None:
            feed_in.close()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    try:
        if pages is not None and feed_out is not None:
            await _feed(pages, feed_out, deadline)
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise WorkerFailed("time")
            if not await asyncio.to_thread(receiver.poll, min(left, POLL_S)):
                continue
            try:
                message = await asyncio.to_thread(receiver.recv)
            except EOFError:  # the child died without a word (killed, or crashed in C)
                raise WorkerFailed("crash") from None
            kind = message[0]
            if kind == "progress":
                if progress is not None:
                    result = progress(*message[1:])
                    if inspect.isawaitable(result):
                        await result
                continue
            if kind == "done":
                return message[1]  # type: ignore[no-any-return]
            if kind == "memory":
                raise WorkerFailed("memory")
            raise message[1]
    finally:
        await asyncio.to_thread(_stop, process, receiver, feed_out)


async def _feed(pages: AsyncIterable[Any], feed: Connection, deadline: float) -> None:
    """Every page, then the end (None). A child that stopped reading has said why (or died):
    the caller reads that next."""
    loop = asyncio.get_running_loop()
    try:
        async for page in pages:
            await asyncio.wait_for(asyncio.to_thread(feed.send, page), deadline - loop.time())
        await asyncio.wait_for(asyncio.to_thread(feed.send, None), deadline - loop.time())
    except TimeoutError:
        raise WorkerFailed("time") from None
    except (BrokenPipeError, ConnectionResetError):
        return


def _stop(process: Any, receiver: Connection, feed: Connection | None) -> None:
    if process.is_alive():
        process.kill()
    process.join(KILL_WAIT_S)
    receiver.close()
    if feed is not None:
        feed.close()


async def on_disk(source: bytes | str | Path | BinaryIO, folder: Path, suffix: str) -> Path:
    """The file as a path the worker can open: a path as it is, anything else copied (in a
    thread) into `folder`."""
    if isinstance(source, str | Path):
        return Path(source)
    path = folder / f"upload{suffix}"

    def copy() -> None:
        with path.open("wb") as file:
            if isinstance(source, bytes):
                file.write(source)
            else:
                shutil.copyfileobj(source, file)

    await asyncio.to_thread(copy)
    return path


def worker_problem(
    failure: WorkerFailed, limits: FileLimits
) -> tuple[str, tuple[tuple[str, str | int], ...]]:
    """The locale key and arguments for a worker that did not finish."""
    if failure.reason == "time":
        return "files-limit-time", (("limit", limits.seconds),)
    if failure.reason == "memory":
        return "files-limit-memory", (("limit", limits.memory_mb),)
    return "files-worker-crash", ()
