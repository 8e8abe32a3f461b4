"""Reading the Prometheus text format in tests: every line a comment or a sample."""

from __future__ import annotations

import re

# name{labels} value — label values are quoted with \\, \" and \n escaped.
_SAMPLE = re.compile(
    r"(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)"
    r'(?:\{(?P<labels>[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
    r'(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)\})?'
    r" (?P<value>[-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))"
)
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"')


def parse_metrics(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every line is a comment (# HELP / # TYPE) or a sample; anything else fails the test."""
    assert text.endswith("\n")
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    typed: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#"):
            parts = line.split(" ", 3)
            assert parts[1] in {"HELP", "TYPE"} and len(parts) == 4, line
            if parts[1] == "TYPE":
                assert parts[3] in {"counter", "gauge", "histogram"}, line
                assert parts[2] not in typed, f"TYPE twice: {line}"
                typed.add(parts[2])
            continue
        match = _SAMPLE.fullmatch(line)
        assert match, f"not a sample line: {line!r}"
        labels = tuple(sorted(_LABEL.findall(match["labels"] or "")))
        key = (match["name"], labels)
        assert key not in samples, f"sample twice: {line}"
        samples[key] = float(match["value"])
    return samples
