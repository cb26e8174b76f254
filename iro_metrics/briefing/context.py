"""What every section of a paper shares: the selection, the catalogue, and the chosen period's,
the previous period's and last year's figures with their suppression flags.

Suppression comes from the period's disclosure table (``period_table``), decided once for the
whole table of areas x cohorts, so every paper, chart and download of a period agrees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import polars as pl

from iro_metrics.briefing.bands import Band
from iro_metrics.briefing.disclosure import MARKER, below_council_level, footnote
from iro_metrics.briefing.model import BriefingTable
from iro_metrics.briefing.period_table import (
    PeriodTable,
    by_area_frames,
    dataset_areas,
    flag_suppressed,
    period_table,
    period_tables,
)
from iro_metrics.briefing.teams import hide_team_caseloads
from iro_metrics.briefing.wording import Comparison, format_figure, indicator_sentence
from iro_metrics.catalogue import UNIT_LABELS, Catalogue, IndicatorMeta
from iro_metrics.formatting import number_text, period_text
from iro_metrics.indicators import compute_indicators, indicator_trend, indicators_by_area
from iro_metrics.indicators.recorded import NotRecorded, not_recorded
from iro_metrics.indicators.workload import caseload_is_whole_service, caseload_scope
from iro_metrics.judgement import rag
from iro_metrics.periods import Period, parse_period, previous_period, same_period_last_year
from iro_metrics.selection import Selection, data_periods

TREND_PERIODS = 8  # quarters (or years) of history in the trend charts
TREND_INDICATORS: tuple[str, ...] = ("children_in_care", "participation_pct", "reviews_on_time_pct")
STAFFING_FIGURES: tuple[str, ...] = (
    "iro_fte_establishment",
    "iro_fte_in_post",
    "caseload_per_establishment_fte",
    "caseload_per_fte_in_post",
)
CASELOADS: tuple[str, ...] = ("caseload_per_establishment_fte", "caseload_per_fte_in_post")


def blank_not_recorded(frame: pl.DataFrame, found: dict[str, NotRecorded]) -> pl.DataFrame:
    """An indicator frame with no value for any figure whose source the dataset does not record."""
    if not found:
        return frame
    missing = pl.col("indicator").is_in(list(found))
    return frame.with_columns(
        pl.when(~missing).then(pl.col(c)).alias(c) for c in ("value", "numerator", "denominator") if c in frame.columns
    )


def period_name(period: Period) -> str:
    """'Q4 2013-14' for a quarter, '2013-14' for a year."""
    return period_text(period)


def _when(meta: IndicatorMeta, period: Period) -> str:
    return f"at {period.end_label}" if meta.kind == "point" else f"in {period_name(period)}"


def _against(meta: IndicatorMeta, period: Period) -> str:
    return f"the end of {period.end:%B %Y}" if meta.kind == "point" else period_name(period)


@dataclass
class Figures:
    """One period's indicators for the selection, with their suppression flags."""

    period: Period
    frame: pl.DataFrame  # indicator, value, numerator, denominator, suppressed

    def __post_init__(self) -> None:
        # Looked up hundreds of times per paper: index the rows once.
        self._values = dict(zip(self.frame["indicator"].to_list(), self.frame["value"].to_list(), strict=True))
        self._hidden = dict(zip(self.frame["indicator"].to_list(), self.frame["suppressed"].to_list(), strict=True))

    def value(self, indicator: str) -> float | None:
        return self._values.get(indicator)

    def suppressed(self, indicator: str) -> bool:
        return bool(self._hidden.get(indicator))

    def comparison(self, meta: IndicatorMeta) -> Comparison:
        return Comparison(_against(meta, self.period), self.value(meta.id), self.suppressed(meta.id))


