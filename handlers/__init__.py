"""Routers in the order they are tried: specific first, the catch-all last."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a worker process drawing a chart imports this package: no aiogram there
    from aiogram import Router

    from handlers.links import Sections


def get_routers() -> list[Router]:
    from handlers.booking import reports as staff_reports
    from handlers.booking import specialist
    from handlers.booking import wizard as booking
    from handlers.broadcasts import composer as broadcast_composer
    from handlers.catalog import browse as catalog
    from handlers.catalog import files as admin_import
    from handlers.catalog import waitlist as catalog_waitlist
    from handlers.consultations import closed_days as staff_closed_days
    from handlers.consultations import files as staff_consult_files
    from handlers.consultations import setup as staff_consult
    from handlers.events import admin as events_admin
    from handlers.events import browse as events
    from handlers.general import cancel as common
    from handlers.general import errors, fallback, groups, membership, sections
    from handlers.insights import commands as insights
    from handlers.people import children, onboarding, privacy, settings, start, subscriptions
    from handlers.pickers import locality as locality_picker
    from handlers.quiz import start as quiz
    from handlers.routes import Routes
    from handlers.search import questions, replies
    from handlers.staff import files as staff_files
    from handlers.staff import menu as staff_menu
    from handlers.staff import strangers as staff_strangers

    modules = [
        errors,
        groups,
        membership,
        common,
        # Deep links to objects, each answered by its feature; /start takes the rest.
        catalog.links,
        events.links,
        start,
        # Buttons are matched by their own callback-data prefixes, so where they are tried
        # changes nothing but the time it takes: the busiest first; their modules' typed
        # steps keep their places below.
        booking.buttons,
        replies,  # buttons under the replies to typed messages (sections, events, booking)
        catalog.buttons,
        catalog.staff_router,  # hide, show and free seats (staff's only, like every staff router)
        catalog_waitlist.buttons,  # a card's «🔔 Сообщить» and «⏰ Напомнить»
        catalog_waitlist.staff_router,  # the day enrolment opens (staff's only)
        sections,  # /menu and help (the other sections' buttons are their features')
        specialist,  # commands and the rating's comment step, before the wizards' catch-alls
        staff_menu,
        staff_reports,  # /reports and its typed-period step, likewise
        insights,  # /insights: what families look for and don't find (staff)
        privacy,
        settings,  # /settings, /subscribe
        events,  # events, events admin and the broadcast composer: their steps are
        # state-bound; the composer takes documents, so before staff_files
        events_admin,
        quiz,  # the interest quiz: its dialog takes only its own presses, no typed text
        broadcast_composer,
        staff_consult,  # consultation set-up (staff): its text steps are state-bound
        staff_closed_days,
        staff_consult_files,  # /consult_import, /consult_export
        admin_import,  # /import, /export
        staff_files,  # staff's uploads (catalogue or set-up); before any catch-all of documents
        staff_strangers,  # staff commands, files and dialogs of people who are not staff
        booking,  # after the menu buttons and /settings, before other text catch-alls
        catalog,
        # Dialogs whose steps take typed text: after every command and menu button.
        onboarding,
        settings.dialogs,
        subscriptions,
        children,
        locality_picker,
        questions,  # free text with no dialog under way: a question
        fallback,
    ]
    tables = [getattr(module, "router", module) for module in modules]
    staff = [table for table in tables if isinstance(table, Routes) and table.staff]
    routers = []
    for table in tables:
        if table is staff_strangers:  # it answers for every staff router: made from them
            table = staff_strangers.routes(staff)
        routers.append(table.build())
    return routers


def sections() -> Sections:
    """The main menu's sections, for /start <section> and for features that offer another's."""
    from handlers.booking import wizard as booking
    from handlers.catalog import browse as catalog
    from handlers.events import browse as events
    from handlers.general import sections
    from handlers.links import Sections
    from handlers.quiz import start as quiz

    return Sections(
        catalog=catalog.SECTION,
        consult=booking.SECTION,
        events=events.SECTION,
        help=sections.HELP,
        quiz=quiz.SECTION,
    )
