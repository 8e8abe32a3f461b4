"""How a closing's target and days read («специалиста «…»», «с пн, 23 ноября по …»)."""

from __future__ import annotations

from datetime import date

from bot.telegram.dates import day_text
from bot.telegram.i18n import Html, Translator
from services.consultations.admin import ConsultAdmin


async def target_text(t: Translator, admin: ConsultAdmin, kind: str, target_id: int) -> str | None:
    if kind == "s":
        found = await admin.specialist(target_id)
        return t("scadm-target-specialist", name=found.name) if found else None
    if kind == "p":
        provider = await admin.provider(target_id)
        return t("scadm-target-provider", name=provider.name) if provider else None
    return None


def days_text(t: Translator, first: date, last: date) -> str:
    if first == last:
        return day_text(t, first)
    return t("scadm-days-range", first=Html(day_text(t, first)), last=Html(day_text(t, last)))