class PaperContext:
    """Everything the sections share: the selection, the catalogue and the three periods' figures."""

    def __init__(self, selection: Selection, threshold: int, catalogue: Catalogue):
        self.selection = selection
        ds = self.ds = selection.ds
        period = self.period = selection.period
        self.areas = selection.areas or None
        cohort = self.cohort = selection.cohort
        self.threshold = threshold
        self.catalogue = catalogue
        self.all_areas = dataset_areas(ds)
        # What the dataset cannot give for this cohort and period: left out, with a note.
        self.not_recorded = not_recorded(ds, None, cohort, period.end)
        # An area paper's caseload is its IRO team's, or the whole service's (labelled, never rated).
        self.caseload_scope = caseload_scope(ds, self.areas)
        self.caseload_whole_service = caseload_is_whole_service(ds, self.areas)
        self.below = below_council_level(self.all_areas, self.areas)
        # Area breakdowns are below council level unless the council has only one area.
        self.areas_controlled = len(self.all_areas) > 1
        if self.below:
            # Every period table the paper asks for (the trend's, the comparisons', the year so
            # far's), missing ones built in one pass of the engine.
            recent = [p for p in data_periods(ds, period.kind) if p.start <= period.start][-TREND_PERIODS:]
            period_tables(ds, [*recent, previous_period(period), same_period_last_year(period)], threshold)
        elif self.areas_controlled and period.kind == "quarter" and ds.has_table("qa_grades"):
            # The QA ranges across areas ask for each quarter of the year so far.
            period_tables(
                ds,
                [p for p in data_periods(ds, period.kind) if p.fy_label == period.fy_label and p.start <= period.start],
                threshold,
            )
        self.current = self._figures(period)
        self.previous = self._figures(previous_period(period))
        self.last_year = self._figures(same_period_last_year(period))
        # For a year the period before is also the same period a year earlier: compare once.
        self.comparisons = [self.previous]
        if self.last_year.period != self.previous.period:
            self.comparisons.append(self.last_year)
        self.any_suppressed = False
        self.banded = False  # a hidden headline percentage was stated as a band
        self.mentioned: dict[str, None] = {}  # the indicators the paper prints, in order
        self.sentence_indicator: dict[str, str] = {}  # each indicator sentence -> its indicator
        self._by_area: dict[str, pl.DataFrame] = {}
        self._rows: dict[tuple[str, str], dict[str, tuple[float | None, float | None, float | None]]] = {}
        self._trend: pl.DataFrame | None = None
        self._title_counts = Counter(catalogue[i].title for i in catalogue.ids())

    def _figures(self, period: Period) -> Figures:
        if not self.selection.covers(period):
            empty = pl.DataFrame(
                schema={
                    "indicator": pl.String,
                    "value": pl.Float64,
                    "numerator": pl.Float64,
                    "denominator": pl.Float64,
                    "suppressed": pl.Boolean,
                }
            )
            return Figures(period, empty)
        frame = blank_not_recorded(compute_indicators(self.selection.at(period)), self.not_recorded)
        flagged = self.suppress(frame, [period])
        if self.below:
            flagged = hide_team_caseloads(self.ds, flagged, self.areas, self.table(period))
        return Figures(period, flagged)

    def suppress(self, frame: pl.DataFrame, periods: Sequence[Period]) -> pl.DataFrame:
        """Flag suppressed indicator rows by each period's disclosure table (see ``period_table``)."""
        return flag_suppressed(self.ds, frame, periods, self.areas, self.cohort, self.threshold)

    def table(self, period: Period | None = None) -> PeriodTable:
        """The period's disclosure table (the chosen period by default)."""
        return period_table(self.ds, period or self.period, self.threshold)

    def band(self, indicator: str) -> tuple[Band, str | None] | None:
        """The band the selection's hidden percentage may be stated as this period, with its base
        as published (None when the base is hidden too), or None (see ``bands``)."""
        if not self.below:
            return None
        table = self.table()
        band = table.band(indicator, self.areas, self.cohort)
        if band is None:
            return None
        row = self.row(indicator, self.period)
        shown = table.measure_shown(indicator, "denominator", self.areas, self.cohort)
        base = number_text(row[2]) if shown and row is not None and row[2] is not None else None
        self.banded = True
        return band, base

    def by_area(self, period: Period) -> pl.DataFrame:
        """Every indicator for each area of the selection in ``period`` (kept for the paper)."""
        if period.label not in self._by_area:
            self._by_area[period.label] = indicators_by_area(self.selection.at(period))
        return self._by_area[period.label]

    def prefetch_by_area(self, periods: Sequence[Period]) -> None:
        """``by_area`` for several periods of one kind in one pass of the indicator engine."""
        missing = [p for p in periods if p.label not in self._by_area and p.kind == self.period.kind]
        if len(missing) > 1:
            self._by_area.update(by_area_frames(self.ds, missing, self.cohort, self.areas))

    def row(
        self, indicator: str, period: Period, cohort: str | None = None
    ) -> tuple[float | None, float | None, float | None] | None:
        """The selection's (value, numerator, denominator) of an indicator in a period, from one
        ``compute_indicators`` call per period and cohort (the paper's cohort by default); None when
        the indicator has no row."""
        key = (period.label, cohort or self.cohort)
        if key not in self._rows:
            frame = compute_indicators(self.selection.at(period).for_cohort(key[1]))
            self._rows[key] = {i: (v, n, d) for i, v, n, d in frame.iter_rows()}
        return self._rows[key].get(indicator)

    def withheld(self, indicator: str, period: Period) -> bool:
        """Whether the period's disclosure table withholds the indicator for this selection."""
        return self.below and self.table(period).suppressed(indicator, self.areas, self.cohort)

    def meta(self, indicator: str) -> IndicatorMeta | None:
        """The indicator's metadata; a title two indicators share gets its unit added ("(%)")."""
        meta = self.catalogue.get(indicator)
        if meta is not None and self._title_counts[meta.title] > 1:
            meta = replace(meta, title=f"{meta.title} ({UNIT_LABELS.get(meta.unit, meta.unit)})")
        if meta is not None and self.areas is not None and indicator in STAFFING_FIGURES:
            meta = replace(meta, title=f"{meta.title}, {self.caseload_scope}")
        return meta

    def rated(self, indicator: str) -> bool:
        """Whether the paper may rate (and headline) the indicator: not an area paper's caseload
        when it is the whole service's."""
        return not (self.caseload_whole_service and indicator in CASELOADS)

    def sentence(self, indicator: str) -> str | None:
        meta = self.meta(indicator)
        value = self.current.value(indicator)
        if meta is None or value is None:
            return None
        self.mentioned[indicator] = None
        suppressed = self.current.suppressed(indicator)
        self.any_suppressed |= suppressed
        comparisons = [figures.comparison(meta) for figures in self.comparisons]
        self.any_suppressed |= any(c.suppressed for c in comparisons)
        text = indicator_sentence(meta, value, _when(meta, self.period), comparisons, suppressed=suppressed)
        self.sentence_indicator[text] = indicator
        return text

    def part_text(self, indicator: str, measure: str, count: float) -> str:
        """A percentage's numerator or denominator as published: the marker where the period's
        disclosure table withholds it for this selection."""
        if self.below and not self.table().measure_shown(indicator, measure, self.areas, self.cohort):
            self.any_suppressed = True
            return MARKER
        return number_text(count)

    def figure_text(self, figures: Figures, indicator: str) -> str:
        meta = self.meta(indicator)
        if figures is self.current:
            self.mentioned[indicator] = None
        if figures.suppressed(indicator):
            return MARKER
        value = figures.value(indicator)
        return "–" if meta is None or value is None else format_figure(meta, value)

    def key_table(self, title: str, indicators: Sequence[str]) -> BriefingTable | None:
        """Indicator | this period | previous period | same period last year (quarters) | rating."""
        rows = []
        for indicator in indicators:
            meta = self.meta(indicator)
            if meta is None or self.current.value(indicator) is None:
                continue
            rating = rag(meta, self.current.value(indicator)) if self.rated(indicator) else None
            row = {"Indicator": meta.title, period_name(self.period): self.figure_text(self.current, indicator)}
            for figures in self.comparisons:
                row[period_name(figures.period)] = self.figure_text(figures, indicator)
            row["Rating"] = "–" if rating is None or self.current.suppressed(indicator) else rating.capitalize()
            rows.append(row)
        if not rows:
            return None
        frame = pl.DataFrame(rows)
        hidden = frame.select(pl.any_horizontal(pl.all() == MARKER).any()).item()
        return BriefingTable(title, frame, [footnote(self.threshold)] if hidden else [])

    def trend(self, indicators: Sequence[str]) -> tuple[pl.DataFrame, bool]:
        """The last TREND_PERIODS periods up to the chosen one, suppressed values set to null,
        and whether any value was suppressed."""
        if self._trend is None:
            self._trend = indicator_trend(self.selection, indicators=TREND_INDICATORS)
        trend = self._trend.filter(
            pl.col("indicator").is_in(list(indicators)), pl.col("period_start") <= self.period.start
        )
        starts = trend.select(pl.col("period_start").unique().sort().tail(TREND_PERIODS)).to_series()
        trend = trend.filter(pl.col("period_start").is_in(starts.to_list()))
        periods = [parse_period(label) for label in trend["period"].unique().sort().to_list()]
        trend = self.suppress(trend, periods)
        hidden = pl.col("suppressed")
        any_hidden = bool(trend["suppressed"].any())
        self.any_suppressed |= any_hidden
        shown = trend.with_columns(
            pl.when(~hidden).then(pl.col(c)).alias(c) for c in ("value", "numerator", "denominator")
        ).drop("suppressed")
        return shown, any_hidden
