"""The quarterly paper's four sections, as seed 001 (Kent's IRO quality assurance report) has them:
workload, IRO practice, social work practice (challenge and quality of practice), children's views.

Each takes the paper's context and returns a ``BriefingSection`` whose sentences, tables and
charts hold only figures the period's disclosure table lets the selection publish.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from iro_metrics import codes
from iro_metrics.briefing import narrative
from iro_metrics.briefing.context import CASELOADS, STAFFING_FIGURES, PaperContext, period_name
from iro_metrics.briefing.disclosure import MARKER
from iro_metrics.briefing.headlines import Point, small_base
from iro_metrics.briefing.model import Block, BriefingChart, BriefingSection, BriefingTable, Heading, Paragraph
from iro_metrics.briefing.paper_tables import AreaTable, children_by_area, is_core_component, qa_table
from iro_metrics.briefing.teams import team_caseloads
from iro_metrics.briefing.wording import describe_change, format_figure
from iro_metrics.charts import common, trends
from iro_metrics.formatting import number_text
from iro_metrics.indicator_registry import family_ids, survey_responses_id
from iro_metrics.indicators import disputes_by_category_level
from iro_metrics.indicators.themes import find_indicator_id
from iro_metrics.indicators.workload import area_team_map

__all__ = ["iro_practice", "qa_table", "social_work", "views", "workload"]


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


def _theme_ids(ctx: PaperContext, theme: str) -> list[str]:
    """The period's indicators of one theme, in the catalogue's order (a new catalogue indicator
    appears under its theme without a change here)."""
    return [i for i in ctx.current.frame["indicator"] if (m := ctx.meta(i)) is not None and m.theme == theme]


# Seed 001 reports these under their own heading although nothing is judged by them.
ALWAYS_NARRATED: tuple[str, ...] = ("reviews_chaired_by_iro_pct",)


def _narrated(ctx: PaperContext, indicator: str) -> bool:
    """Whether an indicator gets its own heading and paragraphs: a headline one, one judged
    against a target, or one of ALWAYS_NARRATED; the others are in the theme's table only."""
    meta = ctx.meta(indicator)
    if meta is None:
        return False
    return meta.headline or meta.target is not None or meta.floor is not None or indicator in ALWAYS_NARRATED


# The IRO oversight measures (issue 25) are read together, so that the council paper stays within
# ten pages: one heading per group and one sentence each; their ratings are in the theme's table.
OVERSIGHT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "IRO caseloads, continuity and agency staff",
        ("iro_caseload_median", "iro_caseload_max", "iros_over_guideline", "iro_changes_pct", "iro_agency_fte_pct"),
    ),
    (
        "First reviews, visits before reviews and rescheduling",
        ("first_reviews_on_time_pct", "seen_before_review_pct", "midway_reviews_pct", "reviews_rescheduled_pct"),
    ),
    ("Disputes resolved on time", ("disputes_resolved_in_20wd_pct", "disputes_open_at_end", "disputes_open_over_20wd")),
)
_GROUP_OF = {indicator: group for group in OVERSIGHT_GROUPS for indicator in group[1]}


def _narrated_blocks(ctx: PaperContext, indicator: str, ids: list[str], *extra: str | None) -> list[Block]:
    """An indicator's blocks in its theme's run: its own heading if narrated, or, for the first
    indicator of an oversight group, the group's heading and one sentence per member."""
    group = _GROUP_OF.get(indicator)
    if group is None:
        return indicator_blocks(ctx, indicator, *extra) if _narrated(ctx, indicator) else []
    heading, members = group
    present = [i for i in members if i in ids]
    if indicator != present[0]:
        return []
    sentences = [text for i in present if (text := ctx.sentence(i)) is not None]
    return [Heading(heading), *(Paragraph(text) for text in sentences)] if sentences else []


