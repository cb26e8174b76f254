"""Command line: ``python -m iro_metrics <command> ...``.

Commands: ``indicators`` (every indicator for a selection, as CSV or JSON), ``briefing`` (a
committee paper as .docx or .md), ``import`` (SSDA903 returns and templates into a dataset),
``benchmarks add`` (newer DfE files for "How we compare"), ``benchmarks show`` (the comparison as CSV or JSON) and ``catalogue``. The synthetic
dataset and the benchmark are developer tools: ``python -m tools.synthetic`` and ``python -m tools.bench``.
Errors print one line on standard error and exit with status 2 (1 for an import that found errors).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from iro_metrics.benchmarks import BenchmarkFileError, add_files
from iro_metrics.benchmarks import compare as benchmark_compare
from iro_metrics.benchmarks.store import DATA_DIR
from iro_metrics.briefing.batch import write_each_area
from iro_metrics.briefing.build import write_briefing
from iro_metrics.catalogue import catalogue_markdown
from iro_metrics.dataset import DatasetError, load_dataset
from iro_metrics.importer import run_import, run_limited
from iro_metrics.indicators import compute_indicators
from iro_metrics.indicators.recorded import not_recorded
from iro_metrics.selection import Selection, SelectionError, parse_cohort

USAGE_ERROR = 2


class CommandError(Exception):
    """A problem to report in one line, then exit with ``status``."""

    def __init__(self, message: str, status: int = USAGE_ERROR):
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CommandError(f"{self.prog}: {message}")


def _number(value: float | None) -> str | float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() else value


def _load(folder: str):
    path = Path(folder)
    if not path.is_dir():
        raise CommandError(f"no dataset folder at {path}")
    try:
        return load_dataset(path)
    except DatasetError as err:
        first = str(err.problems[0]) if err.problems else "it cannot be read"
        more = f" (and {len(err.problems) - 1} more problem(s))" if len(err.problems) > 1 else ""
        raise CommandError(f"the dataset in {path} cannot be used: {first}{more}") from err


def _selection(args: argparse.Namespace):
    """The checked selection the arguments name (--data, --period, --area, --cohort)."""
    ds = _load(args.data)
    try:
        return Selection.of(ds, args.period, args.area, args.cohort)
    except SelectionError as err:
        raise CommandError(str(err)) from err


def cmd_indicators(args: argparse.Namespace) -> int:
    selection = _selection(args)
    frame = compute_indicators(selection)
    # Not recorded is not zero: those values are printed empty, and standard error says why.
    missing = not_recorded(selection.ds, frame["indicator"].to_list(), selection.cohort, selection.period.end)
    by_message: dict[str, list[str]] = {}
    for item in missing.values():
        by_message.setdefault(item.message, []).append(item.indicator)
    for message, ids in by_message.items():
        shown = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")
        print(f"{shown}: {message}", file=sys.stderr)
    rows = [
        {
            "indicator": indicator,
            "value": _number(value),
            "numerator": _number(numerator),
            "denominator": _number(denominator),
        }
        for indicator, value, numerator, denominator in frame.iter_rows()
    ]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(
            sys.stdout, fieldnames=["indicator", "value", "numerator", "denominator"], lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    if args.each_area and args.area:
        raise CommandError("--each-area writes the whole council and every area: leave out --area")
    if args.annual and (args.period or args.each_area):
        raise CommandError("--annual YEAR names the report's year: leave out --period and --each-area")
    if not args.annual and not args.period:
        raise CommandError("give --period (a quarterly paper) or --annual YEAR (the annual IRO report)")
    if args.annual:
        args.period = args.annual
    selection = _selection(args)
    if args.annual and selection.period.kind != "year":
        raise CommandError(f"--annual takes a financial year such as 2015-16, not '{args.annual}'")
    out = Path(args.out)
    try:
        if args.each_area:
            written = write_each_area(selection, out, args.threshold, args.format)
            print(f"Wrote {len(written)} files to {out}")
            return 0
        write_briefing(selection, out, threshold=args.threshold, kind="annual" if args.annual else "quarterly")
    except ValueError as err:
        raise CommandError(str(err)) from err
    print(f"Wrote {out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    files = [Path(f) for f in args.files]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise CommandError(f"no such file or folder: {', '.join(missing)}")
    if args.report and Path(args.report).suffix.lower() not in (".csv", ".json"):
        raise CommandError("--report must name a .csv or .json file")
    authority = None
    if args.authority:
        try:
            old, new, _name = benchmark_compare.shipped_benchmarks().find_authority(args.authority)
        except ValueError as err:
            raise CommandError(str(err)) from err
        authority = (old, new)
    # a child process under memory and time limits (issue 22): a hostile file ends it, not this process
    report = run_limited(run_import, files, Path(args.out), strict=args.strict, authority=authority)
    print(report.format_text())
    if report.ok and authority:  # issue 26: say when the data does not fit the council named
        for warning in benchmark_compare.import_warnings(Path(args.out)):
            print(f"warning: {warning}")
    if args.report:
        report.write(Path(args.report))
        print(f"Wrote the full report ({report.frame.height:,} problem(s)) to {args.report}")
    return 0 if report.ok else 1


def cmd_benchmarks_add(args: argparse.Namespace) -> int:
    folder = Path(args.folder) if args.folder else DATA_DIR
    try:
        added = add_files([Path(f) for f in args.files], folder)
    except BenchmarkFileError as err:
        print(f"error: nothing was added. {len(err.problems)} problem(s):", file=sys.stderr)
        for line in err.problems:
            print(f"  - {line}", file=sys.stderr)
        return 1
    for item in added:
        print(f"Added {item.source} as {item.stored_as} ({item.kind}, {item.years}, {item.rows:,} figures)")
    return 0


def cmd_benchmarks_show(args: argparse.Namespace) -> int:
    try:
        comparison = benchmark_compare.how_we_compare(
            load_dataset(Path(args.data)), year=benchmark_compare.parse_year(args.year) if args.year else None
        )
    except ValueError as err:
        raise CommandError(str(err)) from err
    if comparison.message:
        raise CommandError(comparison.message)
    if not comparison.measures:
        raise CommandError(f"the benchmark files hold no figures up to {args.year}")
    for warning in comparison.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(benchmark_compare.comparison_json(comparison) + "\n")
    else:
        sys.stdout.write(benchmark_compare.comparison_table(comparison).write_csv())
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    sys.stdout.write(catalogue_markdown())
    return 0


def _cohort(value: str) -> str:
    try:
        return parse_cohort(value)
    except SelectionError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _selection_arguments(sub: argparse.ArgumentParser, period_required: bool = True) -> None:
    sub.add_argument("--data", required=True, help="the dataset folder (e.g. data)")
    sub.add_argument("--period", required=period_required, help="a financial year (2013-14) or quarter (2013-14-Q4)")
    sub.add_argument("--area", action="append", help="an area to include; repeat for several (default: all)")
    sub.add_argument("--cohort", type=_cohort, default="all", help="all, uasc or citizen (default: all)")


def _add_indicators(commands: argparse._SubParsersAction) -> None:
    indicators = commands.add_parser("indicators", help="every indicator for a selection")
    _selection_arguments(indicators)
    indicators.add_argument("--format", choices=["csv", "json"], default="csv")
    indicators.set_defaults(run=cmd_indicators)


def _add_briefing(commands: argparse._SubParsersAction) -> None:
    briefing = commands.add_parser("briefing", help="a committee paper as .docx, .md or .csv (its figures)")
    _selection_arguments(briefing, period_required=False)
    briefing.add_argument(
        "--annual", metavar="YEAR", help="the annual IRO report (IRO Handbook ch. 7) for a financial year, e.g. 2015-16"
    )
    briefing.add_argument("--out", required=True, help="FILE.docx, FILE.md or FILE.csv; with --each-area, a folder")
    briefing.add_argument(
        "--each-area", action="store_true", help="write the whole-council paper and one per area into --out"
    )
    briefing.add_argument(
        "--format", choices=["docx", "md", "csv"], default="docx", help="with --each-area: each paper's format"
    )
    briefing.add_argument(
        "--threshold", type=int, default=4, help="suppress counts from 1 to this below council level (default 4)"
    )
    briefing.set_defaults(run=cmd_briefing)


def _add_import(commands: argparse._SubParsersAction) -> None:
    importer = commands.add_parser("import", help="SSDA903 returns and templates into a dataset")
    importer.add_argument("--out", required=True, help="the dataset folder to write (replaced only on success)")
    importer.add_argument(
        "--authority", help="which council the data is: its DfE code (886), ONS code (E10000016) or name"
    )
    importer.add_argument(
        "--strict", action="store_true", help="refuse on any error (default: set aside the records with errors)"
    )
    importer.add_argument("--report", help="write every problem to FILE.csv or FILE.json")
    importer.add_argument("files", nargs="+", help="903 tables and templates: CSV, XML or .xlsx files, folders, .zip")
    importer.set_defaults(run=cmd_import)


def _add_benchmarks(commands: argparse._SubParsersAction) -> None:
    benchmarks = commands.add_parser("benchmarks", help="the DfE's published figures for comparison")
    benchmark_commands = benchmarks.add_subparsers(dest="benchmarks_command", required=True, parser_class=_Parser)
    add = benchmark_commands.add_parser("add", help="add newer DfE files (checked first; nothing added on error)")
    add.add_argument("--folder", help="the benchmark folder (default: the one shipped with the package)")
    add.add_argument("files", nargs="+", help="DfE explore-education-statistics CSVs or a statistical-neighbour model")
    add.set_defaults(run=cmd_benchmarks_add)
    show = benchmark_commands.add_parser("show", help="How we compare: the council against England, region, neighbours")
    show.add_argument("--data", required=True, help="the dataset folder (e.g. data)")
    show.add_argument("--year", help="the reporting year, e.g. 2024-25 (default: the latest both cover)")
    show.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    show.set_defaults(run=cmd_benchmarks_show)


def build_parser() -> argparse.ArgumentParser:
    """The command line: one sub-command per job (indicators, briefing, import, benchmarks, catalogue)."""
    parser = _Parser(prog="python -m iro_metrics", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_indicators(commands)
    _add_briefing(commands)
    _add_import(commands)
    _add_benchmarks(commands)
    catalogue = commands.add_parser("catalogue", help="every indicator's meaning, as Markdown")
    catalogue.set_defaults(run=cmd_catalogue)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; return its exit status."""
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except CommandError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.status
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
