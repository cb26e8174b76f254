"""Quality assurance: each graded item, adequate-or-better and good-or-better."""

from __future__ import annotations

import polars as pl

from iro_metrics.codes import QA_ADEQUATE_OR_BETTER, QA_GOOD_OR_BETTER
from iro_metrics.indicator_registry import qa_ids, qa_indicator_id_expr
from iro_metrics.indicators._engine import Request, null_measures, tidy_long

IDS: tuple[str, ...] = ()  # every id of this theme is a QA pair: registry.qa_ids()
SOURCES: dict[str, tuple[str, ...]] = {}  # the QA pairs need qa_grades (recorded.FAMILY_SOURCES)


def compute(request: Request) -> list[pl.LazyFrame]:
    """Tidy rows for both indicators of every QA item in the code list."""
    if not request.ds.has_table("qa_grades"):
        return [null_measures(request, qa_ids())]
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
                indicator=qa_indicator_id_expr(pl.col("item"), pl.lit(kind)),
                numerator=pl.col(kind),
                denominator=pl.col("graded"),
            )
            for kind in ("adequate", "good")
        ]
    )
    return [tidy_long(request, long, qa_ids(), 100.0)]
