"""Synonyms of the question language (`data/synonyms.json`): groups of same and related words."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from services.paths import DATA_DIR
from services.search.words import phrase

SYNONYMS_PATH = DATA_DIR / "synonyms.json"


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    same: tuple[tuple[str, ...], ...]
    near: tuple[tuple[str, ...], ...]


class SynonymTable:
    def __init__(self, groups: Sequence[SynonymGroup]) -> None:
        self.groups = tuple(groups)
        self.same_of: dict[tuple[str, ...], list[int]] = {}
        self.near_of: dict[tuple[str, ...], list[int]] = {}
        for index, group in enumerate(self.groups):
            for member in group.same:
                self.same_of.setdefault(member, []).append(index)
            for member in group.near:
                self.near_of.setdefault(member, []).append(index)
        self.max_phrase = max((len(key) for key in self.keys()), default=1)
        self.surface: dict[str, str] = {}  # a stem → a word of the file it comes from

    @classmethod
    def load(cls, path: Path = SYNONYMS_PATH) -> SynonymTable:
        raw = json.loads(path.read_text(encoding="utf-8"))
        groups = []
        for item in raw["groups"]:
            same = tuple(dict.fromkeys(p for p in map(phrase, item["same"]) if p))
            near = tuple(dict.fromkeys(p for p in map(phrase, item.get("near", [])) if p))
            groups.append(SynonymGroup(same, tuple(p for p in near if p not in same)))
        table = cls(groups)
        for item in raw["groups"]:
            for word in (*item["same"], *item.get("near", [])):
                key = phrase(word)
                if len(key) == 1:
                    table.surface.setdefault(key[0], word.lower())
        return table

    def keys(self) -> set[tuple[str, ...]]:
        return set(self.same_of) | set(self.near_of)

    def expand(
        self, key: tuple[str, ...], weights: tuple[int, int, int]
    ) -> dict[tuple[str, ...], int]:
        """Members to search for `key` and their weights (empty if `key` is in no group)."""
        exact, same, near = weights
        found: dict[tuple[str, ...], int] = {}

        def add(member: tuple[str, ...], weight: int) -> None:
            if found.get(member, 0) < weight:
                found[member] = weight

        direct = self.same_of.get(key, [])
        for index in direct:
            for member in self.groups[index].same:
                add(member, same)
            for member in self.groups[index].near:
                add(member, near)
        if not direct:
            for index in self.near_of.get(key, []):
                for member in self.groups[index].same:
                    add(member, near)
        if found:
            found[key] = exact
        return found
