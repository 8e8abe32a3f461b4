"""What an import of a staff file found and did, as HTML in the reader's language: the chat's
answer to an upload, and (made plain) the command line's `import` output. The reports are the
services' data (services/catalog/report.py, services/consultations/imports.py)."""

from __future__ import annotations

from collections.abc import Callable

from bot.telegram.i18n import Html
from services.catalog.report import ImportReport
from services.consultations.imports import ConsultReport

Translate = Callable[..., str]


def catalog_report(
    t: Translate,
    report: ImportReport,
    *,
    max_problems: int | None = 30,
    max_length: int | None = 3900,
) -> str:
    """A catalogue import; problems cut to fit a Telegram message (`max_length` in UTF-16
    units of the HTML, an upper bound of what Telegram counts)."""
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


def setup_report(
    t: Translate,
    report: ConsultReport,
    *,
    max_problems: int | None = 30,
    max_length: int | None = 3900,
) -> str:
    """A consultation set-up import, cut to fit one Telegram message."""
    file = report.file_name
    if not report.ok:
        lines = [t("cimp-report-failed", file=file, count=len(report.problems))]
        length = len(lines[0]) + 300
        shown_count = 0
        for problem in report.problems:
            if max_problems is not None and shown_count >= max_problems:
                break
            reason = Html(t(problem.key, **dict(problem.args)))
            if not problem.sheet:
                line = t("cimp-report-problem-file", reason=reason)
            elif problem.row == 0:
                line = t("cimp-report-problem-sheet", sheet=problem.sheet, reason=reason)
            else:
                line = t(
                    "cimp-report-problem",
                    sheet=problem.sheet,
                    row=problem.row,
                    column=problem.column,
                    reason=reason,
                )
            if max_length is not None and length + len(line) + 1 > max_length:
                break
            lines.append(line)
            length += len(line) + 1
            shown_count += 1
        if len(report.problems) > shown_count:
            lines.append(t("cimp-report-more", count=len(report.problems) - shown_count))
        return "\n".join(lines)
    lines = [
        t("cimp-report-checked" if report.dry_run else "cimp-report-done", file=file),
        t("cimp-report-rows", rows=report.rows),
    ]
    if report.dry_run:
        lines.append(t("cimp-report-would"))
    for kind in report.kinds:
        counts = report.counts[kind]
        lines.append(
            t(
                f"cimp-report-{kind}",
                added=counts.added,
                changed=counts.changed,
                unchanged=counts.unchanged,
            )
        )
    lines.append(t("cimp-report-slots", count=report.slots_added))
    if report.cancelled:
        lines.append(t("cimp-report-cancelled", count=len(report.cancelled)))
    lines += ["", t("cimp-report-keep-note")]
    return "\n".join(lines)
