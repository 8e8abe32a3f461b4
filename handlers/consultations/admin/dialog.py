"""/consult_admin as a dialog: the menu, a list and a card for each kind (one piece for all
three, handlers/consultations/admin/listing.py), whose days to close, and the closed days."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Start, SwitchTo

from bot.telegram.dialogs import Tr
from handlers.consultations.admin import listing, targets
from handlers.consultations.admin.kinds import LISTINGS
from handlers.consultations.states import ClosedDays, ConsultSetup


def menu() -> Window:
    return Window(
        Tr("scadm-menu"),
        SwitchTo(Tr("scadm-btn-services"), id="services", state=ConsultSetup.services),
        SwitchTo(Tr("scadm-btn-specialists"), id="specialists", state=ConsultSetup.specialists),
        SwitchTo(Tr("scadm-btn-providers"), id="providers", state=ConsultSetup.organisations),
        SwitchTo(Tr("scadm-btn-close"), id="close", state=ConsultSetup.close_organisations),
        Start(Tr("scadm-btn-closed-list"), id="closed", state=ClosedDays.upcoming),
        state=ConsultSetup.menu,
    )


def setup_dialog() -> Dialog:
    kinds = [window for kind in LISTINGS for window in listing.windows(kind)]
    return Dialog(menu(), *kinds, *targets.windows())
