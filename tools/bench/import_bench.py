"""The import step of the benchmark: a county-sized and a national-sized SSDA903 return imported
from CSV and from the DfE's XML, each in its own process so that its peak memory is its own.

The county return is the shipped synthetic Kent (about 1e5 rows over the Header, Episodes,
Reviews and UASC tables); the national one is generated once (about 2e6 rows) and cached with
the benchmark's other datasets. Targets (issue 22): county under 5 s; national under 30 s of CPU
from CSV and 45 s from XML on two cores; the importing process under the import's memory limit
(``importer.sandbox.MEMORY_LIMIT_BYTES``, 1.5 GB resident). Speed is reported, never asserted.

``python -m tools.bench.import_bench [--scale county|national|both]`` runs this step alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from iro_metrics.dataset import load_dataset
from tools.bench import national

CORE_FILES = ("header.csv", "episodes.csv", "reviews.csv", "uasc.csv")
IMPORT_SCALES: dict[str, national.Scale | None] = {
    "county": None,  # the shipped dataset in data/
    "national": national.Scale("import-national", 52_000, 150, 6, 2019),
}
TARGET_SECONDS = {("county", "CSV"): 5.0, ("county", "XML"): 5.0, ("national", "CSV"): 30.0, ("national", "XML"): 45.0}


def _source_dataset(scale: str) -> Path:
    spec = IMPORT_SCALES[scale]
    if spec is None:
        return Path(__file__).resolve().parents[2] / "data"
    return national.ensure_dataset(spec)


def write_csv_return(dataset_folder: Path, out: Path) -> list[Path]:
    """The dataset's four core 903 tables as CSV files in ``out``."""
    from iro_metrics.importer import export_903

    written = export_903(load_dataset(dataset_folder), out)
    for path in written:
        if path.name not in CORE_FILES:
            path.unlink()
    return [out / name for name in CORE_FILES]


def _element(tag: str, column: str) -> pl.Expr:
    value = pl.col(column)
    return pl.when(value.is_null()).then(pl.lit(f"<{tag} />")).otherwise(pl.format(f"<{tag}>{{}}</{tag}>", value))


def write_xml_return(csv_folder: Path, path: Path) -> Path:
    """The same return as the DfE's XML (one <CHILD> per child), built with Polars string expressions."""

    def read(name: str) -> pl.DataFrame:
        return pl.read_csv(csv_folder / name, infer_schema=False)

    header, episodes, reviews, uasc = (read(name) for name in CORE_FILES)
    review_text = reviews.group_by("CHILD").agg(
        pl.concat_str(
            pl.lit("<AREVIEW>"),
            _element("REVIEW", "REVIEW"),
            _element("REVIEW_CODE", "REVIEW_CODE"),
            pl.lit("</AREVIEW>"),
        )
        .str.join("\n")
        .alias("_reviews")
    )
    episode_tags = [("DECOM", "DECOM"), ("RNE", "RNE"), ("LS", "LS"), ("CIN", "CIN"), ("PL", "PLACE")]
    episode_tags += [("PLACE_PROVIDER", "PLACE_PROVIDER"), ("DEC", "DEC"), ("REC", "REC")]
    episode_text = episodes.group_by("CHILD").agg(
        pl.concat_str(pl.lit("<EPISODE>"), *[_element(t, c) for t, c in episode_tags], pl.lit("</EPISODE>"))
        .str.join("\n")
        .alias("_episodes")
    )
    uasc_text = uasc.select("CHILD", pl.concat_str(pl.lit("<UASC>1</UASC>"), _element("DUC", "DUC")).alias("_uasc"))
    children = (
        header.join(uasc_text, on="CHILD", how="left")
        .join(review_text, on="CHILD", how="left")
        .join(episode_text, on="CHILD", how="left")
        .sort("CHILD")
        .select(
            pl.concat_str(
                pl.lit("<CHILD>\n<HEADER>"),
                _element("CHILDID", "CHILD"),
                _element("SEX", "SEX"),
                _element("DOB", "DOB"),
                _element("ETHNIC", "ETHNIC"),
                pl.col("_uasc").fill_null("<UASC />"),
                pl.lit("\n"),
                pl.col("_reviews").fill_null(""),
                pl.lit("\n</HEADER>\n"),
                pl.col("_episodes").fill_null(""),
                pl.lit("\n</CHILD>"),
            ).alias("_child")
        )
    )
    body = "\n".join(children.get_column("_child").to_list())
    path.write_text(
        f"<?xml version='1.0' encoding='us-ascii'?>\n<EXPSSDA903>\n{body}\n</EXPSSDA903>\n", encoding="ascii"
    )
    return path


