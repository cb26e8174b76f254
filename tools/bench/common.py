"""What the benchmark's engines share: indicator ids in spec order, selections, result rows.

Only names and plumbing live here; each baseline computes every number its own way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from iro_metrics import codes
from iro_metrics.indicator_registry import qa_ids
from iro_metrics.indicators.themes import fixed_ids
from iro_metrics.periods import Period, parse_period

# The fixed indicators, in spec order, as the registry declares them (each theme module's IDS): an
# indicator the baselines do not compute shows up as "only ours has" in run.compare_results.
FIXED_INDICATORS: tuple[str, ...] = fixed_ids()

RESULT_SCHEMA = {"indicator": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64}


def qa_indicator_ids() -> list[str]:
    """qa_<item>_adequate_pct and qa_<item>_good_pct for every QA item, in code-list order."""
    return list(qa_ids())


def survey_pairs_order(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(survey, question) pairs in code-list order (unknown questions last, alphabetically)."""
    surveys, questions = list(codes.SURVEYS), list(codes.SURVEY_QUESTIONS)

    def key(pair: tuple[str, str]) -> tuple[int, int, str]:
        s, q = pair
        return (
            surveys.index(s) if s in surveys else len(surveys),
            questions.index(q) if q in questions else len(questions),
            q,
        )

    return sorted(set(pairs), key=key)


@dataclass(frozen=True)
class BenchSelection:
    """The bench's own selection for its baselines: a period, some areas (empty = all) and a cohort."""

    period: Period
    areas: tuple[str, ...] = ()
    cohort: str = "all"

    @classmethod
    def of(cls, period: str | Period, areas: Sequence[str] | None = None, cohort: str = "all") -> BenchSelection:
        """Build a selection from a period label or Period, areas (None = all) and a cohort."""
        if cohort not in codes.COHORTS:
            raise ValueError(f"cohort must be one of {', '.join(codes.COHORTS)}, not {cohort!r}")
        p = parse_period(period) if isinstance(period, str) else period
        return cls(p, tuple(areas or ()), cohort)

    @property
    def key(self) -> str:
        """A short readable key, e.g. '2024-25-Q4|all areas|all'."""
        where = "all areas" if not self.areas else ",".join(self.areas)
        return f"{self.period.label}|{where}|{self.cohort}"


def result_frame(rows: list[tuple[str, float | None, float | None, float | None]]) -> pl.DataFrame:
    """The tidy result: indicator, value, numerator, denominator (floats, null = no value)."""
    clean = [
        (i, *(None if x is None else float(x) for x in (v, n, d)))  # numpy scalars -> float
        for i, v, n, d in rows
    ]
    return pl.DataFrame(clean, schema=RESULT_SCHEMA, orient="row")


def ratio(numerator: float | None, denominator: float | None, scale: float = 100.0) -> float | None:
    """scale * numerator / denominator, or None for a zero or missing denominator."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return scale * float(numerator) / float(denominator)


def table_path(folder: Path, table: str) -> Path:
    return Path(folder) / f"{table}.parquet"
