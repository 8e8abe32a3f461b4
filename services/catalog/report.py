"""What a catalogue import found and did, and its report as a chat message or terminal text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.telegram.i18n import Html

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


def render_report(
    t: Callable[..., str],
    report: ImportReport,
    *,
    max_problems: int | None = 30,
    max_length: int | None = 3900,
) -> str:
    """The report as HTML in the translator's language; problems cut to fit a Telegram message
    (`max_length` in UTF-16 units of the HTML, an upper bound of what Telegram counts)."""
    file = report.file_name
    if not report.ok:
        lines = [t("import-report-failed", file=file, count=report.problem_count)]
        length = _utf16(lines[0]) + 300  # room for the "and N more" line
        shown = 0
        for problem in report.problems:
            if max_problems is not None and shown >= max_problems:
                break
            reason = Html(t(problem.key, **dict(problem.args)))
            if problem.row == 0:
                line = t("import-report-problem-file", reason=reason)
            else:
                line = t(
                    "import-report-problem", row=problem.row, column=problem.column, reason=reason
                )
            if max_length is not None and length + _utf16(line) + 1 > max_length:
                break
            lines.append(line)
            length += _utf16(line) + 1
            shown += 1
        if report.problem_count > shown:
            lines.append(t("import-report-more", count=report.problem_count - shown))
        return "\n".join(lines)
    lines = [
        t("import-report-checked" if report.dry_run else "import-report-done", file=file),
        t("import-report-rows", rows=report.rows),
    ]
    if report.stopped_at:
        lines.append(t("files-stopped-at", row=report.stopped_at, count=report.empty_run))
    if report.dry_run:
        lines.append(t("import-report-would"))
    for key, counts in (
        ("import-report-organisations", report.organisations),
        ("import-report-programmes", report.programmes),
    ):
        lines.append(t(key, added=counts.added, changed=counts.changed, unchanged=counts.unchanged))
    lines += ["", t("import-report-keep-note")]
    return "\n".join(lines)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