def _peak_memory_mb() -> float:
    """This process's peak resident memory: VmHWM (reset by exec, unlike ru_maxrss, which a process
    started by a large parent inherits), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(files: list[Path], out: Path) -> dict[str, object]:
    """Import the files (read from disk inside the timing) and report seconds, peak memory and outcome."""
    from iro_metrics.importer import import_sources

    start, cpu_start = time.perf_counter(), time.process_time()
    sources = [(p.name, p.read_bytes()) for p in files]
    report = import_sources(sources, out, date.today())
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = _peak_memory_mb()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_memory_mb": peak_mb,
        "imported": report.ok,
        "errors": report.n_errors,
        "warnings": report.n_warnings,
        "rows": sum(report.table_rows.values()),
    }


def _run_worker(files: list[Path], out: Path) -> dict[str, object]:
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        command = [sys.executable, "-m", "tools.bench.import_bench", "--worker", result.name, "--out", str(out)]
        done = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return {"failed": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
        return json.loads(Path(result.name).read_text())


def measure(scales: tuple[str, ...] = ("county", "national")) -> list[dict[str, object]]:
    """Import each scale's return from CSV and from XML; print and return one row per run."""
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="iro-import-bench-") as tmp:
        for scale in scales:
            folder = Path(tmp) / scale
            csv_files = write_csv_return(_source_dataset(scale), folder / "csv")
            xml_file = write_xml_return(folder / "csv", folder / "return.xml")
            source_rows = sum(pl.scan_csv(p, infer_schema=False).select(pl.len()).collect().item() for p in csv_files)
            for form, files in (("CSV", csv_files), ("XML", [xml_file])):
                result = _run_worker(files, folder / f"out-{form}")
                rows.append({"scale": scale, "form": form, "source_rows": source_rows, **result})
    print("\nImport (903 Header, Episodes, Reviews, UASC; read, checked, built and written)")
    from iro_metrics.importer.sandbox import MEMORY_LIMIT_BYTES

    limit_mb = MEMORY_LIMIT_BYTES / 1024**2
    print(f"{'scale':<10}{'form':<6}{'rows':>12}{'seconds':>10}{'CPU s':>8}{'target':>9}{'peak MB':>10}  outcome")
    for row in rows:
        if "failed" in row:
            print(f"{row['scale']:<10}{row['form']:<6}{row['source_rows']:>12,}  failed: {row['failed']}")
            continue
        outcome = "imported" if row["imported"] else f"refused ({row['errors']} errors)"
        print(
            f"{row['scale']:<10}{row['form']:<6}{row['source_rows']:>12,}{row['seconds']:>10.1f}{row['cpu_seconds']:>8.1f}"
            f"{TARGET_SECONDS[(str(row['scale']), str(row['form']))]:>8.0f}s{row['peak_memory_mb']:>10,.0f}  {outcome}"
        )
    print(f"(target: CPU seconds; peak resident memory against the import's limit of {limit_mb:,.0f} MB)")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench.import_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["county", "national", "both"], default="both")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        args.worker.write_text(json.dumps(worker(args.files, args.out)))
        return 0
    measure(("county", "national") if args.scale == "both" else (args.scale,))
    return 0


if __name__ == "__main__":
    sys.exit(main())
