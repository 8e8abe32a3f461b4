"""The SQL of retrieval on SQLite FTS5 and PostgreSQL tsvector: filters, match text, statements."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

COLUMNS = (
    "p.id, p.name, p.search_stems, o.locality_id, o.latitude, o.longitude, p.format,"
    " p.age_from, p.age_to"
)
TS_VECTOR = "to_tsvector('simple', p.search_stems)"
# PostgreSQL plans a prepared statement once for any tsquery; ordered by the bare primary key
# it walks the whole table for a rare word (seconds at 100,000 rows). `p.id + 0` orders the
# same but makes it read the matches through the GIN index and sort them.
PG_ID_ORDER = "p.id + 0"


@dataclass(frozen=True, slots=True)
class Filters:
    """What the question (or the profile) restricts programmes to."""

    age: int | None
    free_only: bool
    accessible: bool
    directions: tuple[str, ...]
    locality_ids: tuple[int, ...]
    org_types: tuple[str, ...] = ()
    online_only: bool = False  # online programmes of any place (shown beside a place's own)

    def where(
        self, params: dict[str, object], *, places: bool = True, no_index: bool = False
    ) -> str:
        """SQL conditions; `places=False` when the organisations are already chosen;
        `no_index` keeps SQLite from the browse index (unary +) when organisations lead."""
        plus = "+" if no_index else ""
        where = [f"{plus}p.hidden = false", "o.hidden = false"]
        if self.age is not None:
            where.append(f"{plus}p.age_from <= :age AND {plus}p.age_to >= :age")
            params["age"] = self.age
        if self.free_only:
            where.append("p.cost = 'free'")
        if self.accessible:
            where.append("o.accessible = true")
        if self.directions:
            names = bind_list(params, "direction", self.directions)
            where.append(f"{plus}p.direction IN ({names})")
        if self.org_types:
            names = bind_list(params, "orgtype", self.org_types)
            where.append(f"o.type IN ({names})")
        if self.online_only:
            where.append("p.format = 'online'")
        if self.locality_ids and places:
            names = bind_list(params, "locality", self.locality_ids)
            where.append(f"o.locality_id IN ({names})")
        return " AND ".join(where)


@dataclass(slots=True)
class Row:
    """A candidate programme as the statements return it; ranking fills in the scores."""

    id: int
    name: str
    search_stems: str
    locality_id: int
    latitude: float
    longitude: float
    format: str = ""
    age_from: int = 0
    age_to: int = 0
    coverage: int = 0
    direct: int = 0
    in_name: int = 0
    size: int = 0
    distance: float = 0.0


def bind_list(params: dict[str, object], prefix: str, values: Sequence[object]) -> str:
    names = []
    for index, value in enumerate(values):
        params[f"{prefix}{index}"] = value
        names.append(f":{prefix}{index}")
    return ", ".join(names)


SAFE_STEM = re.compile(r"[0-9a-zа-я]+")


def member_expression(member: tuple[str, ...], dialect: str) -> str:
    """A member as FTS5 MATCH or tsquery text: a quoted stem, or an AND of a phrase's stems.

    Stems are [0-9a-zа-я]+ by construction (text_index.words); anything else is refused
    rather than quoted, so no query syntax can come from a question."""
    for item in member:
        if not SAFE_STEM.fullmatch(item):
            raise ValueError(f"not a stem: {item!r}")
    if dialect == "sqlite":
        quoted = [f'"{item}"' for item in member]
        return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"
    quoted = [f"'{item}'" for item in member]
    return quoted[0] if len(quoted) == 1 else "(" + " & ".join(quoted) + ")"


def match_text(
    terms: Sequence[dict[tuple[str, ...], int]],
    dialect: str,
    *,
    direct: int = 0,
    every_term: bool = False,
) -> str | None:
    """MATCH/tsquery text: any member of any term (or, `every_term`, of each term) weighing at
    least `direct`."""
    either, both = (" OR ", " AND ") if dialect == "sqlite" else (" | ", " & ")
    groups = []
    for term in terms:
        members = [m for m, w in term.items() if w >= direct]
        if not members:
            if every_term:
                return None
            continue
        parts = [member_expression(m, dialect) for m in members]
        groups.append("(" + either.join(parts) + ")" if len(parts) > 1 else parts[0])
    if not groups:
        return None
    if every_term:
        return both.join(groups) if len(groups) > 1 else groups[0]
    return either.join(dict.fromkeys(groups))


def exclude(match: str, previous: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"({match}) NOT ({previous})"
    return f"({match}) & !({previous})"


def by_match(dialect: str, filters: Filters, match: str, cap: int) -> tuple[str, dict[str, object]]:
    """The first `cap` matching programmes in id order."""
    params: dict[str, object] = {"match": match, "cap": cap}
    where = filters.where(params)
    if dialect == "sqlite":
        statement = (
            f"SELECT {COLUMNS} FROM programmes_fts"
            " JOIN programmes p ON p.id = programmes_fts.rowid"
            " JOIN organisations o ON o.id = p.organisation_id"
            f" WHERE programmes_fts MATCH :match AND {where}"
            " ORDER BY programmes_fts.rowid LIMIT :cap"
        )
    else:
        statement = (
            f"SELECT {COLUMNS} FROM programmes p"
            " JOIN organisations o ON o.id = p.organisation_id"
            f" WHERE {TS_VECTOR} @@ to_tsquery('simple', :match) AND {where}"
            f" ORDER BY {PG_ID_ORDER} LIMIT :cap"
        )
    return statement, params


def by_orgs(
    dialect: str, filters: Filters, org_ids: Sequence[int], match: str | None, cap: int
) -> tuple[str, dict[str, object]]:
    """The organisations' programmes (that match, if `match`), the first `cap` in id order."""
    params: dict[str, object] = {"cap": cap}
    where = filters.where(params, places=False, no_index=dialect == "sqlite")
    # Hundreds of ids: written into the statement (integers only), not bound one by one,
    # which would cost SQLAlchemy milliseconds per question.
    orgs = ", ".join(str(int(org_id)) for org_id in org_ids)
    source = f"SELECT {COLUMNS} FROM programmes p JOIN organisations o ON o.id = p.organisation_id"
    if match is None:
        # In the index's order (organisation, id), so the scan stops at the limit.
        statement = (
            f"{source} WHERE p.organisation_id IN ({orgs}) AND {where}"
            " ORDER BY p.organisation_id, p.id LIMIT :cap"
        )
        return statement, params
    params["match"] = match
    if dialect == "sqlite":
        # The organisations' programme ids (index only) meet the full-text ids first;
        # rows are read for the programmes that match.
        statement = (
            f"{source} WHERE p.id IN (SELECT p2.id FROM programmes p2"
            f" WHERE p2.organisation_id IN ({orgs}) AND +p2.id IN"
            " (SELECT rowid FROM programmes_fts WHERE programmes_fts MATCH :match))"
            f" AND {where} ORDER BY p.id LIMIT :cap"
        )
    else:
        statement = (
            f"{source} WHERE p.organisation_id IN ({orgs})"
            f" AND {TS_VECTOR} @@ to_tsquery('simple', :match) AND {where}"
            f" ORDER BY {PG_ID_ORDER} LIMIT :cap"
        )
    return statement, params


def by_filters(filters: Filters, cap: int) -> tuple[str, dict[str, object]]:
    """The first `cap` programmes passing the filters."""
    params: dict[str, object] = {"cap": cap}
    where = filters.where(params)
    # With one direction, the browse index's own order lets the scan stop early.
    order = "p.age_from, p.age_to, p.id" if len(filters.directions) == 1 else "p.id"
    statement = (
        f"SELECT {COLUMNS} FROM programmes p JOIN organisations o"
        f" ON o.id = p.organisation_id WHERE {where} ORDER BY {order} LIMIT :cap"
    )
    return statement, params
