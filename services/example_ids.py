"""Ids of the example rows in the import templates staff download (data/*_template.*).

They begin with ОБРАЗЕЦ- (or EXAMPLE-), which no real organisation, programme, service or
specialist has: an example row can never overwrite real data, since imports match rows by id.
An import refuses them, with a problem that says to replace the example with one's own rows.
"""

from __future__ import annotations

EXAMPLE_PREFIXES = ("образец-", "example-")


def is_example_id(value: str) -> bool:
    return value.strip().casefold().startswith(EXAMPLE_PREFIXES)
