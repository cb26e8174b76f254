"""Quality assurance: each graded item, adequate-or-better and good-or-better."""

from __future__ import annotations

import polars as pl

from iro_metrics.codes import QA_ADEQUATE_OR_BETTER, QA_GOOD_OR_BETTER, QA_ITEMS
from iro_metrics.indicators._engine import Request, null_measures, tidy_long


def adequate_id(item: str) -> str:
    return f"qa_{item}_adequate_pct"


def good_id(item: str) -> str:
    return f"qa_{item}_good_pct"


IDS = tuple(i for item in QA_ITEMS for i in (adequate_id(item), good_id(item)))


def compute(request: Request) -> list[pl.LazyFrame]:
    """Tidy rows for both indicators of every QA item in the code list."""
    if not request.ds.has_table("qa_grades"):
        return [null_measures(request, IDS)]
    grade = pl.col("grade")
    per_item = (
        request.events("qa_grades")
        .group_by(*request.group, "item")
        .agg(
            adequate=grade.is_in(QA_ADEQUATE_OR_BETTER).sum(),
            good=grade.is_in(QA_GOOD_OR_BETTER).sum(),
            graded=pl.len(),
        )
    )
    long = pl.concat(
        [
            per_item.select(
                *request.group,
                indicator=pl.format("qa_{}_{}_pct", pl.col("item"), pl.lit(kind)),
                numerator=pl.col(kind),
                denominator=pl.col("graded"),
            )
            for kind in ("adequate", "good")
        ]
    )
    return [tidy_long(request, long, IDS, 100.0)]
