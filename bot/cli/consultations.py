"""The command line's consultation set-up import and export (python -m bot import/export
consultations FILE): migrations first, then the same services the chat uses. Parents whose
bookings new days off cancel are told by the running bot's reminder worker (the notices are
rows in the database), so this command needs no token."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from bot.config import Settings
from bot.telegram.i18n import Translator
from services.consultations.exports import ExportSummary
from services.consultations.imports import ConsultReport


async def import_consultations_file(
    settings: Settings, t: Translator, path: Path, *, dry_run: bool
) -> ConsultReport:
    from bot.app import build_app
    from db import migrate
    from services.consultations.imports import import_consultations
    from services.demo_data import load_localities_if_empty

    def phase(step: str) -> None:
        print(t(f"cimp-cli-phase-{step}"), file=sys.stderr)

    app = build_app(settings)
    try:
        await migrate.upgrade(app.engine)
        await load_localities_if_empty(app.sessions)  # organisations refer to localities
        return await import_consultations(
            app.write_sessions,
            path,
            zone=settings.zone,
            horizon_days=settings.booking.horizon_days,
            dry_run=dry_run,
            progress=phase,
        )
    finally:
        await app.close()


async def export_consultations_file(settings: Settings, path: Path) -> ExportSummary:
    from bot.app import build_app
    from db import migrate
    from services.consultations.exports import export_setup

    app = build_app(settings)
    try:
        await migrate.upgrade(app.engine)
        return await export_setup(app.sessions, path, datetime.now(settings.zone).date())
    finally:
        await app.close()
