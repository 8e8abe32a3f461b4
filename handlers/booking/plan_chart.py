"""The yearly plan report as two PNG charts: held against plan (in total, by organisation, by
service) and the year by months (held, no-show, cancelled), as a department's Excel would have.

matplotlib is imported here, inside the functions, so that starting the bot does not pay for
it; the figures are drawn on the Agg canvas directly (no pyplot and its global state). The bot
draws them in a worker process (`chart_png`, `months_png`; services.files.isolated): importing
matplotlib and drawing hold the GIL for long stretches, which in a thread would hold up the
event loop. Labels use DejaVu Sans, which matplotlib ships and which has Cyrillic; a character
it lacks (an emoji in a name) is drawn as a box, not a warning.

What is drawn is computed first, without matplotlib (`plan_panels`, `month_bars`, the titles):
the tests read that.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from dataclasses import dataclass

from bot.telegram.i18n import Translator
from services.booking.plan_report import Counts, Line, PlanReport

MAX_BARS = 20  # per panel; the rest are summed into one bar
LABEL_WIDTH = 34  # characters per line of a label: long names are wrapped, never cut
DONE_COLOUR = "#2e7d32"
PLAN_COLOUR = "#d7dde3"
PACE_COLOUR = "#c62828"
MISSED_COLOUR = "#ef6c00"
CANCELLED_COLOUR = "#9e9e9e"
WIDTH_INCHES = 9.5
ROW_INCHES = 0.42
LINE_INCHES = 0.17  # each further line of a wrapped label
DPI = 110


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # wrapped: lines joined by "\n"
    done: int
    plan: int | None
    pace: int | None = None  # «по графику на сегодня» for this bar's plan, this year only

    @property
    def lines(self) -> int:
        return self.label.count("\n") + 1


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    bars: list[Bar]


def wrap(text: str) -> str:
    """The whole label on as many lines as it needs (words kept whole where they fit)."""
    return "\n".join(textwrap.wrap(text, LABEL_WIDTH, break_on_hyphens=False)) or text


def _bar(report: PlanReport, label: str, counts: Counts) -> Bar:
    pace = report.expected_for(counts.plan) if report.current else None
    return Bar(wrap(label), counts.done, counts.plan, pace)


def _bars(t: Translator, report: PlanReport, lines: list[Line], other_key: str) -> list[Bar]:
    bars = [_bar(report, line.title(t.locale), line.counts) for line in lines]
    if len(bars) > MAX_BARS:
        rest = lines[MAX_BARS - 1 :]
        plans = [line.counts.plan for line in rest if line.counts.plan]
        other = Bar(
            wrap(t(other_key, count=len(rest))),
            sum(line.counts.done for line in rest),
            sum(plans) if plans else None,
        )
        bars = [*bars[: MAX_BARS - 1], other]
    return bars


def plan_panels(t: Translator, report: PlanReport) -> list[Panel]:
    panels = [
        Panel(t("srep-chart-total"), [_bar(report, t("srep-chart-all"), report.total)]),
        Panel(
            t("srep-chart-by-provider"),
            _bars(t, report, report.providers, "srep-chart-other-providers"),
        ),
        Panel(
            t("srep-chart-by-service"),
            _bars(t, report, report.services, "srep-chart-other-services"),
        ),
    ]
    return [panel for panel in panels if panel.bars]


def _day(report: PlanReport) -> str:
    return f"{report.today:%d.%m.%Y}"


def chart_title(t: Translator, report: PlanReport) -> str:
    total = report.total
    if total.plan:
        return t(
            "tools-chart-title",
            year=str(report.year),
            day=_day(report),
            done=total.done,
            plan=total.plan,
            percent=total.percent or 0,
        )
    return t("tools-chart-title-no-plan", year=str(report.year), day=_day(report), done=total.done)


def chart_png(locale: str, report: PlanReport, *, progress: object = None) -> bytes:
    """`render_chart` in the worker process, with a translator of its own."""
    from bot.telegram.i18n import Locales

    return render_chart(Locales().get(locale), report)


def months_png(locale: str, report: PlanReport, *, progress: object = None) -> bytes:
    """`render_months_chart` in the worker process."""
    from bot.telegram.i18n import Locales

    return render_months_chart(Locales().get(locale), report)


def _slots(bars: list[Bar]) -> list[float]:
    """Where each bar sits: a wrapped label takes the room of its lines."""
    positions, y = [], 0.0
    for bar in bars:
        room = 1 + 0.42 * (bar.lines - 1)
        positions.append(y + room / 2)
        y += room
    return positions


def render_chart(t: Translator, report: PlanReport) -> bytes:
    """PNG bytes. CPU-bound (about a second): not in the event loop's process."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = plan_panels(t, report)
    rows = [sum(1 + 0.42 * (bar.lines - 1) for bar in panel.bars) for panel in panels]
    height = 1.6 + sum(ROW_INCHES * n + 0.7 for n in rows)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(chart_title(t, report), fontsize=13, fontweight="bold")
    axes = figure.subplots(len(panels), 1, height_ratios=rows, squeeze=False)[:, 0]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        for ax, panel in zip(axes, panels, strict=True):
            _panel(ax, panel)
        figure.legend(
            handles=_legend(t),
            loc="outside lower center",
            ncols=3,
            frameon=False,
            fontsize=9,
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _panel(ax, panel: Panel) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.ticker import MaxNLocator

    bars = panel.bars
    positions = _slots(bars)
    planned = [bar.plan or 0 for bar in bars]
    done = [bar.done for bar in bars]
    if any(planned):
        ax.barh(positions, planned, color=PLAN_COLOUR, height=0.75)
    ax.barh(positions, done, color=DONE_COLOUR, height=0.45)
    top = max([*planned, *done, *(bar.pace or 0 for bar in bars), 1])
    for y, bar in zip(positions, bars, strict=True):
        text = f"{bar.done} / {bar.plan}" if bar.plan else str(bar.done)
        ax.text(max(bar.done, bar.plan or 0) + top * 0.01, y, text, va="center", fontsize=9)
        if bar.pace is not None:  # the mark of this bar's own plan
            ax.plot(
                [bar.pace, bar.pace],
                [y - 0.45, y + 0.45],
                color=PACE_COLOUR,
                linestyle="--",
                linewidth=1.4,
            )
    ax.set_yticks(positions, [bar.label for bar in bars], fontsize=9)
    ax.set_ylim(sum(1 + 0.42 * (bar.lines - 1) for bar in bars), 0)  # first bar on top
    ax.set_xlim(0, top * 1.18)
    ax.set_title(panel.title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 consultations


def _legend(t: Translator):  # type: ignore[no-untyped-def]
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [
        Patch(color=DONE_COLOUR, label=t("srep-chart-legend-done")),
        Patch(color=PLAN_COLOUR, label=t("srep-chart-legend-plan")),
        Line2D([0], [0], color=PACE_COLOUR, linestyle="--", label=t("srep-chart-legend-pace")),
    ]


# --- the year by months ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MonthBars:
    months: list[str]  # short names, January first
    done: list[int]
    missed: list[int]
    cancelled: list[int]


def month_bars(t: Translator, report: PlanReport) -> MonthBars:
    months = report.months or [Counts() for _ in range(12)]
    return MonthBars(
        months=t("tools-chart-month-names").split(),
        done=[counts.done for counts in months],
        missed=[counts.missed for counts in months],
        cancelled=[counts.cancelled for counts in months],
    )


def months_title(t: Translator, report: PlanReport) -> str:
    return t("tools-chart-months-title", year=str(report.year), day=_day(report))


def render_months_chart(t: Translator, report: PlanReport) -> bytes:
    """Grouped bars, a group per month: held, no-show, cancelled; each bar with its number."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    data = month_bars(t, report)
    series = (
        (data.done, DONE_COLOUR, "srep-chart-legend-done"),
        (data.missed, MISSED_COLOUR, "tools-chart-legend-missed"),
        (data.cancelled, CANCELLED_COLOUR, "tools-chart-legend-cancelled"),
    )
    figure = Figure(figsize=(WIDTH_INCHES, 4.8), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    width = 0.27
    top = max([*data.done, *data.missed, *data.cancelled, 1])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        for index, (values, colour, key) in enumerate(series):
            xs = [month + (index - 1) * width for month in range(12)]
            drawn = ax.bar(xs, values, width, color=colour, label=t(key))
            labels = [str(value) if value else "" for value in values]
            ax.bar_label(drawn, labels=labels, fontsize=8, padding=2)
        ax.set_xticks(range(12), data.months, fontsize=9)
        ax.set_ylim(0, top * 1.15)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(months_title(t, report), fontsize=13, fontweight="bold")
        figure.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=9)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
