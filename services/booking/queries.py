"""The booking wizard's reads as Core statements over table columns, built once.

Each press of the wizard reads the topic, the organisations or the specialists again. Through
the ORM session such a read cost about twice what it costs as a Core statement on a connection
(entities, identity map, the ORM's compile step) and building the statement per call added its
cache key each time; these are built at import with bound parameters instead.
"""

from __future__ import annotations

from sqlalchemy import Select, bindparam, select

from db.models import Booking, ConsultService, Provider, Slot, Specialist, specialist_services

SERVICES = ConsultService.__table__
PROVIDERS = Provider.__table__
SPECIALISTS = Specialist.__table__
BOOKINGS = Booking.__table__
SLOTS = Slot.__table__
LINKS = specialist_services

ACTIVE_SERVICES = (
    select(SERVICES.c.id, SERVICES.c.name, SERVICES.c.name_en)
    .where(SERVICES.c.active.is_(True))
    .order_by(SERVICES.c.id)
)
ACTIVE_SERVICE = select(SERVICES.c.id, SERVICES.c.name, SERVICES.c.name_en).where(
    SERVICES.c.id == bindparam("service_id"), SERVICES.c.active.is_(True)
)
PROVIDERS_OF_SERVICE = (
    select(PROVIDERS.c.id, PROVIDERS.c.name)
    .join(SPECIALISTS, SPECIALISTS.c.provider_id == PROVIDERS.c.id)
    .join(LINKS, LINKS.c.specialist_id == SPECIALISTS.c.id)
    .where(
        LINKS.c.service_id == bindparam("service_id"),
        SPECIALISTS.c.active.is_(True),
        PROVIDERS.c.active.is_(True),
    )
    .distinct()
    .order_by(PROVIDERS.c.name)
)


def _specialists_of_service() -> Select:
    return (
        select(
            SPECIALISTS.c.id,
            SPECIALISTS.c.name,
            SPECIALISTS.c.position,
            SPECIALISTS.c.provider_id,
            SPECIALISTS.c.formats,
            PROVIDERS.c.name.label("provider"),
        )
        .join(PROVIDERS, PROVIDERS.c.id == SPECIALISTS.c.provider_id)
        .join(LINKS, LINKS.c.specialist_id == SPECIALISTS.c.id)
        .where(
            SPECIALISTS.c.active.is_(True),
            PROVIDERS.c.active.is_(True),
            LINKS.c.service_id == bindparam("service_id"),
        )
        .order_by(SPECIALISTS.c.name)
    )


SPECIALISTS_OF_SERVICE = _specialists_of_service()
SPECIALISTS_OF_SERVICE_AT = _specialists_of_service().where(
    SPECIALISTS.c.provider_id == bindparam("provider_id")
)


def bookings() -> Select:
    """A booking with its slot, topic, specialist and organisation, one row each."""
    return (
        select(
            BOOKINGS.c.id,
            BOOKINGS.c.code,
            BOOKINGS.c.status,
            BOOKINGS.c.user_id,
            BOOKINGS.c.service_id,
            BOOKINGS.c.format,
            BOOKINGS.c.name,
            BOOKINGS.c.phone,
            BOOKINGS.c.child_age,
            BOOKINGS.c.question,
            BOOKINGS.c.locale,
            BOOKINGS.c.rating,
            BOOKINGS.c.cancel_reason,
            SLOTS.c.starts_at,
            SLOTS.c.ends_at,
            SERVICES.c.name.label("service"),
            SERVICES.c.name_en.label("service_en"),
            SPECIALISTS.c.id.label("specialist_id"),
            SPECIALISTS.c.name.label("specialist_name"),
            SPECIALISTS.c.position.label("specialist_position"),
            SPECIALISTS.c.provider_id.label("specialist_provider_id"),
            SPECIALISTS.c.formats.label("specialist_formats"),
            SPECIALISTS.c.telegram_user_id.label("specialist_user_id"),
            PROVIDERS.c.name.label("provider"),
            PROVIDERS.c.address,
        )
        .join(SLOTS, SLOTS.c.id == BOOKINGS.c.slot_id)
        .join(SERVICES, SERVICES.c.id == BOOKINGS.c.service_id)
        .join(SPECIALISTS, SPECIALISTS.c.id == SLOTS.c.specialist_id)
        .join(PROVIDERS, PROVIDERS.c.id == SPECIALISTS.c.provider_id)
    )


UPCOMING_OF_USER = (
    bookings()
    .where(
        BOOKINGS.c.user_id == bindparam("user_id"),
        BOOKINGS.c.status == "active",
        SLOTS.c.ends_at > bindparam("now"),
    )
    .order_by(SLOTS.c.starts_at)
)
