"""The bot serving MAX for bench/load.py --messenger max: the real dispatcher (as bot/runner.py
builds it), `MaxSession` to the fake MAX server, and each MAX update, posted to /max as MAX's
webhook would post it, fed through `MaxUpdates`/`MaxFeeder`; answered 200 after handling.

    python bench/max_load_bot.py --port PORT --api-url URL --database-url URL

(When the MAX webhook of `python -m bot run` with MESSENGER=max is in, the bench should run
that instead.)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web

from bot.app import build_app, create_bot, create_dispatcher, prepare_database, settle_heap
from bot.config import Settings
from bot.logs import setup_logging
from bot.max.feed import MaxFeeder
from bot.max.session import MaxSession
from bot.max.updates import MaxUpdates, NotAMaxUpdate
from services.messengers.max_messages import MaxMessageIds

MAX_TOKEN = "max-token"


async def serve(port: int, api_url: str, database_url: str) -> None:
    setup_logging("WARNING")  # a line per update at INFO would be measured too
    settings = Settings(_env_file=None, database_url=database_url, redis_url=None, bot_token=None)
    app = build_app(settings)
    await prepare_database(app)
    ids = MaxMessageIds(app.sessions, app.write_sessions)
    session = MaxSession(MAX_TOKEN, ids, api_url=api_url)
    bot = create_bot(settings, session=session)
    dispatcher = create_dispatcher(app, throttle=True)
    feeder = MaxFeeder(dispatcher, bot, MaxUpdates(ids, await bot.me(), files=session.files))
    settle_heap()

    async def update(request: web.Request) -> web.Response:
        try:
            await feeder.feed(await request.json())
        except (NotAMaxUpdate, ValueError):
            return web.json_response({"ok": False}, status=400)
        return web.json_response({"ok": True})

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    web_app = web.Application()
    web_app.router.add_post("/max", update)
    web_app.router.add_get("/healthz", health)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    await runner.cleanup()
    await bot.session.close()
    await dispatcher.storage.close()
    await app.close()
    logging.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.api_url, args.database_url))


if __name__ == "__main__":
    main()
