"""Build a committee briefing for a period, an area selection and a cohort.

The briefing opens with headline bullets (the catalogue's headline indicators against the
previous period), then has one section per theme: plain-English sentences for its indicators
against the previous period and the same period a year earlier, a key-figures table, the
theme's breakdown table and charts.

Disclosure control (see ``disclosure``): a selection of some but not every area is below
whole-council level, so its counts from 1 to ``threshold`` and every figure built on one are
replaced by the marker ``c``. A cohort split of the whole council is still council level.
Tables broken down by area are below council level in every briefing and are always controlled.
Charts are drawn from the suppressed figures. Only aggregates ever reach a briefing: no child
id or date of birth is read into it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import altair as alt
import polars as pl

from iro_metrics import charts, codes
from iro_metrics.briefing.disclosure import (
    DEFAULT_THRESHOLD,
    MARKER,
    below_council_level,
    footnote,
    suppress_indicators,
    suppress_table,
)
from iro_metrics.briefing.model import Briefing, BriefingChart, BriefingSection, BriefingTable
from iro_metrics.briefing.wording import Comparison, describe_change, format_figure, indicator_sentence
from iro_metrics.catalogue import THEMES, UNIT_LABELS, Catalogue, IndicatorMeta, catalogue_for
from iro_metrics.dataset import Dataset
from iro_metrics.indicators import (
    children_in_care_by,
    compute_indicators,
    coverage,
    disputes_by_category_level,
    indicator_trend,
    indicators_by_area,
    participation_mix,
    qa_grade_mix,
)
from iro_metrics.judgement import NO_OPTIMUM, rag
from iro_metrics.periods import Period, parse_period, previous_period, same_period_last_year

__all__ = ["Briefing", "build_briefing", "period_name"]

TREND_PERIODS = 8  # quarters (or years) of history in the trend charts
TREND_INDICATORS: tuple[str, ...] = ("children_in_care", "participation_pct", "reviews_on_time_pct")
# QA items reported sentence by sentence; the core components appear in the QA table only.
QA_HEADLINE_ITEMS: tuple[str, ...] = tuple(i for i in codes.QA_ITEMS if i not in codes.QA_CORE_COMPONENTS)


def period_name(period: Period) -> str:
    """'Q4 2013-14' for a quarter, '2013-14' for a year."""
    return f"Q{period.quarter} {period.fy_label}" if period.kind == "quarter" else period.label


def _when(meta: IndicatorMeta, period: Period) -> str:
    return f"at {period.end_label}" if meta.kind == "point" else f"in {period_name(period)}"


def _against(meta: IndicatorMeta, period: Period) -> str:
    return f"the end of {period.end:%B %Y}" if meta.kind == "point" else period_name(period)


@dataclass
class _Figures:
    """One period's indicators for the selection, with their suppression flags."""

    period: Period
    frame: pl.DataFrame  # indicator, value, numerator, denominator, suppressed

    def value(self, indicator: str) -> float | None:
        row = self.frame.filter(pl.col("indicator") == indicator)
        return None if row.is_empty() else row["value"][0]

    def suppressed(self, indicator: str) -> bool:
        row = self.frame.filter(pl.col("indicator") == indicator)
        return bool(not row.is_empty() and row["suppressed"][0])

    def comparison(self, meta: IndicatorMeta) -> Comparison:
        return Comparison(_against(meta, self.period), self.value(meta.id), self.suppressed(meta.id))


