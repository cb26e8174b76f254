"""Quality assurance: each graded item, adequate-or-better and good-or-better."""

from __future__ import annotations

import polars as pl

from iro_metrics.codes import QA_ADEQUATE_OR_BETTER, QA_GOOD_OR_BETTER, QA_ITEMS
from iro_metrics.indicators._engine import Request, null_measures, percent, tidy


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
    item = pl.col("item")
    aggregations = []
    measures = []
    for code in QA_ITEMS:
        of_item = item == code
        aggregations += [
            (of_item & grade.is_in(QA_ADEQUATE_OR_BETTER)).sum().alias(f"{code}__adequate"),
            (of_item & grade.is_in(QA_GOOD_OR_BETTER)).sum().alias(f"{code}__good"),
            of_item.sum().alias(f"{code}__graded"),
        ]
        measures += [
            percent(adequate_id(code), f"{code}__adequate", f"{code}__graded"),
            percent(good_id(code), f"{code}__good", f"{code}__graded"),
        ]
    aggregate = (
        request.in_periods(request.ds.table("qa_grades"), "audit_date").group_by(request.group).agg(aggregations)
    )
    return [tidy(request, aggregate, measures)]
