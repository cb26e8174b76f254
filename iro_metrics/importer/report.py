"""The validation report: every problem found in an import, precise enough to find and fix.

Errors block the import; warnings let it go on. Every problem names the file, the row (as a
spreadsheet shows it: the header is row 1, the first record row 2), the column, the value and
the rule broken. Child identifiers and dates of birth are never quoted back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from iro_metrics.importer.quality import set_aside_alert

Severity = Literal["error", "warning"]

# Every rule the importer checks: id -> (severity, what it means). docs/import.md lists them.
RULES: dict[str, tuple[Severity, str]] = {
    "file_too_large": ("error", "The file is larger than the import size limit."),
    "not_text": ("error", "The file is not a CSV, XML or Excel file (binary content or an unknown encoding)."),
    "malformed_csv": ("error", "The file cannot be read as CSV (e.g. an unclosed quote)."),
    "malformed_xml": ("error", "The file cannot be read as XML, or declares a DTD or entities (refused as unsafe)."),
    "unreadable_file": ("error", "An Excel workbook or a zip file cannot be opened."),
    "empty_file": ("warning", "The file (or sheet) has no header row: an empty table, ignored."),
    "bad_header": ("error", "A column name is blank or repeated."),
    "wrong_field_count": ("error", "A row has more or fewer values than the header has columns."),
    "unrecognised_file": ("error", "The file's columns match none of the 903 tables or templates."),
    "unused_903_table": ("warning", "A 903 table this tool does not use (OC2, OC3, AD1, Missing...): ignored."),
    "ambiguous_file": ("error", "The file's columns fit more than one kind of file."),
    "missing_column": ("error", "A required column is missing from a file."),
    "missing_table": ("error", "One of the 903 Header, Episodes or Reviews tables was not supplied."),
    "missing_value": ("error", "A required value is blank."),
    "unknown_code": ("error", "A value is not in the column's code list."),
    "bad_date": (
        "error",
        "A date cannot be read (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd or dd/mm/yy) or is not a real date.",
    ),
    "two_digit_year": ("warning", "Dates written dd/mm/yy: the century was taken from context (see message)."),
    "bad_number": ("error", "A number cannot be read, is negative, or is implausibly large."),
    "bad_flag": ("error", "A Y/N value is neither Y nor N."),
    "future_date": ("error", "A date is after the day of the import (a DUC, the end of UASC status, may be)."),
    "duplicate_key": ("error", "Two rows of one file have the same key (e.g. CHILD and DECOM) but other values."),
    "duplicate_row": ("warning", "A row repeats an earlier row of the same file exactly; the record is counted once."),
    "end_before_start": ("error", "An episode ends (DEC) before it starts (DECOM)."),
    "ceased_without_reason": ("error", "An episode has an end date (DEC) without a reason (REC)."),
    "open_with_reason": (
        "warning",
        "Open episodes (no DEC) carry a reason for ending (REC): read as open, the REC dropped (one line per file).",
    ),
    "overlapping_episodes": ("error", "Two episodes of one child overlap."),
    "conflicting_returns": (
        "warning",
        "Two returns give one record (same key) with other values, not just a blank filled in: the later is used.",
    ),
    "date_before_birth": ("error", "An episode or review is dated before the child's date of birth."),
    "child_not_in_header": (
        "error",
        "An episode, review or social worker episode is for a child missing from the Header.",
    ),
    "review_outside_care": (
        "warning",
        "A review is dated outside every period of care of the child: kept and counted in reviews held, as the "
        "indicator definitions say, but not in reviews on time (it has no due date).",
    ),
    "pn0_aged_4_or_over": ("warning", "PN0 (under 4) is recorded for a child aged 4 or over at the review."),
    "pn_code_under_4": ("warning", "PN1-PN7 is recorded for a child aged under 4 at the review."),
    "implausible_birth_date": ("warning", "A date of birth more than 60 years before the import (e.g. 1900)."),
    "uasc_ends_before_birth": ("warning", "DUC (the end of UASC status) is before the child's date of birth."),
    "uasc_not_in_header": ("warning", "A UASC row is for a child missing from the Header; it is left out."),
    "agency_above_in_post": ("warning", "More agency FTE than FTE in post (agency staff are counted within in post)."),
    "resolved_before_raised": ("warning", "A dispute is resolved before it was raised."),
    "minutes_before_review": ("warning", "A review's minutes are dated before the review."),
    "unsafe_text": (
        "warning",
        "A name holds control characters, HTML, or starts like a spreadsheet formula (=, +, -, @).",
    ),
    "unknown_column": ("warning", "A 903 file has a column the importer does not use; it is ignored."),
    "unexpected_column": (
        "error",
        "A template has a column it does not define (a misspelt name would lose its data), or a column "
        "name looks cut off.",
    ),
    "no_template_file": ("warning", "A template was not supplied; defaults are used (see message)."),
    "no_uasc_table": ("warning", "No 903 UASC table: the UASC and citizen cohorts are 'not recorded'."),
    "no_template_row": ("warning", "A 903 record has no row in its template; defaults are used."),
    "no_matching_record": ("warning", "A template row matches no 903 episode or review; it is left out."),
    "no_episode_for_event": ("warning", "An event's child had no episode on or before its date; the row is left out."),
    "notified_not_start": ("warning", "IRO_NOTIFIED is given for an episode that is not RNE S; it is ignored."),
    "schema": ("error", "The assembled dataset breaks the data model (should not happen: please report)."),
    "bad_dataset_name": ("error", "The name for the imported dataset cannot be used as a folder name."),
    "write_failed": ("error", "The dataset could not be written; the previous one is unchanged."),
    "too_many_columns": ("error", "A CSV line has more than 1,000 columns: refused before it is split."),
    "sheet_too_large": ("error", "A sheet declares more than 1,000 columns or 60 million cells: refused unread."),
    "zip_too_large": ("error", "Zips (with every zip inside them) unpack to more than 2 GB, or lie about sizes."),
    "import_memory_limit": ("error", "The import needed more memory than its limit (1.5 GB) and was stopped."),
    "import_time_limit": ("error", "The import took longer than its time limit and was stopped."),
    "import_crashed": ("error", "A file stopped the import process (a reader failed); nothing was changed."),
}

# Errors in one record: by default the smallest unit that keeps the rest consistent is set aside
# (a review; a child's records; a template row) and the import goes on. With --strict, or any other
# (structural) error, the import is refused.
RECORD_RULES: frozenset[str] = frozenset(
    {
        "missing_value",
        "unknown_code",
        "bad_date",
        "bad_number",
        "bad_flag",
        "future_date",
        "duplicate_key",
        "end_before_start",
        "ceased_without_reason",
        "overlapping_episodes",
        "date_before_birth",
        "child_not_in_header",
    }
)

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "severity": pl.String(),
    "file": pl.String(),
    "row": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "rule": pl.String(),
    "message": pl.String(),
}
REPORT_COLUMNS: tuple[str, ...] = ("file", "row", "column", "value", "rule", "severity", "action", "message")
MAX_LINES_PER_RULE = 20  # in the text report and on the page; the downloadable report has every problem


@dataclass(frozen=True)
class ImportProblem:
    """One problem: where it is (file, row, column), the value, the rule, what to do and what was done."""

    severity: Severity
    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    action: str = ""  # refused / set aside / warned / read as (set when the import ends)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        done = f" [{self.action}]" if self.action and self.action != "refused" else ""
        return f"{self.severity.upper()} [{self.rule}]{done} {where}{value}: {self.message}"


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
    has_action = "action" in frame.columns
    return [
        ImportProblem(
            RULES[r["rule"]][0],
            r["file"],
            r["row"],
            r["column"],
            r["value"],
            r["rule"],
            r["message"],
            r["action"] if has_action else "",
        )
        for r in frame.iter_rows(named=True)
    ]


def problem_frame(found: list[ImportProblem] | list[pl.DataFrame] | pl.DataFrame) -> pl.DataFrame:
    """Problems (objects, or frames with file, row, column, value, rule, message) as one frame with severity."""
    if isinstance(found, pl.DataFrame):
        found = [found]
    frames = [f for f in found if isinstance(f, pl.DataFrame)]
    objects = [p for p in found if isinstance(p, ImportProblem)]
    parts = [f.select([c for c in PROBLEM_SCHEMA if c != "severity"]) for f in frames]
    if objects:
        parts.append(
            pl.DataFrame(
                {name: [getattr(p, name) for p in objects] for name in PROBLEM_SCHEMA if name != "severity"},
                schema={k: v for k, v in PROBLEM_SCHEMA.items() if k != "severity"},
            )
        )
    schema = {k: v for k, v in PROBLEM_SCHEMA.items() if k != "severity"}
    merged = pl.concat([pl.DataFrame(schema=schema), *[p.cast(schema) for p in parts]])  # type: ignore[arg-type]
    severity = pl.col("rule").replace_strict({r: sev for r, (sev, _) in RULES.items()}, return_dtype=pl.String)
    return merged.with_columns(severity=severity).select(list(PROBLEM_SCHEMA))


_REPEATED = ("severity", "file", "column", "rule", "message", "action")  # few distinct values: stored once each


def _compact(frame: pl.DataFrame) -> pl.DataFrame:
    """The problem frame with its repeated text columns categorical (a million problems stay small)."""
    return frame.with_columns(pl.col(c).cast(pl.Categorical) for c in _REPEATED if c in frame.columns)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(c).cast(pl.String) for c in _REPEATED if c in frame.columns)


@dataclass(frozen=True)
class FileSummary:
    """What one supplied file was recognised as, and how many records it held."""

    file: str
    kind: str | None  # a FileSpec kind, or None when not recognised
    title: str
    rows: int


@dataclass
class ImportReport:
    """The outcome of an import: the problems, the files read, and where the dataset went.

    Problems are held as one Polars frame (``frame``), so a file with a million bad rows stays
    small; ``problems`` gives them as objects (build it only when the report is small).
    """

    frame: pl.DataFrame = field(default_factory=lambda: problem_frame([]))
    files: list[FileSummary] = field(default_factory=list)
    dataset_path: Path | None = None  # set when a dataset was written
    table_rows: dict[str, int] = field(default_factory=dict)
    set_aside: list[dict[str, object]] = field(default_factory=list)  # as written to dataset.toml
    children_read: int | None = None  # children in the files read, kept or set aside
    strict: bool = False

    def add(self, found: list[ImportProblem] | list[pl.DataFrame] | pl.DataFrame | ImportProblem) -> None:
        """Add problems (objects or frames)."""
        if isinstance(found, ImportProblem):
            found = [found]
        more = problem_frame(found)
        if more.height:
            extra = _compact(more.with_columns(action=pl.lit("", dtype=pl.String)))
            base = self.frame if "action" in self.frame.columns else self.frame.with_columns(action=pl.lit(""))
            self.frame = pl.concat([_compact(base), extra])

    @property
    def problems(self) -> list[ImportProblem]:
        return problems_from_frame(self.frame)

    def _count(self, severity: str) -> int:
        return self.frame.filter(pl.col("severity") == severity).height

    @property
    def errors(self) -> list[ImportProblem]:
        return problems_from_frame(self.frame.filter(pl.col("severity") == "error"))

    @property
    def warnings(self) -> list[ImportProblem]:
        return problems_from_frame(self.frame.filter(pl.col("severity") == "warning"))

    @property
    def n_errors(self) -> int:
        return self._count("error")

    @property
    def n_warnings(self) -> int:
        return self._count("warning")

    @property
    def refused(self) -> bool:
        """True when errors stopped the import (nothing was written)."""
        return self.dataset_path is None

    @property
    def ok(self) -> bool:
        """True when the dataset was written (records may have been set aside; see ``set_aside``)."""
        return self.dataset_path is not None

    def finish(self) -> None:
        """Say what was done about each problem: refused, set aside, warned or read as."""
        refused = self.dataset_path is None
        action = (
            pl.when(pl.col("rule") == "two_digit_year")
            .then(pl.lit("read as"))
            .when(pl.col("severity") == "warning")
            .then(pl.lit("warned"))
            .otherwise(pl.lit("refused" if refused else "set aside"))
        )
        base = self.frame.drop("action", strict=False)
        self.frame = _compact(base.with_columns(action=action))

    def report_frame(self) -> pl.DataFrame:
        """The machine-readable report: file, row, column, value, rule, severity, action, message."""
        frame = self.frame if "action" in self.frame.columns else self.frame.with_columns(action=pl.lit(""))
        return _as_text(frame.select(REPORT_COLUMNS)).sort(
            pl.col("severity") != "error", "file", "row", "column", "rule", nulls_last=False, maintain_order=True
        )

    def rule_counts(self) -> pl.DataFrame:
        """Problems per rule: rule, severity, action, problems, meaning (errors first, then most frequent)."""
        frame = self.frame if "action" in self.frame.columns else self.frame.with_columns(action=pl.lit(""))
        counts = _as_text(frame.group_by("rule", "severity", "action").agg(pl.len().alias("problems")))
        meaning = pl.col("rule").replace_strict({r: m for r, (_, m) in RULES.items()}, return_dtype=pl.String)
        return counts.with_columns(meaning=meaning).sort(
            pl.col("severity") != "error", pl.col("problems"), "rule", descending=[False, True, False]
        )

    def first_problems(self, per_rule: int = MAX_LINES_PER_RULE) -> pl.DataFrame:
        """The first problems of each rule (the page shows these; the download has all)."""
        frame = self.frame if "action" in self.frame.columns else self.frame.with_columns(action=pl.lit(""))
        first = frame.filter(pl.int_range(pl.len()).over("rule") < per_rule)  # before sorting: stays small
        return _as_text(first.select(REPORT_COLUMNS)).sort(
            pl.col("severity") != "error", "file", "row", "column", "rule", nulls_last=False, maintain_order=True
        )

    def first_problems_text(self, per_rule: int = MAX_LINES_PER_RULE) -> pl.DataFrame:
        """``first_problems`` as the page shows it: every cell text, '–' where a problem has no row,
        column or value (a whole file's problem), never 'None'."""
        first = self.first_problems(per_rule)
        return first.with_columns(pl.all().cast(pl.String).fill_null("–"))

    def write(self, path: Path) -> None:
        """Write the whole report to ``path``: CSV or JSON (by its suffix)."""
        path = Path(path)
        frame = self.report_frame()
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(frame.to_dicts(), indent=1, ensure_ascii=False), encoding="utf-8")
        else:
            frame.write_csv(path)

    def csv_bytes(self) -> bytes:
        """The whole report as CSV (the page's download)."""
        return self.report_frame().write_csv().encode("utf-8")

    @property
    def alert(self) -> str | None:
        """'Warning: N of the M children read (x%) are set aside ...' when over 2% (1% for one rule)."""
        return set_aside_alert(self.set_aside, self.children_read)  # type: ignore[arg-type]

    def format_text(self) -> str:
        """The report as plain text for the command line (the first problems of each rule).

        Opens with the set-aside warning when it changes the picture (``alert``).
        """
        lines: list[str] = [self.alert] if self.alert else []
        for summary in self.files:
            what = summary.title or "not recognised"
            lines.append(f"{summary.file}: {what}, {summary.rows:,} rows")
        shown = self.first_problems()
        lines.extend(
            str(p) for p in problems_from_frame(shown.sort(pl.col("severity") != "error", "rule", maintain_order=True))
        )
        counts = self.rule_counts()
        for rule, n in counts.select("rule", "problems").iter_rows():
            if n > MAX_LINES_PER_RULE:
                lines.append(f"... and {n - MAX_LINES_PER_RULE:,} more [{rule}] problems (all in --report FILE)")
        n_errors, n_warnings = self.n_errors, self.n_warnings
        if self.dataset_path is None:
            if n_errors:
                lines.append(
                    f"Import failed: {n_errors:,} error(s), {n_warnings:,} warning(s). "
                    "Nothing was changed; fix the errors and import again."
                )
        else:
            counts_text = ", ".join(f"{name} {n:,}" for name, n in self.table_rows.items())
            lines.append(f"Imported into {self.dataset_path} with {n_warnings:,} warning(s). Rows: {counts_text}.")
            lines.extend(f"Set aside: {entry['description']}" for entry in self.set_aside)
        return "\n".join(lines)