class _Context:
    """Everything the sections share: the selection, the catalogue and the three periods' figures."""

    def __init__(
        self,
        ds: Dataset,
        period: Period,
        areas: Sequence[str] | None,
        cohort: str,
        threshold: int,
        catalogue: Catalogue,
    ):
        self.ds = ds
        self.period = period
        self.areas = tuple(areas) if areas else None
        self.cohort = cohort
        self.threshold = threshold
        self.catalogue = catalogue
        self.all_areas = ds.areas()
        self.below = below_council_level(self.all_areas, self.areas)
        # Area breakdowns are below council level unless the council has only one area.
        self.areas_controlled = len(self.all_areas) > 1
        self.current = self._figures(period)
        self.previous = self._figures(previous_period(period))
        self.last_year = self._figures(same_period_last_year(period))
        # For a year the period before is also the same period a year earlier: compare once.
        self.comparisons = [self.previous]
        if self.last_year.period != self.previous.period:
            self.comparisons.append(self.last_year)
        self.any_suppressed = False
        self._trend: pl.DataFrame | None = None
        self._title_counts = Counter(catalogue[i].title for i in catalogue.ids())

    def _figures(self, period: Period) -> _Figures:
        first, last = coverage(self.ds)
        if period.end < first or period.start > last:
            empty = pl.DataFrame(
                schema={
                    "indicator": pl.String,
                    "value": pl.Float64,
                    "numerator": pl.Float64,
                    "denominator": pl.Float64,
                    "suppressed": pl.Boolean,
                }
            )
            return _Figures(period, empty)
        frame = compute_indicators(self.ds, period, self.areas, self.cohort)
        return _Figures(period, self.suppress(frame))

    def suppress(self, frame: pl.DataFrame, apply: bool | None = None) -> pl.DataFrame:
        """Flag suppressed indicator rows (only below council level unless ``apply`` says so)."""
        if self.below if apply is None else apply:
            units = {i: m.unit for i in frame["indicator"].unique() if (m := self.catalogue.get(i)) is not None}
            return suppress_indicators(frame, units, self.threshold)
        return frame.with_columns(suppressed=pl.lit(False))

    def meta(self, indicator: str) -> IndicatorMeta | None:
        """The indicator's metadata; a title two indicators share gets its unit added ("(%)")."""
        meta = self.catalogue.get(indicator)
        if meta is not None and self._title_counts[meta.title] > 1:
            return replace(meta, title=f"{meta.title} ({UNIT_LABELS.get(meta.unit, meta.unit)})")
        return meta

    def sentence(self, indicator: str) -> str | None:
        meta = self.meta(indicator)
        value = self.current.value(indicator)
        if meta is None or value is None:
            return None
        suppressed = self.current.suppressed(indicator)
        self.any_suppressed |= suppressed
        comparisons = [figures.comparison(meta) for figures in self.comparisons]
        self.any_suppressed |= any(c.suppressed for c in comparisons)
        return indicator_sentence(meta, value, _when(meta, self.period), comparisons, suppressed=suppressed)

    def headline(self, indicator: str) -> str | None:
        meta = self.meta(indicator)
        value = self.current.value(indicator)
        if meta is None or value is None:
            return None
        when = _when(meta, self.period)
        if self.current.suppressed(indicator):
            self.any_suppressed = True
            return f"{meta.title}: {MARKER} {when} (suppressed; see notes)."
        text = f"{meta.title}: {format_figure(meta, value)} {when}"
        previous = self.previous.comparison(meta)
        if previous.suppressed:
            self.any_suppressed = True
        elif previous.value is not None:
            connector = "since" if meta.kind == "point" else "on"
            text += ", " + describe_change(meta, previous.value, value, previous.label, connector=connector)
        rating = rag(meta, value)
        if rating is not None and rating != NO_OPTIMUM:
            text += f". Rating: {rating}"
        return text + "."

    def count_text(self, count: float) -> str:
        """A count as published: the marker when it is small and the selection is below council level."""
        if self.below and 1 <= count <= self.threshold:
            self.any_suppressed = True
            return MARKER
        return f"{round(count):,}"

    def figure_text(self, figures: _Figures, indicator: str) -> str:
        meta = self.meta(indicator)
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
            rating = rag(meta, self.current.value(indicator))
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
            self._trend = indicator_trend(self.ds, self.period.kind, self.areas, self.cohort, TREND_INDICATORS)
        trend = self._trend.filter(
            pl.col("indicator").is_in(list(indicators)), pl.col("period_start") <= self.period.start
        )
        starts = trend.select(pl.col("period_start").unique().sort().tail(TREND_PERIODS)).to_series()
        trend = self.suppress(trend.filter(pl.col("period_start").is_in(starts.to_list())))
        hidden = pl.col("suppressed")
        any_hidden = bool(trend["suppressed"].any())
        self.any_suppressed |= any_hidden
        shown = trend.with_columns(
            pl.when(~hidden).then(pl.col(c)).alias(c) for c in ("value", "numerator", "denominator")
        ).drop("suppressed")
        return shown, any_hidden


