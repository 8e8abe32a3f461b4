"""The order of the answers, the same for every plan and both databases."""

from __future__ import annotations

from services.catalog import text_index
from services.catalog.localities import distance_km
from services.search.statements import Row
from services.search.words import DIRECT


def rank(
    rows: list[Row],
    terms: list[dict[tuple[str, ...], int]],
    *,
    origin: tuple[float, float] | None,
    near: bool,
    prefer: int | None,
) -> list[Row]:
    """Best first: terms covered (by weight), then nearness or the preferred locality, then
    terms found in the name, then shorter (more focused) programmes, then id."""
    ordered = [
        sorted(
            (
                (tuple(f" {item} " for item in member), member, weight)
                for member, weight in t.items()
            ),
            key=lambda entry: -entry[2],
        )
        for t in terms
    ]
    for row in rows:
        padded = f" {row.search_stems} "
        name: set[str] | None = None
        for members in ordered:
            best, in_name = 0, False
            for needles, member, weight in members:
                if weight < best:
                    break
                if all(needle in padded for needle in needles):
                    if name is None:
                        name = set(text_index.stems(row.name))
                    hit = all(item in name for item in member)
                    if weight > best or hit:
                        best, in_name = weight, hit
            row.coverage += best
            row.direct += best >= DIRECT
            row.in_name += best if in_name else 0
        row.size = padded.count(" ") - 1
        if origin is not None:
            row.distance = distance_km(origin[0], origin[1], row.latitude, row.longitude)
    if near:
        key = lambda r: (-r.coverage, r.distance, -r.in_name, r.size, r.id)  # noqa: E731
    else:
        key = lambda r: (  # noqa: E731
            -r.coverage,
            0 if prefer is None or r.locality_id == prefer else 1,
            -r.in_name,
            r.distance,
            r.size,
            r.id,
        )
    return sorted(rows, key=key)
