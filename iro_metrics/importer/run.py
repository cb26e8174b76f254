"""Run an import from start to finish: read, check, build, write; always return a report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from iro_metrics.dataset import DatasetError, validate_tables
from iro_metrics.importer.build import build_tables
from iro_metrics.importer.readers import MAX_FILE_BYTES, MAX_FILE_MB, ParsedFile, read_file
from iro_metrics.importer.report import FileSummary, ImportReport, problem
from iro_metrics.importer.swap import NotADatasetFolderError, write_atomically
from iro_metrics.store import SHIPPED_KEY, imported_root

_DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,59}$")


def import_sources(
    sources: Sequence[tuple[str, bytes]],
    out_dir: Path,
    today: date | None = None,
    *,
    local_authority: str | None = None,
    max_file_bytes: int | None = None,
    authority: tuple[str, str | None] | None = None,
) -> ImportReport:
    """Import files given as (name, content); write the dataset to ``out_dir`` only if there is no error."""
    today = today or date.today()
    out_dir = Path(out_dir)
    report = ImportReport()
    parsed: list[ParsedFile] = []
    for position, (name, data) in enumerate(sources):
        if max_file_bytes is not None and len(data) > max_file_bytes:
            report.problems.append(
                problem(
                    "file_too_large",
                    name,
                    f"The file is {len(data) / 1024 / 1024:,.1f} MB; the limit is "
                    f"{max_file_bytes / 1024 / 1024:,.0f} MB per file. Split it by year, or use the command line.",
                )
            )
            report.files.append(FileSummary(name, None, "too large", 0))
            continue
        one = read_file(name, data, position, today)
        parsed.append(one)
        report.problems.extend(one.problems)
        report.files.append(
            FileSummary(name, one.spec.kind if one.spec else None, one.spec.title if one.spec else "", one.rows)
        )
    tables, problems = build_tables(parsed)
    report.problems.extend(problems)
    if report.errors or not tables:
        return report
    schema_problems = validate_tables(tables)
    report.problems.extend(problem("schema", p.file, str(p), column=p.column) for p in schema_problems)
    if report.errors:
        return report
    meta = {
        "local_authority": local_authority or out_dir.name,
        "synthetic": False,
        "source": "Imported from SSDA903 returns and local IRO records",
        "imported_on": today,
        "files": [name for name, _ in sources],
    }
    if authority is not None:  # which council: its DfE codes (old three-digit, new ONS)
        meta["la_code_old"], meta["la_code_new"] = authority
    try:
        write_atomically(tables, meta, out_dir)
    except (OSError, DatasetError, NotADatasetFolderError) as exc:
        report.problems.append(
            problem("write_failed", str(out_dir), f"The dataset could not be written ({exc}); nothing was changed.")
        )
        return report
    report.dataset_path = out_dir
    report.table_rows = {name: frame.height for name, frame in tables.items()}
    return report


def run_import(
    files: list[Path], out_dir: Path, today: date | None = None, authority: tuple[str, str | None] | None = None
) -> ImportReport:
    """Import CSV files into the dataset folder ``out_dir`` (the command line's ``import``).

    Never raises on bad input: read the report's ``ok``, ``problems`` and ``format_text()``.
    """
    sources: list[tuple[str, bytes]] = []
    unreadable = ImportReport()
    for path in files:
        path = Path(path)
        try:
            sources.append((path.name, path.read_bytes()))
        except OSError as exc:
            unreadable.problems.append(
                problem("not_text", str(path), f"The file could not be opened ({exc.strerror or exc}).")
            )
    if unreadable.problems:
        return unreadable
    return import_sources(sources, out_dir, today, authority=authority)


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
    authority: tuple[str, str | None] | None = None,
) -> ImportReport:
    """Import uploaded files (name, content) as the dataset ``dataset_name`` under the imported-data folder.

    The uploads are read from memory and never saved; each is limited to MAX_FILE_MB.
    """
    reason = dataset_name_problem(dataset_name)
    if reason is not None:
        report = ImportReport()
        report.problems.append(problem("bad_dataset_name", dataset_name or "(no name)", f"Bad dataset name. {reason}"))
        return report
    name = dataset_name.strip()
    return import_sources(
        uploads, imported_root() / name, today, local_authority=name, max_file_bytes=MAX_FILE_BYTES, authority=authority
    )


__all__ = ["MAX_FILE_MB", "dataset_name_problem", "import_sources", "import_uploads", "run_import"]
