"""The shipped benchmark folder: load every DfE file in it, and add a council's newer downloads.

A later publication revises earlier years, so where two files of the same kind hold the same
measure, year and place, the file reaching the later year wins (then the later file name). Adding
files checks every one first and writes nothing unless all are good; each is then copied in under
a name that says its kind and years, replacing only an older copy of the same name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from iro_metrics.benchmarks.read import (
    BENCHMARK_SCHEMA,
    NEIGHBOUR_SCHEMA,
    BenchmarkFileError,
    model_year,
    read_file,
)

DATA_DIR = Path(__file__).parent / "data"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0; "
    "source: Department for Education."
)


@dataclass
class Benchmarks:
    """Every published figure (BENCHMARK_SCHEMA) and the latest statistical-neighbour model."""

    figures: pl.DataFrame
    neighbours: pl.DataFrame
    files: list[str] = field(default_factory=list)

    def years(self) -> list[int]:
        return sorted(self.figures["year"].unique().to_list())

    def authorities(self) -> pl.DataFrame:
        """Every authority named in the figures: la_code_old, la_code_new, name, region, sorted by name."""
        return (
            self.figures.filter(pl.col("level") == "la")
            .sort("year", descending=True)
            .unique(subset=["code"], keep="first")
            .select(
                la_code_old="code",
                la_code_new="la_code_new",
                name="name",
                region_code="region_code",
                region_name="region_name",
            )
            .sort("name", "la_code_old")
        )

    def find_authority(self, text: str) -> tuple[str, str | None, str]:
        """(old code, new code, name) of the authority ``text`` names: its old code (886), new code
        (E10000016) or name (Kent, any case). Raises ValueError naming what was not found."""
        wanted = text.strip()
        authorities = self.authorities()
        match = authorities.filter(
            (pl.col("la_code_old") == wanted)
            | (pl.col("la_code_new").str.to_uppercase() == wanted.upper())
            | (pl.col("name").str.to_lowercase() == wanted.lower())
        )
        if match.height != 1:
            raise ValueError(
                f"'{text}' is not an authority in the benchmark files: give its three-digit code (Kent: 886), "
                f"its ONS code (E10000016) or its name as the DfE writes it ({authorities.height} authorities)"
            )
        old, new, name = match.select("la_code_old", "la_code_new", "name").row(0)
        return old, new, name

    def authority_choices(self) -> dict[str, str]:
        """'Kent (886)' -> '886' for every authority, sorted by name: for a select box."""
        return {f"{name} ({old})": old for old, name in self.authorities().select("la_code_old", "name").iter_rows()}

    def neighbours_of(self, la_code_old: str) -> list[str]:
        """The authority's statistical neighbours (old codes), closest first."""
        return self.neighbours.filter(pl.col("la_code_old") == la_code_old).sort("rank")["neighbour_code_old"].to_list()


def _csv_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.csv") if p.is_file())


def load_benchmarks(folder: Path | str = DATA_DIR) -> Benchmarks:
    """Read every DfE file in ``folder``; raise BenchmarkFileError for the first that is bad."""
    folder = Path(folder)
    figures: list[pl.DataFrame] = []
    models: list[pl.DataFrame] = []
    names = []
    for path in _csv_files(folder):
        kind, frame = read_file(path)
        names.append(path.name)
        if kind == "neighbours":
            models.append(frame)
            continue
        last_year = frame["year"].max()
        figures.append(frame.with_columns(_rank=pl.lit(last_year), _file=pl.lit(path.name)))
    if figures:
        combined = (
            pl.concat(figures)
            .sort("_rank", "_file", descending=True)
            .unique(subset=["measure", "year", "level", "code"], keep="first")
            .drop("_rank", "_file")
            .sort("measure", "year", "level", "code")
        )
    else:
        combined = pl.DataFrame(schema=BENCHMARK_SCHEMA)
    if models:
        latest = max(m["model_year"].max() for m in models)
        neighbours = pl.concat(models).filter(pl.col("model_year") == latest).unique().sort("la_code_old", "rank")
    else:
        neighbours = pl.DataFrame(schema=NEIGHBOUR_SCHEMA)
    return Benchmarks(combined, neighbours, names)


def stored_name(kind: str, frame: pl.DataFrame, source: Path) -> str:
    """The name a checked file is kept under: its kind and the years it covers."""
    if kind == "neighbours":
        return f"sn_model_{model_year(source)}_wide.csv"
    first, last = frame["year"].min(), frame["year"].max()
    return f"{kind}_{first}-{last}.csv" if first != last else f"{kind}_{last}.csv"


@dataclass(frozen=True)
class AddedFile:
    source: str
    stored_as: str
    kind: str
    years: str
    rows: int


def add_files(files: Sequence[Path | str], folder: Path | str = DATA_DIR) -> list[AddedFile]:
    """Check every file, then copy each into ``folder``; on any problem nothing is written.

    Raises BenchmarkFileError (all problems of every bad file together) or FileNotFoundError.
    """
    folder = Path(folder)
    checked: list[tuple[Path, str, pl.DataFrame]] = []
    problems: list[str] = []
    for file in map(Path, files):
        if not file.is_file():
            problems.append(f"{file}: no such file")
            continue
        try:
            kind, frame = read_file(file)
        except BenchmarkFileError as err:
            problems.extend(err.problems)
            continue
        checked.append((file, kind, frame))
    names = [stored_name(kind, frame, file) for file, kind, frame in checked]
    repeated = sorted({n for n in names if names.count(n) > 1})
    problems.extend(f"two of the files given would both be stored as {n}; give one of them" for n in repeated)
    if problems:
        raise BenchmarkFileError(Path(files[0]) if files else folder, problems)

    folder.mkdir(parents=True, exist_ok=True)
    added = []
    for (file, kind, frame), name in zip(checked, names, strict=True):
        # Copy beside the target, then rename over it: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".adding-", suffix=".csv")
        os.close(handle)
        try:
            shutil.copyfile(file, temporary)
            os.replace(temporary, folder / name)
        finally:
            Path(temporary).unlink(missing_ok=True)
        if kind == "neighbours":
            years = str(frame["model_year"].max())
        else:
            years = f"{frame['year'].min()}-{frame['year'].max()}"
        added.append(AddedFile(str(file), name, kind, years, frame.height))
    return added


def add_uploaded_files(uploads: Sequence[tuple[str, bytes]], folder: Path | str = DATA_DIR) -> list[AddedFile]:
    """``add_files`` for files given as (name, content), e.g. uploads: read from a temporary folder."""
    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for name, content in uploads:
            path = Path(scratch) / Path(name).name
            path.write_bytes(content)
            paths.append(path)
        added = add_files(paths, folder)
    return [AddedFile(Path(a.source).name, a.stored_as, a.kind, a.years, a.rows) for a in added]
