"""The validation report: every problem found in an import, precise enough to find and fix.

Errors block the import; warnings let it go on. Every problem names the file, the row (as a
spreadsheet shows it: the header is row 1, the first record row 2), the column, the value and
the rule broken. Child identifiers and dates of birth are never quoted back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

Severity = Literal["error", "warning"]

# Every rule the importer checks: id -> (severity, what it means). docs/import.md lists them.
RULES: dict[str, tuple[Severity, str]] = {
    "file_too_large": ("error", "The file is larger than the import size limit."),
    "not_text": ("error", "The file is not a CSV text file (binary content or an unknown encoding)."),
    "malformed_csv": ("error", "The file cannot be read as CSV (e.g. an unclosed quote)."),
    "empty_file": ("error", "The file has no header row."),
    "bad_header": ("error", "A column name is blank or repeated."),
    "wrong_field_count": ("error", "A row has more or fewer values than the header has columns."),
    "unrecognised_file": ("error", "The file's columns match none of the 903 tables or templates."),
    "ambiguous_file": ("error", "The file's columns fit more than one kind of file."),
    "missing_column": ("error", "A required column is missing from a file."),
    "missing_table": ("error", "One of the 903 Header, Episodes or Reviews tables was not supplied."),
    "missing_value": ("error", "A required value is blank."),
    "unknown_code": ("error", "A value is not in the column's code list."),
    "bad_date": ("error", "A date cannot be read as dd/mm/yyyy (or is not a real date)."),
    "bad_number": ("error", "A number cannot be read, or is negative."),
    "bad_flag": ("error", "A Y/N value is neither Y nor N."),
    "future_date": ("error", "A date is after the day of the import."),
    "duplicate_key": ("error", "Two rows of one file have the same key (e.g. CHILD and DECOM)."),
    "end_before_start": ("error", "An episode ends (DEC) before it starts (DECOM)."),
    "ceased_without_reason": ("error", "An episode has an end date (DEC) without a reason (REC), or the reverse."),
    "overlapping_episodes": ("error", "Two episodes of one child overlap."),
    "date_before_birth": ("error", "An episode or review is dated before the child's date of birth."),
    "child_not_in_header": ("error", "An episode or review is for a child missing from the Header."),
    "review_outside_care": ("error", "A review is dated outside every period of care of the child."),
    "pn0_aged_4_or_over": ("warning", "PN0 (under 4) is recorded for a child aged 4 or over at the review."),
    "pn_code_under_4": ("warning", "PN1-PN7 is recorded for a child aged under 4 at the review."),
    "unknown_column": ("warning", "A 903 file has a column the importer does not use; it is ignored."),
    "unexpected_column": (
        "error",
        "A template has a column it does not define (a misspelt name would lose its data), or a column "
        "name looks cut off.",
    ),
    "no_template_file": ("warning", "A template was not supplied; defaults are used (see message)."),
    "no_template_row": ("warning", "A 903 record has no row in its template; defaults are used."),
    "no_matching_record": ("warning", "A template row matches no 903 episode or review; it is left out."),
    "no_episode_for_event": ("warning", "An event's child had no episode on or before its date; the row is left out."),
    "notified_not_start": ("warning", "IRO_NOTIFIED is given for an episode that is not RNE S; it is ignored."),
    "schema": ("error", "The assembled dataset breaks the data model (should not happen: please report)."),
    "bad_dataset_name": ("error", "The name for the imported dataset cannot be used as a folder name."),
    "write_failed": ("error", "The dataset could not be written; the previous one is unchanged."),
}

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "severity": pl.String(),
    "file": pl.String(),
    "row": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "rule": pl.String(),
    "message": pl.String(),
}
MAX_LINES_PER_RULE = 20  # in the text report; the table always has every problem


@dataclass(frozen=True)
class ImportProblem:
    """One problem: where it is (file, row, column), the value, the rule and what to do."""

    severity: Severity
    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.severity.upper()} [{self.rule}] {where}{value}: {self.message}"


def problem(
    rule: str,
    file: str,
    message: str,
    *,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
) -> ImportProblem:
    """A problem for one rule, with the rule's severity."""
    return ImportProblem(RULES[rule][0], file, row, column, value, rule, message)


def problems_from_frame(frame: pl.DataFrame) -> list[ImportProblem]:
    """Problems from a frame with the PROBLEM_SCHEMA columns (rule decides severity)."""
    return [
        ImportProblem(RULES[r["rule"]][0], r["file"], r["row"], r["column"], r["value"], r["rule"], r["message"])
        for r in frame.iter_rows(named=True)
    ]


@dataclass(frozen=True)
class FileSummary:
    """What one supplied file was recognised as, and how many records it held."""

    file: str
    kind: str | None  # a FileSpec kind, or None when not recognised
    title: str
    rows: int


@dataclass
class ImportReport:
    """The outcome of an import: the problems, the files read, and where the dataset went."""

    problems: list[ImportProblem] = field(default_factory=list)
    files: list[FileSummary] = field(default_factory=list)
    dataset_path: Path | None = None  # set when a dataset was written
    table_rows: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed) and the dataset was written."""
        return not self.errors and self.dataset_path is not None

    def as_frame(self) -> pl.DataFrame:
        """Every problem as a table: severity, file, row, column, value, rule, message (errors first)."""
        frame = pl.DataFrame(
            {name: [getattr(p, name) for p in self.problems] for name in PROBLEM_SCHEMA},
            schema=PROBLEM_SCHEMA,
        )
        return frame.sort(
            pl.col("severity") != "error", "file", "row", "column", "rule", nulls_last=False, maintain_order=True
        )

    def format_text(self) -> str:
        """The report as plain text for the command line."""
        lines: list[str] = []
        for summary in self.files:
            what = summary.title if summary.kind else "not recognised"
            lines.append(f"{summary.file}: {what}, {summary.rows:,} rows")
        shown: dict[str, int] = {}
        hidden: dict[str, int] = {}
        for p in sorted(self.problems, key=lambda p: (p.severity != "error", p.rule)):
            if shown.get(p.rule, 0) < MAX_LINES_PER_RULE:
                lines.append(str(p))
                shown[p.rule] = shown.get(p.rule, 0) + 1
            else:
                hidden[p.rule] = hidden.get(p.rule, 0) + 1
        lines.extend(f"... and {n:,} more [{rule}] problems" for rule, n in hidden.items())
        n_errors, n_warnings = len(self.errors), len(self.warnings)
        if n_errors:
            lines.append(
                f"Import failed: {n_errors:,} error(s), {n_warnings:,} warning(s). "
                "Nothing was changed; fix the errors and import again."
            )
        elif self.dataset_path is not None:
            counts = ", ".join(f"{name} {n:,}" for name, n in self.table_rows.items())
            lines.append(f"Imported into {self.dataset_path} with {n_warnings:,} warning(s). Rows: {counts}.")
        return "\n".join(lines)
