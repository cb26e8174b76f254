"""Helpers shared by the table builders: problem frames, dates as text, UASC status on a date."""

from __future__ import annotations

import polars as pl

from iro_metrics.importer.formats import AREA_NOT_RECORDED
from iro_metrics.importer.readers import FILE, ROW

__all__ = ["AREA_NOT_RECORDED", "dmy", "problems_frame", "uasc_on", "with_episode_on"]


def uasc_on(date_column: str) -> pl.Expr:
    """UASC on the date: the child is in the UASC table and its status had not ceased (DUC) by then."""
    return pl.col("_in_uasc").fill_null(False) & (pl.col("DUC").is_null() | (pl.col(date_column) < pl.col("DUC")))


def dmy(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string("%d/%m/%Y")


def problems_frame(
    frame: pl.DataFrame, rule: str, column: str | None, value: pl.Expr, message: pl.Expr
) -> pl.DataFrame:
    """One problem per row of ``frame`` (which has _file and _row)."""
    return frame.select(
        pl.col(FILE).alias("file"),
        pl.col(ROW).alias("row"),
        pl.lit(column, dtype=pl.String).alias("column"),
        value.cast(pl.String).alias("value"),
        pl.lit(rule).alias("rule"),
        message.alias("message"),
    )


def with_episode_on(records: pl.DataFrame, date_column: str, episodes: pl.DataFrame) -> pl.DataFrame:
    """Records with the episode that had started latest on or before their date (its start, end, area, uasc)."""
    candidates = episodes.select(
        pl.col("CHILD"),
        pl.col("DECOM").alias("_ep_start"),
        pl.col("DEC").alias("_ep_end"),
        pl.col("area").alias("_ep_area"),
        pl.col("uasc").alias("_ep_uasc"),
    ).sort("CHILD", "_ep_start")
    dated = records.filter(pl.col(date_column).is_not_null()).sort("CHILD", date_column)
    return dated.join_asof(
        candidates, left_on=date_column, right_on="_ep_start", by="CHILD", strategy="backward", check_sortedness=False
    )
