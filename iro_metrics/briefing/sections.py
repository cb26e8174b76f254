"""The sections of a paper: workload, reviews, quality assurance, challenge and children's views.

Each takes the paper's context and returns a ``BriefingSection`` whose sentences, tables and
charts hold only figures the period's disclosure table lets the selection publish.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import polars as pl

from iro_metrics import codes
from iro_metrics.briefing.context import STAFFING_FIGURES, PaperContext, period_name
from iro_metrics.briefing.disclosure import MARKER, footnote, suppress_table
from iro_metrics.briefing.model import BriefingChart, BriefingSection, BriefingTable
from iro_metrics.briefing.teams import team_caseloads
from iro_metrics.catalogue import THEMES
from iro_metrics.charts import bars, common, grids, trends
from iro_metrics.formatting import number_text
from iro_metrics.indicator_registry import family_ids, qa_indicator_id
from iro_metrics.indicators import (
    children_in_care_by,
    disputes_by_category_level,
    participation_mix,
    qa_grade_mix,
)
from iro_metrics.indicators.workload import area_team_map

__all__ = ["challenge", "quality", "reviews", "views", "workload"]

# QA items reported sentence by sentence; the core components appear in the QA table only.
QA_HEADLINE_ITEMS: tuple[str, ...] = tuple(i for i in codes.QA_ITEMS if i not in codes.QA_CORE_COMPONENTS)


@dataclass
class AreaTable:
    """The children-in-care-by-area table as printed, and the values its chart may draw."""

    frame: pl.DataFrame
    values: pl.DataFrame  # area, value, numerator, denominator (null where suppressed)
    footnotes: list[str]


def _children_by_area(ctx: PaperContext) -> AreaTable:
    """Children in care in each area of the selection and its total, each shown only when the
    period's disclosure table publishes it (a share only with its count and the total)."""
    table = ctx.table()
    by_area = (
        ctx.by_area(ctx.period)
        .filter(pl.col("indicator") == "children_in_care")
        .sort("area")
        .select("area", pl.col("value").fill_null(0).cast(pl.Float64))
    )
    total = float(by_area["value"].sum())
    areas = by_area["area"].to_list()
    shown = [table.measure_shown("children_in_care", "value", [a], ctx.cohort) for a in areas]
    total_shown = table.measure_shown("children_in_care", "value", ctx.areas, ctx.cohort)
    counts, shares, values = [], [], []
    for value, ok in zip(by_area["value"].to_list(), shown, strict=True):
        counts.append(number_text(value) if ok else MARKER)
        share_ok = ok and total_shown and total > 0
        shares.append(number_text(100 * value / total, 1) if share_ok else (MARKER if total > 0 else "–"))
        values.append(value if ok else None)
    counts.append(number_text(total) if total_shown else MARKER)
    shares.append("100.0" if total_shown and total > 0 else (MARKER if total > 0 else "–"))
    frame = pl.DataFrame(
        {"Area": [*areas, "Total"], "Children in care": counts, "% of children": shares},
        schema=dict.fromkeys(("Area", "Children in care", "% of children"), pl.String),
    )
    hidden = MARKER in counts or MARKER in shares
    ctx.any_suppressed |= hidden
    chart_values = pl.DataFrame(
        {"area": areas, "value": values, "numerator": values, "denominator": [None] * len(areas)},
        schema={"area": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64},
    )
    return AreaTable(frame, chart_values, [footnote(ctx.threshold)] if hidden else [])


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
    return BriefingChart(title, chart, common.alt_text(chart))


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


def _caseload_paragraphs(ctx: PaperContext) -> list[str]:
    """What the caseloads cover: an area paper's team (or the whole service, not rated), and that
    caseloads count every child whatever the cohort."""
    if ctx.current.value("caseload_per_establishment_fte") is None:
        return []
    out = []
    if ctx.caseload_whole_service:
        out.append(
            "Caseloads and IRO numbers are for the whole IRO service: the dataset does not record which IRO team "
            "serves these areas, so they are not this selection's own figures and are not rated here."
        )
    elif ctx.areas is not None:
        out.append(
            f"Caseloads and IRO numbers are those of the {ctx.caseload_scope}, which serves these areas: children "
            "in care in every area the team serves, divided by the team's IROs."
        )
    elif not area_team_map(ctx.ds):
        out.append(
            "Caseloads are for the whole IRO service: the dataset does not record which IRO team covers each "
            "area, so team caseloads are not recorded."
        )
    if ctx.cohort != "all":
        out.append("Caseloads count every child in care, whatever the cohort.")
    return out