def indicator_blocks(ctx: PaperContext, indicator: str, *extra: str | None, heading: str | None = None) -> list[Block]:
    """An indicator's heading, rating line ("Performance is good") and its paragraphs: its sentence,
    the year's figure and any extra sentences. Nothing when the indicator has no figure."""
    sentence = ctx.sentence(indicator)
    meta = ctx.meta(indicator)
    if sentence is None or meta is None:
        return []
    rated = ctx.rated(indicator) and not ctx.current.suppressed(indicator)
    rating = narrative.rating_line(meta, ctx.current.value(indicator)) if rated else None
    words = [sentence, narrative.year_sentence(ctx, indicator), *extra]
    blocks: list[Block] = [Heading(heading or meta.title)]
    if rating:
        blocks.append(Paragraph(rating, "rating"))
    blocks += [Paragraph(w) for w in words if w]
    return blocks


def _trend_chart(ctx: PaperContext, indicators: list[str], title: str, y_title: str, unit: str) -> BriefingChart | None:
    """A trend over the last quarters, drawn only when it has at least three published points
    (a chart of one or two says no more than the table)."""
    trend, hidden = ctx.trend(indicators)
    if trend.filter(pl.col("value").is_not_null()).select("period").n_unique() < 3:
        return None
    if len(indicators) == 1:
        chart = trends.trend_chart(trend, title=title, y_title=y_title, unit=unit, decimals=0 if unit == "count" else 1)
        return _chart(chart, hidden)
    titles = [ctx.catalogue[i].title for i in indicators]
    trend = trend.with_columns(series=pl.col("indicator").replace_strict(dict(zip(indicators, titles, strict=True))))
    chart = trends.trend_chart(
        trend,
        title=title,
        y_title=y_title,
        unit=unit,
        decimals=1,
        series="series",
        series_title="Indicator",
        series_order=titles,
    )
    return _chart(chart, hidden)


def _area_sentence(ctx: PaperContext, table: AreaTable) -> str | None:
    """Where the children in care are: the areas with the most and the fewest (published figures)."""
    shown = table.values.filter(pl.col("value").is_not_null()).sort("value", "area", descending=[True, False])
    if shown.height < 3:
        return None
    largest, smallest = shown.row(0, named=True), shown.row(-1, named=True)
    return (
        f"By area, the most children in care were in {largest['area']} ({number_text(largest['value'])}) and the "
        f"fewest in {smallest['area']} ({number_text(smallest['value'])}); the table gives every area."
    )


def _team_caseloads(ctx: PaperContext) -> tuple[str | None, BriefingTable | None]:
    """A council paper's team caseloads: the sentence and the table (see ``teams.team_caseloads``)."""
    if ctx.areas is not None or ctx.current.value("caseload_per_establishment_fte") is None:
        return None, None
    sentence, team_table = team_caseloads(
        ctx.ds,
        ctx.by_area(ctx.period),
        {i: ctx.current.value(i) for i in STAFFING_FIGURES},
        ctx.table(),
        ctx.catalogue,
        ctx.period,
    )
    if team_table is not None:
        ctx.any_suppressed |= any(MARKER in row for row in team_table.rows())
    return sentence, team_table


def _target_sentence(ctx: PaperContext, indicator: str) -> str | None:
    meta = ctx.meta(indicator)
    if meta is None or meta.target is None or not ctx.rated(indicator):
        return None
    better = "no more than" if meta.polarity == "lower" else "at least"
    return f"The target is {better} {format_figure(meta, meta.target)}."


def workload(ctx: PaperContext) -> BriefingSection:
    """Section 1: children in care (with the UASC split and the areas), IRO caseloads and the
    reviews chaired; the workload table, the children-in-care-by-area table and the trend."""
    section = BriefingSection(narrative.SECTION_TITLES[0])
    ids = [*_theme_ids(ctx, "workload"), "reviews_held"]
    area_table = children_by_area(ctx)
    single_area = area_table.values.height <= 1  # a one-row "by area" table is whole-council furniture
    section.add(
        *indicator_blocks(
            ctx,
            "children_in_care",
            narrative.cohort_split_sentence(ctx),
            None if single_area else _area_sentence(ctx, area_table),
            heading="The number of children and young people in care",
        )
    )
    section.add(
        _trend_chart(ctx, ["children_in_care"], "Children in care at each quarter end", "Children in care", "count")
    )
    caseload = next((i for i in CASELOADS if ctx.current.value(i) is not None), None)
    team_sentence, team_table = _team_caseloads(ctx)
    if caseload is not None:
        others = [ctx.sentence(i) for i in CASELOADS if i != caseload]
        section.add(
            *indicator_blocks(
                ctx,
                caseload,
                *others,
                team_sentence,
                *_caseload_paragraphs(ctx),
                _target_sentence(ctx, caseload),
            )
        )
    section.add(*indicator_blocks(ctx, "reviews_held", heading="The number of reviews chaired"))
    for indicator in ids:
        if indicator not in ("children_in_care", "reviews_held", *CASELOADS):
            section.add(*_narrated_blocks(ctx, indicator, ids))
    section.add(ctx.key_table("Workload at a glance", ids), team_table)
    if not single_area:
        section.add(
            BriefingTable(f"Children in care by area at {ctx.period.end_label}", area_table.frame, area_table.footnotes)
        )
    return section