def _chart(chart: alt.TopLevelMixin, hidden: bool = False) -> BriefingChart:
    """A briefing chart; when figures were suppressed, alt text that says so instead of the
    chart's own summary (which would count the missing figures as nothing)."""
    raw = getattr(chart, "title", "")
    title = "" if raw is alt.Undefined else str(getattr(raw, "text", raw))
    if hidden:
        text = (
            f"{title}. Figures suppressed for disclosure control ({MARKER}) are left out of this chart; "
            "the table gives every figure that can be published."
        )
        return BriefingChart(title, chart, text)
    return BriefingChart(title, chart, charts.alt_text(chart))


def _share_column(count: str) -> pl.Expr:
    """Each row's share (%) of the column's total; null when the total is zero."""
    total = pl.col(count).sum()
    return pl.when(total > 0).then(100.0 * pl.col(count) / total)


def _with_total_row(frame: pl.DataFrame, label_column: str, label: str = "Total") -> pl.DataFrame:
    """The frame with a last row holding each numeric column's sum (other columns empty).

    A column of shares sums to 100; with nothing to share (all null) its total is null too.
    """

    def total_of(column: str, dtype: pl.DataType) -> pl.Expr:
        if column == label_column:
            return pl.lit(label).alias(column)
        if not dtype.is_numeric():
            return pl.lit(None).alias(column)
        return pl.when(pl.col(column).is_not_null().any()).then(pl.col(column).sum()).alias(column)

    total = frame.select(total_of(c, t) for c, t in frame.schema.items())
    return pl.concat([frame, total], how="vertical_relaxed")


def _workload(ctx: _Context) -> BriefingSection:
    section = BriefingSection(THEMES["workload"])
    ids = [i for i in ctx.current.frame["indicator"] if (m := ctx.meta(i)) is not None and m.theme == "workload"]
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    if ctx.areas is not None or ctx.cohort != "all":
        section.paragraphs.append(
            "Caseloads and IRO numbers are for the whole IRO service: staffing is recorded per team, not per area."
        )
    if key := ctx.key_table("Workload: key figures", ids):
        section.tables.append(key)

    by_area = (
        indicators_by_area(ctx.ds, ctx.period, ctx.cohort, ctx.areas)
        .filter(pl.col("indicator") == "children_in_care")
        .sort("area")
        .select(pl.col("area").alias("Area"), pl.col("value").fill_null(0).alias("Children in care"))
    )
    by_area = by_area.with_columns(_share_column("Children in care").alias("% of children"))
    table = suppress_table(
        _with_total_row(by_area, "Area"),
        ["Children in care"],
        total_row=True,
        derived={"% of children": "Children in care"},
        decimals={"% of children": 1},
        threshold=ctx.threshold,
        apply=ctx.areas_controlled,
    )
    ctx.any_suppressed |= table.any_suppressed
    section.tables.append(
        BriefingTable(f"Children in care by area at {ctx.period.end_label}", table.frame, table.footnotes)
    )

    ages = children_in_care_by(ctx.ds, ctx.period, "age_band", ctx.areas, ctx.cohort).select(
        pl.col("group").alias("Age band"), pl.col("count").alias("Children"), pl.col("pct").alias("%")
    )
    age_table = suppress_table(
        _with_total_row(ages, "Age band"),
        ["Children"],
        total_row=True,
        derived={"%": "Children"},
        decimals={"%": 1},
        threshold=ctx.threshold,
        apply=ctx.below,
    )
    ctx.any_suppressed |= age_table.any_suppressed
    section.tables.append(
        BriefingTable(f"Children in care by age at {ctx.period.end_label}", age_table.frame, age_table.footnotes)
    )

    trend, trend_hidden = ctx.trend(["children_in_care"])
    if trend.filter(pl.col("value").is_not_null()).height:
        section.charts.append(
            _chart(
                charts.trend_chart(
                    trend,
                    title="Children in care at each period end",
                    y_title="Children in care",
                    unit="count",
                    decimals=0,
                ),
                trend_hidden,
            )
        )
    # The area chart shows exactly what the area table shows: suppressed bars are left out.
    mask = table.mask["Children in care"].head(by_area.height)
    area_values = by_area.with_columns(
        value=pl.when(~mask).then(pl.col("Children in care")),
        numerator=pl.when(~mask).then(pl.col("Children in care")),
        denominator=pl.lit(None, dtype=pl.Float64),
    ).select(pl.col("Area").alias("area"), "value", "numerator", "denominator")
    if area_values.height > 1 and area_values.filter(pl.col("value").is_not_null()).height:
        section.charts.append(
            _chart(
                charts.area_chart(
                    area_values.with_columns(pl.col("value").cast(pl.Float64)),
                    council_value=None,
                    title=f"Children in care by area at {ctx.period.end_label}",
                    x_title="Children in care",
                    unit="count",
                    decimals=0,
                ),
                bool(mask.any()),
            )
        )
    return section


