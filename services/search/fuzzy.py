"""Typo tolerance: Damerau-Levenshtein distance and a deletion-neighbourhood word index."""

from __future__ import annotations

from collections.abc import Iterable


def osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment); `limit + 1` once above limit."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = i
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def max_typo_distance(word: str) -> int:
    return 2 if len(word) >= 7 else 1


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {item[:i] + item[i + 1 :] for item in frontier for i in range(len(item))}
        found |= frontier
    return found


class FuzzyIndex:
    """Deletion-neighbourhood index (SymSpell): words within the typo distance of a word.

    Every word is stored under its deletions, up to 2 for words of 7+ letters and 1 below;
    a query's deletions (up to its own distance) meet them there. That finds every word within
    distance 1 of a short query and 2 of a long one: a word needing two deletions of its own
    to meet the query is at least as long as the query.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._deletes: dict[str, list[str]] = {}
        for word in set(words):
            for variant in _deletions(word, max_typo_distance(word)):
                self._deletes.setdefault(variant, []).append(word)

    def __len__(self) -> int:
        return len(self._deletes)

    def near(self, word: str) -> list[tuple[int, str]]:
        """(distance, word) of indexed words within the typo distance, closest first."""
        limit = max_typo_distance(word)
        candidates: set[str] = set()
        for variant in _deletions(word, limit):
            candidates.update(self._deletes.get(variant, ()))
        candidates.discard(word)
        found = []
        for candidate in candidates:
            distance = osa_distance(word, candidate, limit)
            if distance <= limit:
                found.append((distance, candidate))
        found.sort()
        return found
