"""The three kinds of the set-up's lists: services, specialists and organisations, each a
`Listing` (handlers/consultations/admin/listing.py) of what it shows and offers."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram_dialog.widgets.kbd import Button

from bot.telegram.dialogs import Tr
from bot.telegram.i18n import Translator
from handlers.consultations.admin.listing import Listing
from handlers.consultations.admin.targets import from_organisation_card, from_specialist_card
from handlers.consultations.states import ConsultSetup
from services.consultations.admin import ConsultAdmin, ProviderItem, ServiceItem, SpecialistItem


def _service_card(item: ServiceItem, t: Translator) -> dict[str, Any]:
    return {
        "name": item.name,
        "name_en": item.name_en or t("scadm-none"),
        "ref": item.external_id,
        "staff": item.specialists,
    }


def _specialist_card(item: SpecialistItem, t: Translator) -> dict[str, Any]:
    return {
        "name": item.name,
        "position": item.position or t("scadm-none"),
        "provider": item.provider,
        "ref": item.external_id,
    }


def _provider_card(item: ProviderItem, t: Translator) -> dict[str, Any]:
    return {"name": item.name, "ref": item.external_id, "staff": item.specialists}


SERVICES = Listing(
    name="service",
    list_state=ConsultSetup.services,
    card_state=ConsultSetup.service,
    rows=ConsultAdmin.services,
    one=ConsultAdmin.service,
    set_active=ConsultAdmin.set_service_active,
    row=lambda item, t: {"name": item.title(t.locale), "staff": item.specialists},
    card=_service_card,
)

SPECIALISTS = Listing(
    name="specialist",
    list_state=ConsultSetup.specialists,
    card_state=ConsultSetup.specialist,
    rows=ConsultAdmin.specialists,
    one=ConsultAdmin.specialist,
    set_active=ConsultAdmin.set_specialist_active,
    row=lambda item, t: {"name": item.name, "provider": item.provider},
    card=_specialist_card,
    card_buttons=(
        Button(Tr("scadm-btn-close-days"), id="specialist_close", on_click=from_specialist_card),
    ),
)

ORGANISATIONS = Listing(
    name="provider",
    list_state=ConsultSetup.organisations,
    card_state=ConsultSetup.organisation,
    rows=ConsultAdmin.providers,
    one=ConsultAdmin.provider,
    set_active=ConsultAdmin.set_provider_active,
    row=lambda item, t: {"name": item.name, "staff": item.specialists},
    card=_provider_card,
    card_buttons=(  # closing days needs someone whose days to close
        Button(
            Tr("scadm-btn-close-days"),
            id="provider_close",
            on_click=from_organisation_card,
            when=F["staff"] > 0,
        ),
    ),
)

LISTINGS = (SERVICES, SPECIALISTS, ORGANISATIONS)