def _reviews(ctx: _Context) -> BriefingSection:
    section = BriefingSection(THEMES["reviews"])
    ids = [i for i in ctx.current.frame["indicator"] if (m := ctx.meta(i)) is not None and m.theme == "reviews"]
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    if key := ctx.key_table("Reviews: key figures", ids):
        section.tables.append(key)

    mix = participation_mix(ctx.ds, ctx.period, ctx.areas, ctx.cohort).select(
        pl.col("code").alias("Code"),
        pl.col("label").alias("Participation"),
        pl.col("count").alias("Reviews"),
        pl.col("pct").alias("%"),
    )
    table = suppress_table(
        _with_total_row(mix, "Code"),
        ["Reviews"],
        total_row=True,
        derived={"%": "Reviews"},
        decimals={"%": 1},
        threshold=ctx.threshold,
        apply=ctx.below,
    )
    ctx.any_suppressed |= table.any_suppressed
    frame = table.frame.with_columns(
        pl.when(pl.col("Code") == "Total")
        .then(pl.lit("All reviews"))
        .otherwise(pl.col("Participation"))
        .alias("Participation")
    )
    section.tables.append(
        BriefingTable(f"Reviews by participation in {period_name(ctx.period)}", frame, table.footnotes, 2)
    )

    wanted = ["participation_pct", "reviews_on_time_pct"]
    trend, trend_hidden = ctx.trend(wanted)
    trend = trend.with_columns(
        series=pl.col("indicator").replace_strict({i: ctx.catalogue[i].title for i in wanted}, default="")
    )
    if trend.filter(pl.col("value").is_not_null()).height:
        section.charts.append(
            _chart(
                charts.trend_chart(
                    trend,
                    title="Participation and reviews on time",
                    y_title="%",
                    unit="pct",
                    decimals=1,
                    series="series",
                    series_title="Indicator",
                    series_order=[ctx.catalogue[i].title for i in wanted],
                ),
                trend_hidden,
            )
        )
    return section


def _quality(ctx: _Context) -> BriefingSection:
    section = BriefingSection(THEMES["quality"])
    ids = [f"qa_{item}_adequate_pct" for item in QA_HEADLINE_ITEMS] + ["qa_care_plan_good_pct"]
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]

    rows = []
    for item, label in codes.QA_ITEMS.items():
        adequate, good = f"qa_{item}_adequate_pct", f"qa_{item}_good_pct"
        grades = ctx.current.frame.filter(pl.col("indicator") == adequate)["denominator"]
        if grades.is_empty() or not grades[0]:
            continue
        rows.append(
            {
                "Item": label,
                "Grades": ctx.count_text(grades[0]),
                "Adequate or better": ctx.figure_text(ctx.current, adequate),
                "Good or better": ctx.figure_text(ctx.current, good),
            }
        )
    if rows:
        frame = pl.DataFrame(rows)
        hidden = frame.select(pl.any_horizontal(pl.all() == MARKER).any()).item()
        ctx.any_suppressed |= hidden
        section.tables.append(
            BriefingTable(
                f"Quality assurance grades in {period_name(ctx.period)}",
                frame,
                [footnote(ctx.threshold)] if hidden else [],
            )
        )

    if not section.paragraphs and not rows:
        section.paragraphs.append(f"No quality assurance audits are recorded for {period_name(ctx.period)}.")

    mix = qa_grade_mix(ctx.ds, ctx.period, ctx.areas, ctx.cohort)
    wide = (
        mix.select("item", "grade", "count")
        .pivot(on="grade", index="item", values="count")
        .with_columns(total=pl.sum_horizontal(*codes.QA_GRADE_ORDER))
        .filter(pl.col("total") > 0)
    )
    if not wide.is_empty():
        grid = suppress_table(
            wide,
            [*codes.QA_GRADE_ORDER, "total"],
            total_column="total",
            threshold=ctx.threshold,
            apply=ctx.below,
        )
        ctx.any_suppressed |= grid.any_suppressed
        # The chart shows each item's grades as shares of 100%, so an item with a suppressed grade is
        # left out whole: its other bars would otherwise stretch to fill the gap.
        hidden_items = (
            grid.mask.with_columns(item=wide["item"])
            .filter(pl.any_horizontal(*codes.QA_GRADE_ORDER))
            .get_column("item")
            .to_list()
        )
        shown = mix.filter(pl.col("item").is_in(wide["item"].to_list()), ~pl.col("item").is_in(hidden_items))
        if shown.filter(pl.col("count") > 0).height:
            chart = charts.grade_mix_chart(shown, title="Quality assurance grades by item")
            section.charts.append(_chart(chart, grid.any_suppressed))
    return section


