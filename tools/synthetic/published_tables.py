"""Published figures read straight from a dataset: the disputes table by category and level,
consultation answers, and the few facts no indicator covers (staying put, IRO posts, shares).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from iro_metrics.dataset import Dataset
from iro_metrics.periods import Period, parse_period
from tools.synthetic.published_rows import DISPUTE_CATEGORY_NAMES, STATUS_INDICATOR, TEAMS, Row

if TYPE_CHECKING:
    from tools.synthetic.published import Calculator


def answer_share(ds: Dataset, question: str, answer: str, first: date, last: date) -> float:
    """The percentage of consultation answers to ``question`` that were ``answer`` between two days."""
    frame = (
        ds.table("survey_responses")
        .filter(
            (pl.col("survey") == "consultation")
            & (pl.col("question") == question)
            & pl.col("response_date").is_between(first, last)
        )
        .select((pl.col("answer") == answer).mean() * 100)
        .collect()
    )
    return float(frame.item())


def dispute_table_reading(calc: Calculator, name: str, period: str):
    """A figure of the 2015-16 disputes table (by category and level), from ``disputes_by_category_level``."""
    rest = name.removeprefix("dispute_resolutions_")
    table = calc.disputes(period)
    if rest == "total_share_pct":
        return (STATUS_INDICATOR, "sum of category shares of disputes_formal", lambda: 100.0, "")
    if rest.startswith("level") and rest.endswith("_total_count"):
        level = int(rest.removeprefix("level").removesuffix("_total_count"))
        return (
            STATUS_INDICATOR,
            f"disputes_by_category_level, level {level}",
            lambda: float(table.filter(pl.col("level") == level)["count"].sum()),
            "",
        )
    for published, category in DISPUTE_CATEGORY_NAMES.items():
        if not rest.startswith(published + "_"):
            continue
        what = rest.removeprefix(published + "_")
        rows = table.filter(pl.col("category") == category)
        if what.startswith("level") and what.endswith("_count"):
            level = int(what.removeprefix("level").removesuffix("_count"))
            return (
                STATUS_INDICATOR,
                f"disputes_by_category_level {category} level {level}",
                lambda rows=rows, level=level: float(rows.filter(pl.col("level") == level)["count"].sum()),
                "",
            )
        if what == "total_count":
            return (
                STATUS_INDICATOR,
                f"disputes_by_category_level {category}, all levels",
                lambda rows=rows: float(rows["count"].sum()),
                "",
            )
        if what == "share_pct":
            return (
                STATUS_INDICATOR,
                f"disputes_by_category_level {category} / disputes_formal",
                lambda rows=rows: 100 * rows["count"].sum() / table["count"].sum(),
                "",
            )
    return None


def table_reading(calc: Calculator, row: Row, period: str):
    """Facts no indicator covers, counted straight from the tables."""
    ds = calc.ds
    span = parse_period(period)
    name = row.indicator
    if name == "staying_put_arrangements_count":
        return (
            "episodes ending in the year with reason_ceased E17 (staying put)",
            lambda: float(
                ds.table("episodes")
                .filter((pl.col("reason_ceased") == "E17") & pl.col("end_date").is_between(span.start, span.end))
                .collect()
                .height
            ),
            "",
        )
    if name in ("iro_establishment_count", "iro_shared_post_count", "iro_posts_filled_by_agency_count"):
        column = "fte_agency" if name == "iro_posts_filled_by_agency_count" else "fte_establishment"
        team = TEAMS[row.area]
        return (f"iro_staffing {column} of '{team}' at {span.end}", lambda: _staffing(ds, team, column, span.end), "")
    if name == "disputes_care_plan_pathway_plan_share_pct":
        return ("disputes (formal and informal): care_plan share", lambda: _dispute_share(ds, "care_plan", span), "")
    if name == "review_attended_spoke_or_advocate_pct":
        return (
            "reviews of children over 10 coded PN1, PN2 or PN5 (lower bound: 'more than half')",
            lambda: _over_10_share(ds, span),
            "lower",
        )
    return None


def _staffing(ds: Dataset, team: str, column: str, day: date) -> float:
    frame = (
        ds.table("iro_staffing")
        .filter((pl.col("team") == team) & (pl.col("month_end") <= day))
        .sort("month_end")
        .select(pl.col(column).last())
        .collect()
    )
    return float(frame.item())


def _dispute_share(ds: Dataset, category: str, span: Period) -> float:
    frame = (
        ds.table("disputes")
        .filter(pl.col("raised_date").is_between(span.start, span.end))
        .select((pl.col("category") == category).mean() * 100)
        .collect()
    )
    return float(frame.item())


def _over_10_share(ds: Dataset, span: Period) -> float:
    reviews = ds.table("reviews").filter(pl.col("review_date").is_between(span.start, span.end))
    children = ds.table("children").select("child_id", "date_of_birth")
    older = reviews.join(children, on="child_id").filter(
        pl.col("review_date") >= pl.col("date_of_birth").dt.offset_by("11y")
    )
    frame = older.select(pl.col("participation_code").is_in(["PN1", "PN2", "PN5"]).mean() * 100).collect()
    return float(frame.item())
