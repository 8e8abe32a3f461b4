"""What the fake MAX server needs to stand in for MAX under load: MAX's request limit (429 over
`rate` calls a window, all calls together), faults (a share of sends answered 5xx or late),
counters a bench reads (sent per person, duplicates, refusals), a record of deliveries, and
running as its own process:

    python -m bot.testing.fake_max_api --port 0 --rate 30 --error-rate 0.01 --record sent.jsonl

The first line on stdout is the URL. Run so, the fake's cyclic garbage collector is off once it
serves: it stands in for MAX, whose pauses are not the bot's, and a full collection over the
chats it keeps stalled every call for 0.3 s at a time in bench runs (reference counting still
frees what it makes; a run lasts minutes). `/_fake/stats` answers the counters; `/_fake/update`
builds a MAX update for a person from what their chat shows (a press on a label), so a bench
in another process can post it to the bot; `/_fake/calls` lists (time, person) of every call
the bot made, to time replies.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import signal
import sys
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from aiohttp import web

SEND = ("POST", "/messages")


@dataclass
class FakeMaxLimits:
    rate: int = 0  # API calls a window, all together (MAX: about 30 a second); 0: no limit
    window: float = 1.0  # seconds; the window slides


@dataclass
class FakeMaxFaults:
    error_rate: float = 0.0  # share of sends answered 5xx, nothing delivered
    slow_rate: float = 0.0  # share of sends answered `slow_delay` late (delivered)
    slow_delay: float = 0.0
    seed: int = 0


@dataclass
class FakeMaxCounters:
    requests: int = 0  # API calls (uploads and /_fake/ not counted)
    sent: int = 0  # messages delivered
    duplicates: int = 0  # the same text to the same person again
    rate_limited: int = 0  # 429s
    forbidden: int = 0  # 403s (the person blocked the bot)
    server_errors: int = 0  # 5xx
    slow: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    refusals: dict[str, int] = field(default_factory=dict)  # other 4xx, by MAX's code

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LimitsAndCounters:
    """Mixed into FakeMaxApi: an aiohttp middleware around its handler, and the /_fake/ routes."""

    # FakeMaxApi's, used here
    app: web.Application
    messages: dict[str, Any]

    def _bench_setup(
        self,
        limits: FakeMaxLimits | None,
        faults: FakeMaxFaults | None,
        record_path: Path | None,
    ) -> None:
        self.limits = limits or FakeMaxLimits()
        self.faults = faults or FakeMaxFaults()
        self.counters = FakeMaxCounters()
        self.sent_to: Counter[int] = Counter()  # messages delivered, by MAX user id
        self.calls: list[tuple[float, int]] = []  # (time.time() it arrived, user id) of each call
        self._texts: Counter[tuple[int, str | None]] = Counter()
        self._window: deque[float] = deque()
        self._rng = random.Random(self.faults.seed)
        self._callback_users: dict[str, int] = {}
        self._record: TextIO | None = (
            record_path.open("w", encoding="utf-8") if record_path is not None else None
        )

        @web.middleware
        async def bench(request: web.Request, handler: Handler) -> web.StreamResponse:
            return await self._bench_handle(request, handler)

        self.app.middlewares.append(bench)

    async def _bench_handle(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if path.startswith("/_fake/"):
            return await self._fake_route(request, path)
        if path.startswith(("/_upload/", "/_files/")):
            return await handler(request)
        arrived = time.time()  # a bench's reply time ends where the call reaches MAX
        counters = self.counters
        counters.requests += 1
        counters.in_flight += 1
        counters.max_in_flight = max(counters.max_in_flight, counters.in_flight)
        try:
            if not self._admit():
                counters.rate_limited += 1
                return _failure(429, "too.many.requests", "Too many requests")
            send = (request.method, path) == SEND
            if send:
                draw = self._rng.random()
                if draw < self.faults.error_rate:
                    counters.server_errors += 1
                    return _failure(503, "service.unavailable", "Service temporarily unavailable")
                if draw < self.faults.error_rate + self.faults.slow_rate:
                    counters.slow += 1
                    await asyncio.sleep(self.faults.slow_delay)
            response = await handler(request)
            await self._count(request, response, send, arrived)
            return response
        finally:
            counters.in_flight -= 1

    def _admit(self) -> bool:
        """Whether MAX's limit lets this call through (counted when it does)."""
        if not self.limits.rate:
            return True
        now = time.monotonic()
        window = self._window
        while window and window[0] <= now - self.limits.window:
            window.popleft()
        if len(window) >= self.limits.rate:
            return False
        window.append(now)
        return True

    async def _count(
        self, request: web.Request, response: web.StreamResponse, send: bool, arrived: float
    ) -> None:
        status = response.status
        if status == 429:
            self.counters.rate_limited += 1
        elif status == 403:
            self.counters.forbidden += 1
        elif status >= 500:
            self.counters.server_errors += 1
        elif status >= 400:
            code = _code(response)
            self.counters.refusals[code] = self.counters.refusals.get(code, 0) + 1
        user_id = self._user_of(request)
        if user_id is not None:
            self.calls.append((arrived, user_id))
        if not send or status != 200 or user_id is None:
            return
        body = await request.json()
        text = body.get("text") if isinstance(body, dict) else None
        self.counters.sent += 1
        self.sent_to[user_id] += 1
        self._texts[(user_id, text)] += 1
        if self._texts[(user_id, text)] > 1:
            self.counters.duplicates += 1
        if self._record is not None:
            line = {"user_id": user_id, "text": text, "ts": time.time()}
            self._record.write(json.dumps(line, ensure_ascii=False) + "\n")
            self._record.flush()

    def _user_of(self, request: web.Request) -> int | None:
        """The person a call is about: the addressee, the owner of the message, the presser."""
        query = request.query
        if "user_id" in query:
            return int(query["user_id"]) if query["user_id"].isdigit() else None
        if "message_id" in query:
            shown = self.messages.get(query["message_id"])
            return shown.user_id if shown is not None else None
        if "callback_id" in query:
            return self._callback_users.get(query["callback_id"])
        return None

    # ---------------------------------------------------------------- /_fake/: for benches

    async def _fake_route(self, request: web.Request, path: str) -> web.Response:
        if path == "/_fake/stats":
            per_person = request.query.get("per_person") == "1"
            extra = {"sent_to": {str(k): v for k, v in self.sent_to.items()}} if per_person else {}
            return web.json_response({**self.counters.as_dict(), **extra})
        if path == "/_fake/calls":
            return web.json_response(self.calls)
        if path == "/_fake/update" and request.method == "POST":
            return await self._make_update(await request.json())
        if path == "/_fake/labels":
            user_id = int(request.query.get("user_id", "0"))
            chat = self.chat(user_id)  # type: ignore[attr-defined]
            return web.json_response([shown.labels() for shown in chat])
        if path == "/_fake/forget" and request.method == "POST":
            user_id = int((await request.json())["user_id"])
            for mid in [m for m, shown in self.messages.items() if shown.user_id == user_id]:
                del self.messages[mid]
            return web.json_response({"ok": True})
        return _failure(404, "not.found", f"no fake route {path}")

    async def _make_update(self, order: dict[str, Any]) -> web.Response:
        """{"kind": "start" | "text" | "press", "user_id": …, "text"/"label"/"payload": …}"""
        user_id = int(order["user_id"])
        kind = order.get("kind")
        try:
            if kind == "start":
                update = self.start_update(user_id, order.get("payload"))  # type: ignore[attr-defined]
            elif kind == "text":
                update = self.text_update(user_id, order["text"])  # type: ignore[attr-defined]
            elif kind == "press":
                update = self.press_update(user_id, order["label"])  # type: ignore[attr-defined]
                self._callback_users[update["callback"]["callback_id"]] = user_id
            else:
                return _failure(400, "proto.payload", f"unknown kind {kind!r}")
        except LookupError as error:
            return _failure(404, "not.found", str(error))
        return web.json_response(update)


