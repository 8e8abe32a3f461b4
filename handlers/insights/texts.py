"""The demand report (services/insights/report.py) in a language: its sections as tables of
words and numbers (for the XLSX and the command line) and as chat messages, the headline
first. A section is rendered by its column codes, so a section added later needs only its
`insights-sec-<name>` title, `insights-col-<code>` headers and, for a line of its own in chat,
`insights-line-<name>` (otherwise its cells are joined)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.telegram.html import parse_html
from bot.telegram.i18n import Translator
from services.insights.report import DemandReport, Section

MESSAGE_BUDGET = 3500  # characters of HTML per message; Telegram allows 4096 after parsing
CHAT_ROWS = 15  # rows of a section in chat (the XLSX has them all)
CHART_BARS = 20


@dataclass(frozen=True, slots=True)
class Table:
    """A section in words: plain text (not HTML), for a sheet or a terminal."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[str | int]]
    total: int


def cell(t: Translator, code: str, value: Any, places: dict[int, str]) -> str | int:
    """One value of a section as shown: a place's name, a direction's, an age band's…"""
    if code == "locality":
        return t("insights-any-place") if value is None else places.get(value, f"#{value}")
    if code == "direction":
        return t("insights-any-direction") if value is None else t(f"direction-{value}")
    if code == "band":
        return t("insights-any-age") if value is None else t("insights-band", band=value)
    if code == "kind":
        return t(f"insights-kind-{value}") if t.has(f"insights-kind-{value}") else str(value)
    if code == "answer":
        return _answer(t, value)
    if code == "topic":
        return t("insights-no-topic") if not value else str(value)
    if isinstance(value, bool):
        return int(value)
    return value if isinstance(value, int) else str(value)


def _answer(t: Translator, value: str | None) -> str:
    if not value:
        return "—"
    if value.startswith("faq:"):
        title = f"faq-{value[4:]}-title"
        return t("insights-answer-faq", title=t(title) if t.has(title) else value[4:])
    key = f"insights-answer-{value}"
    return t(key) if t.has(key) else value


def tables(t: Translator, report: DemandReport, places: dict[int, str]) -> list[Table]:
    """Every section in words; HTML unescaped (the translator escapes only its arguments, so
    the plain texts come from keys without markup)."""
    found = []
    for section in report.sections:
        rows = [
            [
                _plain(cell(t, code, value, places))
                for code, value in zip(section.columns, row, strict=True)
            ]
            for row in section.rows
        ]
        found.append(
            Table(
                name=section.name,
                title=_plain(t(f"insights-sec-{section.name}")),
                headers=[_plain(t(f"insights-col-{code}")) for code in section.columns],
                rows=rows,
                total=section.total,
            )
        )
    return found


def _plain(value: str | int) -> str | int:
    return value if isinstance(value, int) else parse_html(value)[0]


def plain_text(html: str) -> str:
    """A message of the locales as plain text (a sheet, a chart, a terminal)."""
    return parse_html(html)[0]


def period_label(report: DemandReport, zone: ZoneInfo) -> str:
    """«01.11.2026–30.11.2026»: the first and last local day of the period."""
    first = report.window.start.astimezone(zone)
    last = (report.window.end - timedelta(microseconds=1)).astimezone(zone)
    return f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"


def messages(
    t: Translator,
    report: DemandReport,
    places: dict[int, str],
    period: str,
    *,
    budget: int = MESSAGE_BUDGET,
) -> list[str]:
    """The report as HTML messages within `budget` characters each, the headline first."""
    pieces: list[tuple[str, str]] = [("", t("insights-title", period=period))]
    if not report.searches:
        pieces.append(("\n\n", t("insights-empty")))
    for section in report.sections:
        pieces.append(("\n\n", t(f"insights-sec-{section.name}")))
        if not section.rows:
            pieces.append(("\n", t(f"insights-none-{section.name}")))
            continue
        for n, row in enumerate(section.rows[:CHAT_ROWS], start=1):
            pieces.append(("\n", _line(t, section, n, row, places)))
        if section.total > CHAT_ROWS:
            pieces.append(("\n", t("insights-more", shown=CHAT_ROWS, total=section.total)))
    return _split(pieces, budget)


def _line(
    t: Translator, section: Section, n: int, row: tuple[Any, ...], places: dict[int, str]
) -> str:
    values = {
        code: cell(t, code, value, places) for code, value in zip(section.columns, row, strict=True)
    }
    key = f"insights-line-{section.name}"
    if t.has(key):
        return t(key, n=n, **values)
    return t("insights-line", n=n, cells=" · ".join(str(value) for value in values.values()))


def _split(pieces: list[tuple[str, str]], budget: int) -> list[str]:
    found: list[str] = []
    current = ""
    for separator, text in pieces:
        if current and len(current) + len(separator) + len(text) > budget:
            found.append(current)
            current = ""
        current = f"{current}{separator}{text}" if current else text
    if current:
        found.append(current)
    return found


def chart_bars(
    t: Translator, report: DemandReport, places: dict[int, str]
) -> list[tuple[str, int, int]]:
    """(label, searches, programmes) of the most searched locality × direction × age band."""
    matrix = report.section("matrix")
    if matrix is None:
        return []
    bars = []
    for place, direction, band, searches, *_rest, programmes in matrix.rows[:CHART_BARS]:
        label = " · ".join(
            str(cell(t, code, value, places))
            for code, value in (("locality", place), ("direction", direction), ("band", band))
        )
        bars.append((str(_plain(label)), searches, programmes))
    return bars
