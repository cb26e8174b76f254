"""Run an import from start to finish: read, check, build, write; always return a report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import polars as pl

from iro_metrics.importer.build import build_tables
from iro_metrics.importer.readers import MAX_FILE_BYTES, MAX_FILE_MB, ParsedFile, read_source
from iro_metrics.importer.report import RECORD_RULES, FileSummary, ImportProblem, ImportReport, problem, problem_frame
from iro_metrics.importer.setaside import SetAside
from iro_metrics.importer.sources import expand_paths, expand_uploads
from iro_metrics.importer.swap import NotADatasetFolderError, write_atomically
from iro_metrics.store import SHIPPED_KEY, imported_root
from iro_metrics.validation import DatasetError, validate_tables

_DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,59}$")


def _read_all(
    sources: Sequence[tuple[str, bytes]], report: ImportReport, today: date, max_file_bytes: int | None
) -> list[ParsedFile]:
    parsed: list[ParsedFile] = []
    for position, (name, data) in enumerate(sources):
        if max_file_bytes is not None and len(data) > max_file_bytes:
            report.add(
                problem(
                    "file_too_large",
                    name,
                    f"The file is {len(data) / 1024 / 1024:,.1f} MB; the limit is "
                    f"{max_file_bytes / 1024 / 1024:,.0f} MB per file. Split it by year, or use the command line.",
                )
            )
            report.files.append(FileSummary(name, None, "too large", 0))
            continue
        tables, file_problems = read_source(name, data, position, today)
        del data
        if isinstance(sources, list):  # the import's own list: the file's bytes are not needed again
            sources[position] = (name, b"")
        report.add(file_problems)
        if not tables and not file_problems:
            report.files.append(FileSummary(name, None, "", 0))
        for one in tables:
            parsed.append(one)
            report.add(one.problems)
            report.add(one.frames)
            one.frames = []
            title = one.spec.title + ("" if one.spec.used else " (not used)") if one.spec else ""
            report.files.append(FileSummary(one.name, one.spec.kind if one.spec else None, title, one.rows))
        if not tables and any(p.rule == "empty_file" for p in file_problems):
            report.files.append(FileSummary(name, None, "empty", 0))
    return parsed


def _build(parsed: list[ParsedFile], report: ImportReport) -> tuple[dict[str, pl.DataFrame], SetAside]:
    """Build the tables, setting aside the records with errors (the smallest unit each) until none is left."""
    aside = SetAside()
    aside.add(report.frame, parsed)
    seen = report.frame.select(pl.col("file", "rule", "column").cast(pl.String), "row")
    tables: dict[str, pl.DataFrame] = {}
    for _ in range(3):  # a second pass sees what setting aside exposed; a third would find nothing new
        tables, found = build_tables(aside.apply(parsed))
        frame = problem_frame(found)
        new = frame.join(seen, on=["file", "row", "rule", "column"], how="anti", nulls_equal=True)
        report.add(new.drop("severity"))
        seen = pl.concat([seen, new.select("file", "rule", "column", "row")])
        before = (aside.children.height, aside.rows.height)
        aside.add(new, parsed)
        if (aside.children.height, aside.rows.height) == before:
            break
    return tables, aside


def _structural_errors(report: ImportReport) -> bool:
    errors = report.frame.filter(pl.col("severity") == "error")
    return errors.filter(~pl.col("rule").cast(pl.String).is_in(list(RECORD_RULES))).height > 0


def import_sources(
    sources: Sequence[tuple[str, bytes]],
    out_dir: Path,
    today: date | None = None,
    *,
    strict: bool = False,
    local_authority: str | None = None,
    max_file_bytes: int | None = None,
    problems: Sequence[ImportProblem] = (),
    authority: tuple[str, str | None] | None = None,
) -> ImportReport:
    """Import files given as (name, content) and write the dataset to ``out_dir``.

    By default a record with an error is set aside (see ``setaside``) and the import goes on;
    ``strict`` refuses on any error. Structural errors (an unreadable file, a required table
    missing) always refuse. A refused import leaves ``out_dir`` exactly as it was.
    """
    today = today or date.today()
    out_dir = Path(out_dir)
    report = ImportReport(strict=strict)
    report.add(list(problems))
    names = list(dict.fromkeys(name for name, _ in sources))
    parsed = _read_all(sources, report, today, max_file_bytes)
    tables, aside = _build(parsed, report)
    if not tables or _structural_errors(report) or (strict and report.n_errors):
        report.finish()
        return report
    schema_problems = validate_tables(tables)
    report.add([problem("schema", p.file, str(p), column=p.column) for p in schema_problems])
    if schema_problems:
        report.finish()
        return report
    report.set_aside = aside.summary()
    report.children_read = tables["children"].height + aside.children.get_column("CHILD").n_unique()
    meta = {
        "local_authority": local_authority or out_dir.name,
        "synthetic": False,
        "source": "Imported from SSDA903 returns and local IRO records",
        "imported_on": today,
        "files": names,
        "uasc_recorded": any(p.spec is not None and p.spec.kind == "uasc" for p in parsed),
        "set_aside": report.set_aside,
        "children_read": report.children_read,
    }
    if authority is not None:  # which council: its DfE codes (old three-digit, new ONS)
        meta["la_code_old"], meta["la_code_new"] = authority
    try:
        write_atomically(tables, meta, out_dir)
    except (OSError, DatasetError, NotADatasetFolderError) as exc:
        report.add(
            problem("write_failed", str(out_dir), f"The dataset could not be written ({exc}); nothing was changed.")
        )
        report.finish()
        return report
    report.dataset_path = out_dir
    report.table_rows = {name: frame.height for name, frame in tables.items()}
    report.finish()
    return report


def run_import(
    files: list[Path],
    out_dir: Path,
    today: date | None = None,
    *,
    strict: bool = False,
    authority: tuple[str, str | None] | None = None,
) -> ImportReport:
    """Import files, folders (searched recursively) and zips into the dataset folder ``out_dir``.

    The command line's ``import``. Never raises on bad input: read the report's ``ok``,
    ``problems`` and ``format_text()``.
    """
    sources, problems = expand_paths([Path(f) for f in files])
    return import_sources(sources, out_dir, today, strict=strict, problems=problems, authority=authority)


def dataset_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an imported dataset, or None when it can."""
    if not _DATASET_NAME.match(name or ""):
        return "Use 1 to 60 letters, digits, spaces, hyphens or underscores, starting with a letter or digit."
    if name.strip().lower() == SHIPPED_KEY:
        return f"'{SHIPPED_KEY}' is the shipped dataset's name; choose another."
    return None


