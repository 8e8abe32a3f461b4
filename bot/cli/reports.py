"""Command line for staff reports: `python -m bot export bookings --from D --to D FILE` and
`python -m bot report plan [--year N] [--chart FILE]` (wired in bot/cli/main.py)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bot.config import Settings
from bot.telegram.i18n import Translator

EXIT_PROBLEMS = 1
T = TypeVar("T")


def add_export_period(exporter: argparse.ArgumentParser, cli: Translator) -> None:
    from bot.cli.parsers import add_export_period as add

    add(exporter, cli)


def add_report_parser(commands: Any, cli: Translator) -> None:
    from bot.cli.parsers import add_report_parser as add

    add(commands, cli)


def _plain(html: str) -> str:
    from bot.telegram.html import parse_html

    return parse_html(html)[0]


async def _with_app(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    from bot.app import build_app
    from db import migrate

    app = build_app(settings)
    try:
        await migrate.upgrade(app.engine)
        return await work(app)
    finally:
        await app.close()


def export_bookings(settings: Settings, t: Translator, args: argparse.Namespace) -> int:
    from services.booking.exports import MAX_DAYS, Period, export_bookings, kind_of

    path: Path = args.file
    if args.first is None or args.last is None:
        print(_plain(t("srep-cli-period-needed")), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.last < args.first:
        print(_plain(t("srep-period-bad-order")), file=sys.stderr)
        return EXIT_PROBLEMS
    period = Period(args.first, args.last)
    if period.days > MAX_DAYS:
        print(_plain(t("srep-period-bad-long", days=str(MAX_DAYS))), file=sys.stderr)
        return EXIT_PROBLEMS
    kind = kind_of(path)
    if kind is None:
        print(_plain(t("srep-cli-file-type", file=str(path))), file=sys.stderr)
        return EXIT_PROBLEMS

    async def work(app: Any) -> Any:
        return await export_bookings(app.sessions, settings.zone, period, {kind: path})

    try:
        result = asyncio.run(_with_app(settings, work))
    except OSError as exc:
        error = exc.strerror or str(exc)
        print(_plain(t("srep-cli-failed", file=str(path), error=error)), file=sys.stderr)
        return EXIT_PROBLEMS
    done = t("srep-cli-export-done", period=period.label(), file=str(path), rows=result.rows)
    print(_plain(done))
    return 0


def plan_report(settings: Settings, t: Translator, args: argparse.Namespace) -> int:
    from handlers.booking.plan_text import plan_messages
    from services.booking.plan_report import plan_report

    now = datetime.now(UTC)
    year = args.year or now.astimezone(settings.zone).year
    booking = settings.booking

    async def work(app: Any) -> Any:
        return await plan_report(
            app.sessions, settings.zone, year, booking.yearly_plan, booking.provider_plans, now=now
        )

    report = asyncio.run(_with_app(settings, work))
    print("\n\n".join(_plain(part) for part in plan_messages(t, report)))
    if args.chart is not None:
        from handlers.booking.plan_chart import render_chart, render_months_chart

        chart: Path = args.chart
        months = chart.with_name(f"{chart.stem}-months{chart.suffix or '.png'}")
        for path, draw, saved in (
            (chart, render_chart, "srep-cli-chart-saved"),
            (months, render_months_chart, "tools-cli-months-saved"),
        ):
            try:
                path.write_bytes(draw(t, report))
            except OSError as exc:
                error = exc.strerror or str(exc)
                print(_plain(t("srep-cli-failed", file=str(path), error=error)), file=sys.stderr)
                return EXIT_PROBLEMS
            print(_plain(t(saved, file=str(path))))
    return 0


def demand_report(settings: Settings, t: Translator, args: argparse.Namespace) -> int:
    """`report demand --from D --to D FILE.xlsx`: the text printed, every section in the
    workbook, the chart beside it (FILE.png)."""
    from handlers.insights import texts
    from handlers.insights.chart import chart_png
    from handlers.insights.commands import chart_words
    from services.booking.exports import MAX_DAYS
    from services.insights.report import demand_report as make_report
    from services.insights.report import window_of
    from services.insights.workbook import write_workbook

    path: Path = args.file
    if path.suffix.lower() != ".xlsx":
        print(_plain(t("insights-cli-file-type", file=str(path))), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.first is None or args.last is None:
        print(_plain(t("insights-cli-file-needed")), file=sys.stderr)
        return EXIT_PROBLEMS
    if args.last < args.first:
        print(_plain(t("srep-period-bad-order")), file=sys.stderr)
        return EXIT_PROBLEMS
    if (args.last - args.first).days + 1 > MAX_DAYS:
        print(_plain(t("srep-period-bad-long", days=str(MAX_DAYS))), file=sys.stderr)
        return EXIT_PROBLEMS
    window = window_of(args.first, args.last, settings.zone)

    async def work(app: Any) -> Any:
        report = await make_report(app.engine, window)
        places = {place.id: place.title(t.locale) for place in await app.localities.all()}
        return report, places

    report, places = asyncio.run(_with_app(settings, work))
    period = texts.period_label(report, settings.zone)
    print("\n\n".join(_plain(part) for part in texts.messages(t, report, places, period)))
    sheets = [(table.title, table.headers, table.rows) for table in texts.tables(t, report, places)]
    chart = path.with_suffix(".png")
    title, legend = chart_words(t, period)
    try:
        write_workbook(path, sheets)
        chart.write_bytes(chart_png(title, texts.chart_bars(t, report, places), legend))
    except OSError as exc:
        error = exc.strerror or str(exc)
        print(_plain(t("srep-cli-failed", file=str(path), error=error)), file=sys.stderr)
        return EXIT_PROBLEMS
    print(_plain(t("insights-cli-saved", period=period, file=str(path), chart=str(chart))))
    return 0
