"""The one sentence that opens each oversight chart (issue 25): open disputes by age, IRO caseloads."""

from __future__ import annotations

from datetime import date

import polars as pl

from iro_metrics import codes
from iro_metrics.dataset import Dataset
from iro_metrics.formatting import number_text
from iro_metrics.indicators.recorded import not_recorded


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def open_disputes_sentence(ages: pl.DataFrame, end: date) -> str | None:
    """How many formal disputes were open at ``end`` and how old (None when not recorded)."""
    if ages.get_column("count").null_count() == ages.height:
        return None
    by_band = {
        band: int(ages.filter(pl.col("age_band") == band).get_column("count").sum()) for band in codes.DISPUTE_AGE_BANDS
    }
    total = sum(by_band.values())
    if total == 0:
        return f"No formal dispute was open at {_day(end)}."
    within, middle, over = (by_band[b] for b in codes.DISPUTE_AGE_BANDS)
    noun = "formal dispute was" if total == 1 else "formal disputes were"
    return (
        f"At {_day(end)}, {number_text(total)} {noun} open: {number_text(within)} within 20 working days of being "
        f"raised, {number_text(middle)} at 21 to 40 and {number_text(over)} over 40."
    )


def caseload_sentence(caseloads: pl.DataFrame, end: date, guideline: float) -> str | None:
    """How many IROs had children allocated at ``end``, their median caseload and how many were above
    the guideline (None when allocations are not recorded or none was open)."""
    if caseloads.height == 0:
        return None
    over = int(caseloads.get_column("over_guideline").sum())
    median = float(caseloads.get_column("caseload").median())
    iros = "IRO had" if caseloads.height == 1 else "IROs had"
    above = "was" if over == 1 else "were"
    return (
        f"At {_day(end)}, {number_text(caseloads.height)} {iros} an allocation open; the median caseload was "
        f"{median:,.1f} children per FTE and {number_text(over)} {above} above the guideline of {guideline:,.0f}."
    )


def not_recorded_text(ds: Dataset, indicators: tuple[str, ...] | list[str]) -> str | None:
    """Why these indicators are not recorded and what to import, one sentence each; None if all are."""
    found = not_recorded(ds, list(indicators))
    if len(found) < len(indicators):
        return None
    return " ".join(dict.fromkeys(n.message for n in found.values()))
