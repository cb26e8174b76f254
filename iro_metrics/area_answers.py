"""The Areas page's answers: areas in order with the worst one named, slips ordered by severity,
and how an indicator is judged in plain words.

Streamlit-free; the page draws what these return.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from iro_metrics.catalogue import Catalogue, IndicatorMeta, format_value
from iro_metrics.formatting import change_text, number_text
from iro_metrics.judgement import direction

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

    Adds ``gap`` (distance from the target, positive = short of it) and ``gap_text`` ('12.3 pts
    below 95.0%', '4.5 pts above 10.0%' for lower-is-better).
    """
    gaps, texts = [], []
    for indicator, value in slips.select("indicator", "value").iter_rows():
        meta = catalogue.get(indicator)
        if meta is None or meta.target is None or value is None:
            gaps.append(None)
            texts.append("–")
            continue
        gap = (meta.target - value) if meta.polarity == "higher" else (value - meta.target)
        unit = " pts" if meta.unit == "pct" else ""
        side = "below" if meta.polarity == "higher" else "above"
        gaps.append(gap)
        texts.append(f"{number_text(gap, meta.decimals)}{unit} {side} {format_value(meta, meta.target)}")
    return (
        slips.with_columns(
            pl.Series("gap", gaps, dtype=pl.Float64),
            pl.Series("gap_text", texts, dtype=pl.String),
            pl.col("rating").replace_strict(SEVERITY, default=2, return_dtype=pl.Int8).alias("_severity"),
        )
        .sort(["_severity", "gap", "title", "area"], descending=[False, True, False, False], nulls_last=True)
        .drop("_severity")
    )


COHORT_WORDS = {"all": "children", "uasc": "UASC", "citizen": "citizen children"}


def children_in(counts: pl.DataFrame, areas: Sequence[str], cohort: str) -> int | None:
    """Children in care in the areas chosen (all areas when none) for a cohort; None when unknown."""
    if counts.is_empty() or cohort not in COHORT_WORDS:
        return None
    chosen = counts.filter(pl.col("area").is_in(list(areas))) if areas else counts
    return int(chosen.get_column(cohort).sum()) if chosen.height else None


def _words_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def empty_combinations_text(counts: pl.DataFrame) -> str:
    """Which areas hold no UASC or no citizen children: 'no UASC in Disabled Children's Service,
    East Kent or South Kent; no citizen children in UASC Service.' ('' when every area has both)."""
    # In Python: a row per area, and two Polars queries took 3 ms of every page's rerun.
    rows = counts.select("area", "all", "uasc", "citizen").rows(named=True) if counts.height else []
    parts = []
    for cohort in ("uasc", "citizen"):
        empty = sorted(r["area"] for r in rows if r[cohort] == 0 and (r["all"] or 0) > 0 and r["area"] is not None)
        if empty:
            parts.append(f"no {COHORT_WORDS[cohort]} in {_words_list(empty)}")
    return "; ".join(parts) + "." if parts else ""


def dropped_filter_notes(
    *,
    asked_year: str | None,
    years: Sequence[str],
    asked_areas: Sequence[str],
    known_areas: Sequence[str],
    visible_areas: Sequence[str],
) -> list[str]:
    """What a link asked for that cannot be shown, why, and what is shown instead (issue 26, item 4).

    ``years`` are the financial years the dataset covers (oldest first); ``known_areas`` every area
    in the dataset; ``visible_areas`` the ones this person may see. A filter the sidebar cannot
    honour falls back (the latest year; the area left out) and says so here, never in silence.
    """
    notes: list[str] = []
    if asked_year and years and asked_year not in years:
        span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
        notes.append(
            f"The link asked for the year {asked_year}, but this dataset covers {span} only, "
            f"so the latest year, {years[-1]}, is shown instead."
        )
    known, visible = set(known_areas), set(visible_areas)
    kept = [a for a in dict.fromkeys(asked_areas) if a in visible]
    instead = _and_list(kept) if kept else "the whole council (all areas)"
    for area in dict.fromkeys(asked_areas):
        if area in visible:
            continue
        if area in known:
            own = f"{_and_list(list(visible_areas))} and the council total" if visible_areas else "the council total"
            why = f"your role lets you see {own} only"
        else:
            why = "there is no area of that name in this dataset"
        notes.append(f"The link asked for the area {area}, but {why}, so {instead} is shown instead.")
    return notes


def _and_list(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


GAP_WORDS = {
    "improving": "better than the council",
    "declining": "worse than the council",
    "unchanged": "the same as the council",
    "increased": "higher than the council",
    "decreased": "lower than the council",
}


def beside_council(area_figures: pl.DataFrame, council_figures: pl.DataFrame, catalogue: Catalogue) -> pl.DataFrame:
    """Each card's council value beside the area's, and the gap with its direction by polarity.

    Both frames hold indicator, value and display (``pages.common.figures``). Returns indicator,
    council_display, gap (area minus council), gap_direction (judgement's words: improving means
    the area is better than the council) and line, the card's sentence: "Council 20.3% · the
    area is 3.7 pts worse than the council". A count (children, reviews) is a share of the
    council, not better or worse: its line gives the council's figure only. (Issue 26, item 1.)
    """
    joined = (
        area_figures.select("indicator", "value")
        .join(
            council_figures.select(
                "indicator", pl.col("value").alias("council"), pl.col("display").alias("council_display")
            ),
            on="indicator",
            how="inner",
        )
        .sort("indicator")
    )
    gaps: list[float | None] = []
    directions: list[str | None] = []
    lines: list[str] = []
    for indicator, area, council, council_display in joined.select(
        "indicator", "value", "council", "council_display"
    ).rows():
        meta = catalogue.get(indicator)
        comparable = meta is not None and meta.unit not in ("count", "fte") and area is not None and council is not None
        gap = area - council if comparable else None
        way = direction(meta, council, area) if comparable and meta is not None else None
        gaps.append(gap)
        directions.append(way)
        line = f"Council {council_display}"
        if way == "unchanged":
            line += " · the same as the council"
        elif way is not None and gap is not None and meta is not None:
            size = change_text(abs(gap), meta.unit, meta.decimals).lstrip("+-")
            line += f" · {size} {GAP_WORDS[way]}"
        lines.append(line)
    return joined.select(
        "indicator",
        "council_display",
        pl.Series("gap", gaps, dtype=pl.Float64),
        pl.Series("gap_direction", directions, dtype=pl.String),
        pl.Series("line", lines, dtype=pl.String),
    )
