"""What the quiz result recommends: programmes of the top directions for the child's age and the
family's locality, free ones first (another place of the region when the locality has none of
a direction), and upcoming events whose words suit the top directions and whose audience does
not rule the family out."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.catalog import text_index
from services.catalog.browse import CatalogService, Filters, ProgrammeLine
from services.events.service import EventCard, EventService, Viewer
from services.quiz.bank import QuizBank

PER_DIRECTION = (3, 2, 2)  # programmes of the first, second and third direction
LOOKED_AT = 30  # programmes of a direction read to pick them from
EVENTS = 3
EVENTS_READ = 200  # upcoming events looked through


@dataclass(frozen=True, slots=True)
class Suggested:
    direction: str
    programme: ProgrammeLine
    elsewhere: bool  # not in the family's locality: none of this direction there


@dataclass(frozen=True, slots=True)
class Recommendations:
    programmes: list[Suggested] = field(default_factory=list)
    events: list[EventCard] = field(default_factory=list)


async def _programmes(
    catalog: CatalogService, direction: str, age: int | None, locality_id: int | None, count: int
) -> list[ProgrammeLine]:
    """Up to `count` programmes of different names (the same course in many schools is one
    suggestion), free ones first."""
    found: list[ProgrammeLine] = []
    names: set[str] = set()
    for free_only in (True, False):
        page = await catalog.browse(
            direction,
            Filters(age=age, locality_id=locality_id, free_only=free_only),
            0,
            per_page=LOOKED_AT,
        )
        for line in page.items:
            if line.name not in names and len(found) < count:
                found.append(line)
                names.add(line.name)
    return found


def _fits(card: EventCard, viewer: Viewer) -> bool:
    if viewer.role is not None and card.roles and viewer.role not in card.roles:
        return False
    if viewer.locality_id is not None and card.localities:
        if viewer.locality_id not in card.localities:
            return False
    if viewer.grade is not None:
        if card.grade_from is not None and viewer.grade < card.grade_from:
            return False
        if card.grade_to is not None and viewer.grade > card.grade_to:
            return False
    return True


async def recommend(
    bank: QuizBank,
    top: tuple[str, ...],
    catalog: CatalogService,
    events: EventService,
    viewer: Viewer,
    age: int | None,
) -> Recommendations:
    suggested = []
    for direction, count in zip(top, PER_DIRECTION, strict=False):
        lines = await _programmes(catalog, direction, age, viewer.locality_id, count)
        elsewhere = False
        if not lines and viewer.locality_id is not None:
            lines, elsewhere = await _programmes(catalog, direction, age, None, count), True
        suggested += [Suggested(direction, line, elsewhere) for line in lines]
    wanted = [bank.event_words.get(direction, frozenset()) for direction in top]
    matching: list[tuple[int, EventCard]] = []
    for card in await events.ahead(EVENTS_READ):
        if not _fits(card, viewer):
            continue
        stems = set(text_index.stems(f"{card.title} {card.description}"))
        rank = next((n for n, words in enumerate(wanted) if words & stems), None)
        if rank is not None:
            matching.append((rank, card))
    matching.sort(key=lambda found: found[0])  # stable: soonest first within a direction
    return Recommendations(suggested, [card for _rank, card in matching[:EVENTS]])