def iro_practice(ctx: PaperContext) -> BriefingSection:
    """Section 2: the reviews theme's judged indicators, one paragraph each, the participation
    trend and the reviews table."""
    section = BriefingSection(narrative.SECTION_TITLES[1])
    ids = [i for i in _theme_ids(ctx, "reviews") if i != "reviews_held"]
    for indicator in ids:
        extra = _chairing_sentence(ctx) if indicator == "participation_pct" else None
        section.add(*_narrated_blocks(ctx, indicator, ids, extra))
    section.add(
        _trend_chart(ctx, ["participation_pct", "reviews_on_time_pct"], "Participation and reviews on time", "%", "pct")
    )
    section.add(ctx.key_table("Reviews at a glance", ids))
    return section


def _chairing_sentence(ctx: PaperContext) -> str | None:
    """'In Q4 2013-14, 78 children and young people chaired part of their review and 4 the whole
    review (82 in all).'"""
    part, full = ctx.current.value("child_chaired_part"), ctx.current.value("child_chaired_full")
    if part is None or full is None or not (part or full):
        return None
    if ctx.current.suppressed("child_chaired_part") or ctx.current.suppressed("child_chaired_full"):
        return None
    ctx.mentioned.update(dict.fromkeys(("child_chaired_part", "child_chaired_full")))
    return (
        f"In {period_name(ctx.period)}, {number_text(part)} children and young people chaired part of their review "
        f"and {number_text(full)} the whole review ({number_text(part + full)} in all)."
    )


def _dispute_table(ctx: PaperContext) -> tuple[dict[str, str], str | None]:
    """The formal disputes' total row by level (as published) and the main category's share."""
    if ctx.below:
        return {}, None
    disputes = disputes_by_category_level(ctx.selection)
    levels = [f"Level {level}" for level in codes.DISPUTE_LEVELS]
    wide = (
        disputes.with_columns(level=pl.format("Level {}", pl.col("level")))
        .pivot(on="level", index="category_label", values="count")
        .with_columns(Total=pl.sum_horizontal(*levels))
        .filter(pl.col("Total") > 0)
        .sort("Total", "category_label", descending=[True, False])
    )
    if wide.is_empty():
        return {}, None
    total = wide.select(pl.col(c).sum() for c in [*levels, "Total"]).row(0, named=True)
    totals = {k: number_text(v) for k, v in total.items()}
    top = wide.row(0, named=True)
    share = 100 * top["Total"] / total["Total"]
    focus = (
        f"The main focus of formal disputes was {top['category_label'].lower()}, accounting for "
        f"{number_text(share, 0)}% of them ({number_text(top['Total'])} of {number_text(total['Total'])})."
    )
    return totals, focus


def social_work(ctx: PaperContext) -> BriefingSection:
    """Section 3: late notifications and escalations (the challenge theme), then the quality of
    practice: the headline QA items one paragraph each and one table of the care plan's core
    components by quarter with the range across areas."""
    section = BriefingSection(narrative.SECTION_TITLES[2])
    challenge_ids = _theme_ids(ctx, "challenge")
    totals, focus = _dispute_table(ctx)
    for indicator in challenge_ids:
        if indicator == "disputes_formal":
            extra = [narrative.disputes_by_level_sentence(totals), focus]
            section.add(*indicator_blocks(ctx, indicator, *extra, heading="Escalations and IRO challenges"))
        else:
            section.add(*_narrated_blocks(ctx, indicator, challenge_ids))
    section.add(ctx.key_table("Challenge at a glance", challenge_ids))

    section.add(Heading("Quality of practice"))
    quality_ids = [i for i in _theme_ids(ctx, "quality") if not is_core_component(i)]
    narrated = [b for i in quality_ids if i.endswith("_adequate_pct") for b in indicator_blocks(ctx, i)]
    section.add(*narrated)
    core = qa_table(ctx)
    if core is not None:
        by = ", by quarter" if ctx.period.kind == "quarter" else ""
        section.add(Paragraph(f"The grading of the core components of a good care plan{by}:", "lead"), core)
    if not narrated and core is None:
        section.add(Paragraph(f"No quality assurance audits are recorded for {period_name(ctx.period)}."))
    return section


