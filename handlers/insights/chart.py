"""The demand report's picture: the most searched locality × direction × age band as bars of
searches, red where there is no programme there, each with «searches / programmes».

matplotlib draws on the Agg canvas directly, as the plan chart does
(handlers/booking/plan_chart.py), in a worker process when the bot draws it (`chart_png`):
drawing holds the GIL for long stretches, which in a thread would hold up the event loop."""

from __future__ import annotations

import io
import textwrap
import warnings

Bar = tuple[str, int, int]  # label, searches, programmes there
SUPPLIED = "#1565c0"
UNSUPPLIED = "#c62828"
WIDTH_INCHES = 9.5
ROW_INCHES = 0.38
DPI = 110
LABEL_WIDTH = 40


def chart_png(
    title: str, bars: list[Bar], legend: tuple[str, str], *, progress: object = None
) -> bytes:
    """PNG bytes: one bar per (label, searches, programmes), the first on top."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    shown = bars or [("—", 0, 0)]
    height = 1.8 + ROW_INCHES * len(shown)
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    labels = ["\n".join(textwrap.wrap(label, LABEL_WIDTH)) or label for label, _s, _p in shown]
    searches = [count for _label, count, _p in shown]
    colours = [UNSUPPLIED if programmes == 0 else SUPPLIED for _l, _s, programmes in shown]
    positions = list(range(len(shown)))
    top = max([*searches, 1])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        ax.barh(positions, searches, color=colours, height=0.6)
        for y, (_label, count, programmes) in zip(positions, shown, strict=True):
            ax.text(count + top * 0.01, y, f"{count} / {programmes}", va="center", fontsize=9)
        ax.set_yticks(positions, labels, fontsize=8)
        ax.set_ylim(len(shown) - 0.5, -0.5)  # the most searched on top
        ax.set_xlim(0, top * 1.18)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
        figure.legend(
            handles=[
                Patch(color=SUPPLIED, label=legend[0]),
                Patch(color=UNSUPPLIED, label=legend[1]),
            ],
            loc="outside lower center",
            ncols=2,
            frameon=False,
            fontsize=9,
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