def import_uploads(
    uploads: Sequence[tuple[str, bytes]],
    dataset_name: str,
    today: date | None = None,
    *,
    strict: bool = False,
    authority: tuple[str, str | None] | None = None,
) -> ImportReport:
    """Import uploaded files (name, content; zips unpacked) as the dataset ``dataset_name`` under the
    imported-data folder.

    The uploads are read from memory and never saved; each is limited to MAX_FILE_MB.
    """
    reason = dataset_name_problem(dataset_name)
    if reason is not None:
        report = ImportReport()
        report.add(problem("bad_dataset_name", dataset_name or "(no name)", f"Bad dataset name. {reason}"))
        report.finish()
        return report
    name = dataset_name.strip()
    too_large = [(n, d) for n, d in uploads if len(d) > MAX_FILE_BYTES]
    sources, problems = expand_uploads([(n, d) for n, d in uploads if len(d) <= MAX_FILE_BYTES])
    return import_sources(
        [*too_large, *sources],
        imported_root() / name,
        today,
        strict=strict,
        local_authority=name,
        max_file_bytes=MAX_FILE_BYTES,
        problems=problems,
        authority=authority,
    )


__all__ = ["MAX_FILE_MB", "dataset_name_problem", "import_sources", "import_uploads", "run_import"]
