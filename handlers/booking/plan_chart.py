"""The yearly plan report as a PNG bar chart: held against plan, in total, by organisation and
by service.

matplotlib is imported here, inside the function, so that starting the bot does not pay for
it; the figure is drawn on the Agg canvas directly (no pyplot and its global state). The bot
draws it in a worker process (`chart_png`, services.files.isolated): importing matplotlib and
drawing hold the GIL for long stretches, which in a thread would hold up the event loop.
Labels use DejaVu Sans, which matplotlib ships and which has Cyrillic; a character it lacks
(an emoji in a name) is drawn as a box, not a warning.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from bot.telegram.i18n import Translator
from services.booking.plan_report import Counts, Line, PlanReport

MAX_BARS = 20  # per panel; the rest are summed into one bar
LABEL_CHARS = 38
DONE_COLOUR = "#2e7d32"
PLAN_COLOUR = "#d7dde3"
PACE_COLOUR = "#c62828"
WIDTH_INCHES = 9.0
ROW_INCHES = 0.42
DPI = 110


@dataclass(frozen=True, slots=True)
class _Bar:
    label: str
    done: int
    plan: int | None


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _bars(t: Translator, lines: list[Line], other_key: str) -> list[_Bar]:
    bars = [
        _Bar(_short(line.title(t.locale)), line.counts.done, line.counts.plan) for line in lines
    ]
    if len(bars) > MAX_BARS:
        rest = lines[MAX_BARS - 1 :]
        plans = [line.counts.plan for line in rest if line.counts.plan]
        other = _Bar(
            t(other_key, count=len(rest)),
            sum(line.counts.done for line in rest),
            sum(plans) if plans else None,
        )
        bars = [*bars[: MAX_BARS - 1], other]
    return bars


def chart_png(locale: str, report: PlanReport, *, progress: object = None) -> bytes:
    """`render_chart` in the worker process, with a translator of its own."""
    from bot.telegram.i18n import Locales

    return render_chart(Locales().get(locale), report)


def render_chart(t: Translator, report: PlanReport) -> bytes:
    """PNG bytes. CPU-bound (about a second): not in the event loop's process."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    total = report.total
    panels = [
        (t("srep-chart-total"), [_Bar(t("srep-chart-all"), total.done, total.plan)]),
        (
            t("srep-chart-by-provider"),
            _bars(t, report.providers, "srep-chart-other-providers"),
        ),
        (t("srep-chart-by-service"), _bars(t, report.services, "srep-chart-other-services")),
    ]
    panels = [(title, bars) for title, bars in panels if bars]
    rows = [max(len(bars), 1) for _, bars in panels]
    height = 1.4 + sum(ROW_INCHES * n + 0.7 for n in rows)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_title(t, report), fontsize=13, fontweight="bold")
    axes = figure.subplots(len(panels), 1, height_ratios=rows, squeeze=False)[:, 0]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        for index, (ax, (title, bars)) in enumerate(zip(axes, panels, strict=True)):
            _panel(
                t, ax, title, bars, pace=report.expected if index == 0 and report.current else None
            )
        figure.legend(
            handles=_legend(t, axes[0]),
            loc="outside lower center",
            ncols=3,
            frameon=False,
            fontsize=9,
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _title(t: Translator, report: PlanReport) -> str:
    total: Counts = report.total
    if total.plan:
        return t(
            "srep-chart-title",
            year=str(report.year),
            done=total.done,
            plan=total.plan,
            percent=total.percent or 0,
        )
    return t("srep-chart-title-no-plan", year=str(report.year), done=total.done)


def _panel(t: Translator, ax, title: str, bars: list[_Bar], pace: int | None) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(bars)))
    labels = [bar.label for bar in bars]
    planned = [bar.plan or 0 for bar in bars]
    done = [bar.done for bar in bars]
    if any(planned):
        ax.barh(positions, planned, color=PLAN_COLOUR, height=0.75, label="plan")
    ax.barh(positions, done, color=DONE_COLOUR, height=0.45, label="done")
    top = max([*planned, *done, 1])
    for y, bar in zip(positions, bars, strict=True):
        text = f"{bar.done} / {bar.plan}" if bar.plan else str(bar.done)
        ax.text(max(bar.done, bar.plan or 0) + top * 0.01, y, text, va="center", fontsize=9)
    if pace is not None and bars[0].plan:
        ax.axvline(pace, color=PACE_COLOUR, linestyle="--", linewidth=1.2, label="pace")
    ax.set_yticks(positions, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.18)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 consultations


def _legend(t: Translator, ax):  # type: ignore[no-untyped-def]
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [
        Patch(color=DONE_COLOUR, label=t("srep-chart-legend-done")),
        Patch(color=PLAN_COLOUR, label=t("srep-chart-legend-plan")),
        Line2D([0], [0], color=PACE_COLOUR, linestyle="--", label=t("srep-chart-legend-pace")),
    ]