def workload(ctx: PaperContext) -> BriefingSection:
    section = BriefingSection(THEMES["workload"])
    ids = _theme_ids(ctx, "workload")
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    section.paragraphs += _caseload_paragraphs(ctx)
    if key := ctx.key_table("Workload: key figures", ids):
        section.tables.append(key)
    if ctx.areas is None and ctx.current.value("caseload_per_establishment_fte") is not None:
        sentence, team_table = team_caseloads(
            ctx.ds,
            ctx.by_area(ctx.period),
            {i: ctx.current.value(i) for i in STAFFING_FIGURES},
            ctx.table(),
            ctx.catalogue,
            ctx.period,
        )
        if sentence and team_table:
            section.paragraphs.append(sentence)
            section.tables.append(team_table)
            ctx.any_suppressed |= any(MARKER in row for row in team_table.rows())

    table = _children_by_area(ctx)
    single_area = table.values.height <= 1  # a one-row "by area" table is whole-council furniture
    if not single_area:
        section.tables.append(
            BriefingTable(f"Children in care by area at {ctx.period.end_label}", table.frame, table.footnotes)
        )

    ages = children_in_care_by(ctx.selection, "age_band").select(
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
    if not ctx.below:  # breakdowns are published for the whole council only (see _notes)
        ctx.any_suppressed |= age_table.any_suppressed
        section.tables.append(
            BriefingTable(f"Children in care by age at {ctx.period.end_label}", age_table.frame, age_table.footnotes)
        )

    trend, trend_hidden = ctx.trend(["children_in_care"])
    if trend.filter(pl.col("value").is_not_null()).height:
        section.charts.append(
            _chart(
                trends.trend_chart(
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
    area_values = table.values.filter(pl.col("area") != "Total")
    if area_values.height > 1 and area_values.filter(pl.col("value").is_not_null()).height:
        section.charts.append(
            _chart(
                bars.area_chart(
                    area_values,
                    council_value=None,
                    title=f"Children in care by area at {ctx.period.end_label}",
                    x_title="Children in care",
                    unit="count",
                    decimals=0,
                ),
                bool(area_values["value"].is_null().any()),
            )
        )
    return section


def _theme_ids(ctx: PaperContext, theme: str) -> list[str]:
    """The period's indicators of one theme, in the catalogue's order."""
    return [i for i in ctx.current.frame["indicator"] if (m := ctx.meta(i)) is not None and m.theme == theme]


def reviews(ctx: PaperContext) -> BriefingSection:
    section = BriefingSection(THEMES["reviews"])
    ids = _theme_ids(ctx, "reviews")
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    if key := ctx.key_table("Reviews: key figures", ids):
        section.tables.append(key)

    mix = participation_mix(ctx.selection).select(
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
    if not ctx.below:
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
                trends.trend_chart(
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


def quality(ctx: PaperContext) -> BriefingSection:
    section = BriefingSection(THEMES["quality"])
    # Every QA item, as the report lists each with its range across areas.
    ids = [qa_indicator_id(item, "adequate") for item in codes.QA_ITEMS] + [qa_indicator_id("care_plan", "good")]
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]

    rows = []
    for item, label in codes.QA_ITEMS.items():
        adequate, good = qa_indicator_id(item, "adequate"), qa_indicator_id(item, "good")
        grades = ctx.current.frame.filter(pl.col("indicator") == adequate)["denominator"]
        if grades.is_empty() or not grades[0]:
            continue
        rows.append(
            {
                "Item": label,
                "Grades": ctx.part_text(adequate, "denominator", grades[0]),
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

    mix = qa_grade_mix(ctx.selection)
    wide = (
        mix.select("item", "grade", "count")
        .pivot(on="grade", index="item", values="count")
        .with_columns(total=pl.sum_horizontal(*codes.QA_GRADE_ORDER))
        .filter(pl.col("total") > 0)
    )
    if not wide.is_empty() and not ctx.below:
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
            chart = grids.grade_mix_chart(shown, title="Quality assurance grades by item")
            section.charts.append(_chart(chart, grid.any_suppressed))
    return section


def challenge(ctx: PaperContext) -> BriefingSection:
    section = BriefingSection(THEMES["challenge"])
    ids = _theme_ids(ctx, "challenge")
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    if key := ctx.key_table("Challenge: key figures", ids):
        section.tables.append(key)

    disputes = disputes_by_category_level(ctx.selection)
    levels = [f"Level {level}" for level in codes.DISPUTE_LEVELS]
    wide = (
        disputes.with_columns(level=pl.format("Level {}", pl.col("level")))
        .pivot(on="level", index="category_label", values="count")
        .with_columns(Total=pl.sum_horizontal(*levels))
    )
    order = pl.DataFrame({"category_label": list(codes.DISPUTE_CATEGORIES.values())}).with_row_index("_order")
    wide = wide.join(order, on="category_label", how="left").sort("_order").drop("_order")
    wide = wide.filter(pl.col("Total") > 0).rename({"category_label": "Category"})
    if not wide.is_empty() and not ctx.below:
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
            section.charts.append(_chart(grids.dispute_heatmap(shown), table.any_suppressed))
    return section


def views(ctx: PaperContext) -> BriefingSection:
    section = BriefingSection(THEMES["views"])
    # A survey with no responses in the period is not mentioned.
    ids = [
        i
        for i in ctx.current.frame["indicator"]
        if (m := ctx.meta(i)) is not None
        and m.theme == "views"
        and not (i in family_ids("survey_responses", ctx.ds) and not ctx.current.value(i))
    ]
    section.paragraphs = [s for i in ids if (s := ctx.sentence(i))]
    if key := ctx.key_table("Children's views: key figures", ids):
        section.tables.append(key)
    if not section.paragraphs:
        section.paragraphs.append(f"No IRO contacts or survey responses are recorded for {period_name(ctx.period)}.")
    return section