def _challenge(ctx: _Context) -> BriefingSection:
    section = BriefingSection(THEMES["challenge"])
    ids = [i for i in ctx.current.frame["indicator"] if (m := ctx.meta(i)) is not None and m.theme == "challenge"]
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    if key := ctx.key_table("Challenge: key figures", ids):
        section.tables.append(key)

    disputes = disputes_by_category_level(ctx.ds, ctx.period, ctx.areas, ctx.cohort)
    levels = [f"Level {level}" for level in codes.DISPUTE_LEVELS]
    wide = (
        disputes.with_columns(level=pl.format("Level {}", pl.col("level")))
        .pivot(on="level", index="category_label", values="count")
        .with_columns(Total=pl.sum_horizontal(*levels))
    )
    order = pl.DataFrame({"category_label": list(codes.DISPUTE_CATEGORIES.values())}).with_row_index("_order")
    wide = wide.join(order, on="category_label", how="left").sort("_order").drop("_order")
    wide = wide.filter(pl.col("Total") > 0).rename({"category_label": "Category"})
    if not wide.is_empty():
        table = suppress_table(
            _with_total_row(wide, "Category"),
            [*levels, "Total"],
            total_column="Total",
            total_row=True,
            threshold=ctx.threshold,
            apply=ctx.below,
        )
        ctx.any_suppressed |= table.any_suppressed
        section.tables.append(
            BriefingTable(
                f"Formal disputes by category and highest level reached, {period_name(ctx.period)}",
                table.frame,
                [*table.footnotes, "Levels: " + "; ".join(f"{k} {v}" for k, v in codes.DISPUTE_LEVELS.items())],
            )
        )
        inner = table.mask.head(wide.height)
        hidden = inner.with_columns(category_label=wide["Category"]).unpivot(
            index="category_label", on=levels, variable_name="level_name", value_name="hidden"
        )
        shown = (
            disputes.with_columns(level_name=pl.format("Level {}", pl.col("level")))
            .join(hidden, on=["category_label", "level_name"], how="inner")
            .with_columns(count=pl.when(~pl.col("hidden")).then(pl.col("count")))
            .drop("hidden", "level_name")
        )
        if shown.filter(pl.col("count") > 0).height:
            section.charts.append(_chart(charts.dispute_heatmap(shown), table.any_suppressed))
    return section


def _views(ctx: _Context) -> BriefingSection:
    section = BriefingSection(THEMES["views"])
    # A survey with no responses in the period is not mentioned.
    ids = [
        i
        for i in ctx.current.frame["indicator"]
        if (m := ctx.meta(i)) is not None
        and m.theme == "views"
        and not (i.endswith("_responses") and not ctx.current.value(i))
    ]
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    if key := ctx.key_table("Children's views: key figures", ids):
        section.tables.append(key)
    if not section.paragraphs:
        section.paragraphs.append(f"No IRO contacts or survey responses are recorded for {period_name(ctx.period)}.")
    return section


def _selection_label(ctx: _Context) -> str:
    where = "Whole council" if not ctx.below else "Areas: " + ", ".join(ctx.areas or ())
    return f"{where}; {codes.COHORT_LABELS.get(ctx.cohort, ctx.cohort)}"


