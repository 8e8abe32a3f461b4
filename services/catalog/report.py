"""What a catalogue import found and did (handlers/staff/import_reports.py words it)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_STORED_PROBLEMS = 10_000


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the file: `row` as Excel numbers it (the header is 1, the whole
    file is 0), the column's header, and the reason: a locale key suffix of
    `import-problem-…`, or a whole key of the file limits (`files-…`), with its args."""

    row: int
    column: str
    reason: str
    args: tuple[tuple[str, str | int], ...] = ()

    @property
    def key(self) -> str:
        return self.reason if self.reason.startswith("files-") else f"import-problem-{self.reason}"


@dataclass(slots=True)
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class ImportReport:
    file_name: str
    dry_run: bool = False
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    organisations: Counts = field(default_factory=Counts)
    programmes: Counts = field(default_factory=Counts)
    stopped_at: int = 0  # the first of the empty rows that ended the reading (0: read to the end)
    empty_run: int = 0  # how many empty rows in a row end the reading

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_STORED_PROBLEMS:
            self.problems.append(problem)
