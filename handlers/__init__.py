"""Routers in the order they are tried: specific first, the catch-all last."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        admin_import,
        booking,
        broadcast_composer,
        catalog,
        common,
        errors,
        events,
        events_admin,
        fallback,
        groups,
        membership,
        onboarding,
        privacy,
        questions,
        sections,
        settings,
        specialist,
        staff_closed_days,
        staff_consult,
        staff_consult_files,
        staff_menu,
        staff_reports,
        staff_strangers,
        start,
        subscriptions,
    )

    modules = [
        errors,
        groups,
        membership,
        common,
        start,
        # Buttons are matched by their own callback-data prefixes, so where they are tried
        # changes nothing but the time it takes: the busiest first; their modules' typed
        # steps keep their places below.
        onboarding.buttons,
        booking.buttons,
        catalog.buttons,
        catalog.staff_router,  # hide, show and free seats (staff's only, like every staff router)
        sections,
        specialist,  # commands and the rating's comment step, before the wizards' catch-alls
        staff_menu,
        staff_reports,  # /reports and its typed-period step, likewise
        privacy,
        settings,
        events,  # events, subscriptions, events admin and the broadcast composer: their steps
        subscriptions,  # are state-bound; the composer takes documents, so before admin_import
        events_admin,
        broadcast_composer,
        staff_consult,  # consultation set-up (staff): its text steps are state-bound
        staff_closed_days,
        staff_consult_files,  # /consult_import, /consult_export; uploads go via admin_import
        admin_import,  # staff's catalogue files; before any catch-all that takes documents
        staff_strangers,  # staff commands, files and dialogs of people who are not staff
        booking,  # after the menu buttons and /settings, before other text catch-alls
        catalog,
        onboarding,
        questions,  # free text with no dialog under way: a question
        fallback,
    ]
    return [getattr(module, "router", module).build() for module in modules]