def _notes(ctx: _Context) -> list[str]:
    notes = []
    if ctx.any_suppressed:
        notes.append(footnote(ctx.threshold))
    if ctx.below:
        notes.append(
            f"This briefing covers part of the council, so counts from 1 to {ctx.threshold}, and any "
            "percentage, rate or change built on one, are suppressed; where a row or column has a "
            "total, a second cell is suppressed so that the first cannot be worked out by subtraction."
        )
    else:
        notes.append(
            "Whole-council figures are shown in full. Tables broken down by area are below whole-council "
            f"level, so their counts from 1 to {ctx.threshold} are suppressed."
        )
    notes += [
        "Changes in percentages are in percentage points. A change that rounds to zero at the figure's "
        "precision is described as unchanged.",
        "Children in care, reviews overdue, staffing and IRO contact are taken at the end of the period; "
        "the other figures count events dated in the period.",
        "Caseloads and IRO numbers are whole-service figures: staffing is recorded per IRO team, not per area.",
        "Short breaks (legal status V3 and V4) are left out of every figure.",
        "Definitions of every indicator are in the explorer's About page and in docs/ of the product.",
    ]
    missing = sorted(ctx.ds.missing_tables)
    if missing:
        tables = ", ".join(name.replace("_", " ") for name in missing)
        notes.append(f"Not recorded in this dataset: {tables}. The figures that need them are left out.")
    if ctx.cohort != "all":
        notes.append(
            f"Cohort: {codes.COHORT_LABELS.get(ctx.cohort, ctx.cohort)} only (by the UASC flag on each record)."
        )
    return notes


def _source(ds: Dataset) -> str:
    """The data-source line: the dataset, its version, and whether it is synthetic."""
    text = f"Data source: {ds.name} IRO service dataset, version {ds.version}. "
    if ds.is_synthetic:
        produced = ds.meta.get("produced_by")
        by = f" by {produced}" if produced else ""
        return text + f"Synthetic data, generated for demonstration{by}: no real children are described."
    return text + "The council's own records."


def build_briefing(
    ds: Dataset,
    period: Period | str,
    areas: Sequence[str] | None = None,
    cohort: str = "all",
    threshold: int = DEFAULT_THRESHOLD,
    catalogue: Catalogue | None = None,
) -> Briefing:
    """A committee briefing for one period, area selection (None: whole council) and cohort.

    ``threshold`` is the disclosure-control setting: counts from 1 to it are suppressed below
    whole-council level. Raises ``SelectionError`` (a ValueError) for a period, area or cohort the
    dataset cannot answer for.
    """
    if threshold < 1:
        raise ValueError(f"the suppression threshold must be 1 or more, not {threshold}")
    chosen = parse_period(period) if isinstance(period, str) else period
    ctx = _Context(ds, chosen, areas, cohort, threshold, catalogue or catalogue_for(ds.path))
    sections = [_workload(ctx), _reviews(ctx), _quality(ctx), _challenge(ctx), _views(ctx)]
    headlines = [h for i in ctx.catalogue.headline_ids() if (h := ctx.headline(i))]
    if not ctx.current.value("children_in_care") and not ctx.current.value("reviews_held"):
        headlines.insert(
            0, f"There were no children in care and no reviews for this selection in {period_name(chosen)}."
        )
    return Briefing(
        title=f"Independent Reviewing Officer service: {chosen.long_label}",
        subtitle=f"Committee briefing for {ds.name}. {_selection_label(ctx)}. Prepared {date.today():%d %B %Y}.",
        headlines=headlines,
        sections=sections,
        notes=_notes(ctx),
        source=_source(ds),
        synthetic=ds.is_synthetic,
        suppression_applied=ctx.below,
        threshold=threshold,
    )


def write_briefing(
    ds: Dataset,
    period: Period | str,
    areas: Sequence[str] | None,
    cohort: str,
    out_path: Path | str,
    threshold: int = DEFAULT_THRESHOLD,
) -> Path:
    """Build the briefing and write it as .docx or .md, chosen by ``out_path``'s suffix."""
    from iro_metrics.briefing.docx_writer import write_docx
    from iro_metrics.briefing.markdown_writer import write_markdown

    target = Path(out_path)
    writers = {".docx": write_docx, ".md": write_markdown}
    suffix = target.suffix.lower()
    if suffix not in writers:
        raise ValueError(
            f"cannot write a briefing to '{target.name}': the file name must end in .docx (Word) or .md (Markdown)"
        )
    if not target.parent.is_dir():
        raise ValueError(f"cannot write '{target}': the folder {target.parent} does not exist")
    briefing = build_briefing(ds, period, areas, cohort, threshold)
    return writers[suffix](briefing, target)