def _failure(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)


def _code(response: web.StreamResponse) -> str:
    body = getattr(response, "body", None)
    try:
        return str(json.loads(body)["code"]) if isinstance(body, bytes) else "?"
    except (ValueError, KeyError, TypeError):
        return "?"


# -------------------------------------------------------------------- standalone


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.testing.fake_max_api", description="A fake MAX Bot API server."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082, help="0: any free port")
    parser.add_argument("--token", default="max-token", help="the one token accepted")
    parser.add_argument("--rate", type=int, default=0, help="API calls a window (0: no limit)")
    parser.add_argument("--window", type=float, default=1.0, help="seconds")
    parser.add_argument("--blocked", type=int, action="append", default=[], help="a MAX user id")
    parser.add_argument("--blocked-file", type=Path, help="MAX user ids, one a line")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of sends: 5xx")
    parser.add_argument("--slow-rate", type=float, default=0.0, help="share of sends: late")
    parser.add_argument("--slow-delay", type=float, default=0.0, help="seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--record", type=Path, help="JSON lines, one per delivered message")
    return parser


async def serve(argv: list[str] | None = None) -> FakeMaxCounters:
    """Run until SIGTERM or SIGINT; the URL is the first line on stdout."""
    from bot.testing.fake_max_api import FakeMaxApi

    args = build_parser().parse_args(argv)
    blocked = set(args.blocked)
    if args.blocked_file:
        lines = args.blocked_file.read_text(encoding="utf-8").split()
        blocked |= {int(line) for line in lines}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    server = FakeMaxApi(
        token=args.token,
        host=args.host,
        port=args.port,
        limits=FakeMaxLimits(rate=args.rate, window=args.window),
        faults=FakeMaxFaults(args.error_rate, args.slow_rate, args.slow_delay, args.seed),
        record_path=args.record,
    )
    server.blocked |= blocked
    async with server:
        gc.collect()
        gc.disable()
        print(server.url, flush=True)
        try:
            await stop.wait()
        finally:
            gc.enable()
    return server.counters


def main(argv: list[str] | None = None) -> int:
    counters = asyncio.run(serve(argv))
    print(json.dumps(counters.as_dict()), file=sys.stderr, flush=True)
    return 0
