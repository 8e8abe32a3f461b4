"""One broadcast worker process for bench/broadcast.py: works the outbox until no broadcast is
running, then prints one JSON line (counts, peak memory). Killed with SIGKILL in the crash run.

    python bench/broadcast_worker.py DATABASE_URL BOT_API_URL CAP [--paid] [--concurrency N]
    python bench/broadcast_worker.py DATABASE_URL MAX_API_URL CAP --messenger max

With `--messenger max` the bot is carried to MAX by `MaxSession` (token "max-token", the fake's
default) and the engine works MAX people's letters only, under MAX's budget.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import SecretStr
from sqlalchemy import text

from bot.app import build_app, create_bot, settle_heap
from bot.config import Settings
from bot.max.session import MaxSession
from bot.notify.broadcasts import PAID_WINDOW, BroadcastSender
from services.broadcasts.service import DeliveryEngine
from services.messengers.max_messages import MaxMessageIds

TOKEN = "123456:" + "B" * 35
MAX_TOKEN = "max-token"
RUNNING = text("SELECT count(*) FROM broadcasts WHERE status IN ('running', 'scheduled')")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("api_url")
    parser.add_argument("cap", type=int)
    parser.add_argument("--paid", action="store_true")
    parser.add_argument("--concurrency", type=int, default=None, help="default: the engine's")
    parser.add_argument("--tick", type=float, default=None, help="default: the engine's")
    parser.add_argument("--messenger", choices=("telegram", "max"), default="telegram")
    parser.add_argument("--window", type=float, default=None, help="default: by --paid")
    args = parser.parse_args()
    settings = Settings(
        _env_file=None,
        database_url=args.database_url,
        bot_api_url=args.api_url,
        bot_token=SecretStr(TOKEN),
        broadcast={"rate": args.cap, "paid": args.paid},
    )
    app = build_app(settings)
    if args.messenger == "max":
        ids = MaxMessageIds(app.sessions, app.write_sessions)
        bot = create_bot(settings, session=MaxSession(MAX_TOKEN, ids, api_url=args.api_url))
    else:
        bot = create_bot(settings)
        bot.session.timeout = 10
    extra: dict[str, float] = {"window": args.window or (PAID_WINDOW if args.paid else 1.0)}
    if args.tick:
        extra["tick"] = args.tick
    engine = DeliveryEngine(
        app.write_sessions,
        args.cap,
        concurrency=args.concurrency,
        messenger=args.messenger,
        **extra,  # type: ignore[arg-type]
    )
    settle_heap()  # as bot.runner does before serving
    sender = BroadcastSender(bot, app)
    counts: dict[str, int] = {}
    started = time.monotonic()
    cpu = time.process_time()
    try:
        while True:
            for key, value in (await engine.run_for(sender, 30)).items():
                counts[key] = counts.get(key, 0) + value
            async with app.sessions() as session:
                running = (await session.execute(RUNNING)).scalar_one()
            if not running:
                break
            await asyncio.sleep(0.05)
    finally:
        await bot.session.close()
        await app.close()
    print(
        json.dumps(
            {
                "counts": counts,
                "seconds": round(time.monotonic() - started, 2),
                "cpu_seconds": round(time.process_time() - cpu, 2),
                "concurrency": engine.concurrency,
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main())
