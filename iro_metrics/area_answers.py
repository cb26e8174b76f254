"""The Areas page's answers: areas in order with the worst one named, slips ordered by severity,
and how an indicator is judged in plain words.

Streamlit-free; the page draws what these return.
"""

from __future__ import annotations

import polars as pl

from iro_metrics.catalogue import Catalogue, IndicatorMeta, format_value

SEVERITY = {"poor": 0, "improvement required": 1}


def judging_words(meta: IndicatorMeta) -> str:
    """How an indicator is judged, in plain words for either direction.

    'Higher is better: good at 95.0% or more, poor below 90.0%.' / 'Lower is better: good at 5.0%
    or less, poor above 10.0%.' / 'No better or worse direction is defined.'
    """
    if meta.polarity == "none":
        return "No better or worse direction is defined."
    higher = meta.polarity == "higher"
    parts = []
    if meta.target is not None:
        parts.append(f"good at {format_value(meta, meta.target)} or {'more' if higher else 'less'}")
    if meta.floor is not None:
        parts.append(f"poor {'below' if higher else 'above'} {format_value(meta, meta.floor)}")
    head = "Higher is better" if higher else "Lower is better"
    return f"{head}: {', '.join(parts)}." if parts else f"{head}."


def areas_in_order(by_area: pl.DataFrame, meta: IndicatorMeta) -> pl.DataFrame:
    """One indicator's areas, best first and worst last, with the worst flagged.

    ``by_area`` has columns area and value (others are kept). Best means highest for
    higher-is-better, lowest for lower-is-better; with no direction, highest first and no worst.
    Adds ``worst`` (True for the area(s) with the worst value). Areas without a value are left out.
    """
    valued = by_area.filter(pl.col("value").is_not_null())
    descending = meta.polarity != "lower"
    ordered = valued.sort(["value", "area"], descending=[descending, False])
    if meta.polarity == "none" or ordered.height < 2:
        return ordered.with_columns(pl.lit(False).alias("worst"))
    worst_value = ordered.get_column("value").min() if descending else ordered.get_column("value").max()
    return ordered.with_columns((pl.col("value") == worst_value).alias("worst"))


def slips_by_severity(slips: pl.DataFrame, catalogue: Catalogue) -> pl.DataFrame:
    """'Where performance slips' rows, most severe first: poor before improvement required, then by
    how far the area is from the target (in the indicator's unit), then by title and area.

    Adds ``gap`` (distance from the target, positive = short of it) and ``gap_text`` ('12.3 points
    short of the 95.0% target').
    """
    gaps, texts = [], []
    for indicator, value in slips.select("indicator", "value").iter_rows():
        meta = catalogue.get(indicator)
        if meta is None or meta.target is None or value is None:
            gaps.append(None)
            texts.append("–")
            continue
        gap = (meta.target - value) if meta.polarity == "higher" else (value - meta.target)
        unit = " points" if meta.unit == "pct" else ""
        gaps.append(gap)
        texts.append(f"{gap:,.{meta.decimals}f}{unit} short of the {format_value(meta, meta.target)} target")
    return (
        slips.with_columns(
            pl.Series("gap", gaps, dtype=pl.Float64),
            pl.Series("gap_text", texts, dtype=pl.String),
            pl.col("rating").replace_strict(SEVERITY, default=2, return_dtype=pl.Int8).alias("_severity"),
        )
        .sort(["_severity", "gap", "title", "area"], descending=[False, True, False, False], nulls_last=True)
        .drop("_severity")
    )
