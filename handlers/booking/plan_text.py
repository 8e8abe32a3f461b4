"""The yearly plan report (services/booking/plan_report.py counts it) as chat messages; the
command line prints the same text made plain."""

from __future__ import annotations

from bot.telegram.i18n import Html, Translator
from services.booking.plan_report import Counts, Line, PlanReport

MESSAGE_BUDGET = 3500  # characters of HTML per message; Telegram allows 4096 after parsing


def _others(t: Translator, counts: Counts) -> str:
    parts = []
    for key in ("upcoming", "unmarked", "missed", "cancelled"):
        value = getattr(counts, key)
        if value:
            parts.append(t(f"srep-plan-{key}", count=value))
    return ", ".join(parts)


def _line(t: Translator, line: Line) -> str:
    counts = line.counts
    if counts.plan:
        held = t(
            "srep-plan-line-planned", done=counts.done, plan=counts.plan, percent=counts.percent
        )
    else:
        held = t("srep-plan-line-done", done=counts.done)
    others = _others(t, counts)
    return t(
        "srep-plan-line",
        name=line.title(t.locale),
        held=Html(held),
        others=Html(f"; {others}" if others else ""),
    )


def plan_messages(t: Translator, report: PlanReport, *, budget: int = MESSAGE_BUDGET) -> list[str]:
    """The report as HTML messages, each within `budget` characters."""
    total = report.total
    head = [t("srep-plan-title", year=str(report.year), day=f"{report.today:%d.%m.%Y}")]
    if total.plan:
        head.append(
            t("srep-plan-total", done=total.done, plan=total.plan, percent=total.percent or 0)
        )
    else:
        head.append(t("srep-plan-total-no-plan", done=total.done))
    expected = report.expected
    if report.current and expected is not None and total.plan:
        if total.done == expected:
            key = "srep-plan-pace-on"
        else:
            key = "srep-plan-pace-ahead" if total.done > expected else "srep-plan-pace-behind"
        head.append(t(key, expected=expected, gap=abs(total.done - expected)))
    others = _others(t, total)
    if others:
        head.append(t("srep-plan-others", others=Html(others)))
    pieces: list[tuple[str, str]] = [("", "\n".join(head))]  # (separator before, text)
    for title_key, lines in (
        ("srep-plan-by-provider", report.providers),
        ("srep-plan-by-service", report.services),
    ):
        pieces.append(("\n\n", t(title_key)))
        pieces.extend(("\n", _line(t, line)) for line in lines)
        if not lines:
            pieces.append(("\n", t("srep-plan-none")))
    messages: list[str] = []
    current = ""
    for separator, text in pieces:
        if current and len(current) + len(separator) + len(text) > budget:
            messages.append(current)
            current = ""
        current = f"{current}{separator}{text}" if current else text
    if current:
        messages.append(current)
    return messages
