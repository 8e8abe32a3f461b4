"""The clock's first ticks run even when start-up kept the scheduler from starting for a while."""

from __future__ import annotations

import asyncio

from bot.clock import Ticker


async def test_a_tick_due_before_a_slow_start_still_runs():
    ran = asyncio.Event()

    async def job() -> None:
        ran.set()

    ticker = Ticker()
    ticker.every("late", 3600, job)  # due now
    await asyncio.sleep(1.5)  # start-up busy: APScheduler's default would skip the run
    ticker.start()
    try:
        await asyncio.wait_for(ran.wait(), 5)
    finally:
        ticker.shutdown()