def views(ctx: PaperContext) -> BriefingSection:
    """Section 4: IRO contact between reviews, then each survey with responses: how many, and each
    question's answer as a bullet with its base when the base is small."""
    section = BriefingSection(narrative.SECTION_TITLES[3])
    ids = _theme_ids(ctx, "views")
    responses = set(family_ids("survey_responses", ctx.ds))
    for indicator in ids:
        if indicator not in responses and find_indicator_id(indicator) is not None:
            parts = find_indicator_id(indicator)
            if parts is not None and parts.survey is None and _narrated(ctx, indicator):
                section.add(*indicator_blocks(ctx, indicator))
    for survey, label in codes.SURVEYS.items():
        count_id = survey_responses_id(survey)
        count = ctx.current.value(count_id)
        if not count or ctx.current.suppressed(count_id):
            continue
        ctx.mentioned[count_id] = None
        questions = [i for i in ids if (p := find_indicator_id(i)) is not None and p.survey == survey and i != count_id]
        bullets = [b for i in questions if (b := survey_bullet(ctx, i, label))]
        if not bullets:
            continue
        previous = ctx.previous.value(count_id)
        before = f" ({number_text(previous)} in {period_name(ctx.previous.period)})" if previous is not None else ""
        section.add(
            Heading(label, 3),
            Paragraph(f"{number_text(count)} responses in {period_name(ctx.period)}{before}:", "lead"),
            *[Paragraph(b, "bullet") for b in bullets],
        )
    if len(section.blocks) == 0:
        section.add(Paragraph(f"No IRO contacts or survey responses are recorded for {period_name(ctx.period)}."))
    return section


def survey_bullet(ctx: PaperContext, indicator: str, survey_label: str) -> str | None:
    """'84.1% understand their care plan (127 of 151), 82.3% in Q3 2013-14'; on a base under
    SMALL_BASE the bases are always given and no change is drawn: '100.0% were able to give their
    views (2 of 2), 0.0% in Q3 2013-14 (0 of 1): 2 responses against 1, too few to compare'."""
    meta = ctx.meta(indicator)
    value = ctx.current.value(indicator)
    if meta is None or value is None:
        return None
    ctx.mentioned[indicator] = None
    question = meta.title.removeprefix(f"{survey_label}: ")
    if question[1:2].islower():  # "Understands ..." reads on from the figure; "IRO kept ..." keeps its capital
        question = question[0].lower() + question[1:]
    if ctx.current.suppressed(indicator):
        ctx.any_suppressed = True
        return f"{question}: {MARKER}"
    row = ctx.row(indicator, ctx.period)
    numerator, denominator = (row[1], row[2]) if row else (None, None)
    text = f"{format_figure(meta, value)}: {question}"
    if numerator is not None and denominator:
        text += f" ({number_text(numerator)} of {number_text(denominator)})"
    prev = ctx.previous
    if prev.value(indicator) is None or prev.suppressed(indicator):
        return text
    before = ctx.row(indicator, prev.period)
    small = small_base(
        meta,
        Point("", value, numerator, denominator),
        Point("", before[0], before[1], before[2]) if before else None,
    )
    if small and before is not None and before[2] is not None and denominator is not None:
        return (
            f"{text}; {format_figure(meta, before[0])} in {period_name(prev.period)} ({number_text(before[1])} of "
            f"{number_text(before[2])}): {number_text(denominator)} responses against {number_text(before[2])}, "
            "too few to call a change"
        )
    return f"{text}; {describe_change(meta, prev.value(indicator), value, period_name(prev.period), connector='on')}"
