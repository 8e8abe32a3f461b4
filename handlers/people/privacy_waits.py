"""/mydata's blocks of waitlists and enrolment reminders (services/waitlists)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.telegram.dates import day_text, when_text
from bot.telegram.i18n import Html, Translator
from services.waitlists.enrolment import StoredEnrolReminder
from services.waitlists.entries import StoredWait

TELLING = ("pending", "claimed", "sending")


def _when(t: Translator, moment: datetime | None, zone: ZoneInfo) -> Html:
    return Html(when_text(t, moment, zone)) if moment else Html(t("privacy-none"))


def _wait_state(t: Translator, wait: StoredWait, zone: ZoneInfo) -> Html:
    if wait.state == "waiting":
        return Html(t("privacy-wait-state-waiting"))
    if wait.state in TELLING:
        return Html(t("privacy-wait-state-telling"))
    if wait.state in ("sent", "uncertain"):
        return Html(t("privacy-wait-state-told", at=_when(t, wait.sent_at, zone)))
    return Html(t("privacy-wait-state-failed"))


def waits_blocks(t: Translator, waits: list[StoredWait], zone: ZoneInfo) -> list[str]:
    if not waits:
        return [t("privacy-waits-none")]
    lines = [
        t(
            f"privacy-wait-{wait.kind}",
            title=wait.title_en if t.locale == "en" else wait.title,
            joined=_when(t, wait.joined_at, zone),
            state=_wait_state(t, wait, zone),
        )
        for wait in waits
    ]
    return [t("privacy-waits-title", count=len(waits)), "\n".join(lines)]


def enrol_blocks(t: Translator, reminders: list[StoredEnrolReminder], zone: ZoneInfo) -> list[str]:
    if not reminders:
        return [t("privacy-enrol-none")]
    lines = []
    for reminder in reminders:
        day = day_text(t, reminder.starts_on) if reminder.starts_on else t("privacy-enrol-no-day")
        state = reminder.state if reminder.state in ("pending", "sent") else "other"
        lines.append(
            t(
                "privacy-enrol-line",
                title=reminder.programme,
                day=Html(day),
                state=Html(t(f"privacy-enrol-state-{state}")),
            )
        )
    return [t("privacy-enrol-title", count=len(reminders)), "\n".join(lines)]
