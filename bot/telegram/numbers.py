"""Numbers as a person's language writes them: «4,9» in Russian, «4.9» in English."""

from __future__ import annotations

from bot.telegram.i18n import Translator


def decimal(t: Translator, value: float, digits: int = 1) -> str:
    shown = f"{value:.{digits}f}"
    return shown.replace(".", ",") if t.locale == "ru" else shown


def km(t: Translator, value: float) -> str:
    """A distance: tenths below 10 km, whole kilometres beyond."""
    return decimal(t, value, 1 if value < 10 else 0)
