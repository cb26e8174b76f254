"""One function per explorer page: every number a page shows, for one selection, in one call.

Each ``<page>_view(ds, period, areas=None, cohort="all")`` returns a ``PageView``: small, sorted
Polars frames (and a few plain values) ready to draw. No Streamlit here; the app caches these
calls by plain arguments. Trends do not depend on the period, so they are worked out once per
(areas, cohort) and kept with the dataset: changing the period recomputes only the period's
figures.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from iro_metrics import codes
from iro_metrics.catalogue import (
    THEMES,
    Catalogue,
    IndicatorMeta,
    base_text,
    catalogue_for,
    format_change,
    format_value,
)
from iro_metrics.dataset import Dataset
from iro_metrics.indicators import (
    area_ranges,
    challenge,
    children_in_care_by,
    compute_indicators,
    data_periods,
    disputes_by_category_level,
    indicator_trend,
    indicators_by_area,
    participation_mix,
    qa_grade_mix,
    reviews,
    workload,
)
from iro_metrics.indicators.recorded import STAFFING_IDS, not_recorded, uasc_note
from iro_metrics.judgement import rag, scorecard
from iro_metrics.periods import Period, PeriodKind, parse_period

TREND_MEMO_SIZE = 24
NOT_RECORDED = "Not recorded"  # what a card shows for a figure whose source the dataset lacks
_memo_lock = threading.Lock()

# The indicators each page shows, in catalogue order, from the modules that compute them.
WORKLOAD_IDS: tuple[str, ...] = workload.IDS
REVIEW_IDS: tuple[str, ...] = reviews.IDS
CHALLENGE_IDS: tuple[str, ...] = challenge.IDS
BREAKDOWNS: dict[str, str] = {
    "age_band": "Age band",
    "sex": "Sex",
    "ethnicity_group": "Ethnicity",
    "legal_status": "Legal status",
}
BREAKDOWN_ORDER: dict[str, tuple[str, ...]] = {
    "age_band": codes.AGE_BANDS,
    "sex": tuple(codes.SEX.values()),
    "ethnicity_group": codes.ETHNICITY_GROUP_ORDER,
}
QA_FOCUS_ITEMS: tuple[str, ...] = ("care_plan", "sw_report", "pledge")
CASELOAD_GUIDELINE = 70.0
RATE_UNITS: frozenset[str] = frozenset({"pct", "per_100"})  # statutory guidance: no more than 70 children per FTE IRO

POLARITY_TEXT = {
    "higher": "Higher is better.",
    "lower": "Lower is better.",
    "none": "No optimum performance defined.",
}


@dataclass
class PageView:
    """What one page shows: named frames, the period's figures and plain values."""

    period: Period
    figures: pl.DataFrame  # indicator, title, unit, value, numerator, denominator, display
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def value(self, indicator: str) -> float | None:
        """The period's value of one indicator (None when it has none)."""
        row = self.figures.filter(pl.col("indicator") == indicator)
        return None if row.is_empty() else row.get_column("value")[0]

    def display(self, indicator: str) -> str:
        """The period's value of one indicator as shown on screen ('80.7%', '1,842', '–')."""
        row = self.figures.filter(pl.col("indicator") == indicator)
        return "–" if row.is_empty() else row.get_column("display")[0]

    def has_data(self, indicator: str) -> bool:
        return self.value(indicator) is not None

    def _column(self, indicator: str, column: str) -> Any:
        if column not in self.figures.columns:
            return None
        row = self.figures.filter(pl.col("indicator") == indicator)
        return None if row.is_empty() else row.get_column(column)[0]

    def not_recorded(self, indicator: str) -> str | None:
        """Why the figure has no value and what to import to get it; None when it is recorded."""
        return self._column(indicator, "not_recorded")

    def scope(self, indicator: str) -> str | None:
        """What a staffing or caseload figure covers: "whole service" or the IRO team; else None."""
        return self._column(indicator, "scope")

    def base(self, indicator: str) -> str | None:
        """'n = 3' when the figure is a rate on a small base, else None."""
        return self._column(indicator, "base")


# --- Shared helpers -------------------------------------------------------------------------------


def catalogue(ds: Dataset | None = None) -> Catalogue:
    """The catalogue for a dataset (its own overrides applied), or the shipped one."""
    return catalogue_for(ds.path if ds is not None else None)


def judging_text(meta: IndicatorMeta) -> str:
    """How an indicator is judged, in words: polarity, target and floor."""
    parts = [POLARITY_TEXT.get(meta.polarity, "")]
    if meta.target is not None:
        parts.append(f"Good at or beyond {format_value(meta, meta.target)}.")
    if meta.floor is not None:
        parts.append(f"Poor beyond {format_value(meta, meta.floor)}.")
    return " ".join(p for p in parts if p)


def available_years(ds: Dataset) -> list[Period]:
    """Every financial year the dataset covers, oldest first."""
    return data_periods(ds, "year")


def available_quarters(ds: Dataset, year: Period | str) -> list[Period]:
    """The quarters of a financial year that the dataset covers."""
    fy = (parse_period(year) if isinstance(year, str) else year).fy
    return [p for p in data_periods(ds, "quarter") if p.fy == fy]


def _period(period: Period | str) -> Period:
    return parse_period(period) if isinstance(period, str) else period


def _areas_key(areas: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(sorted(areas)) if areas else ()


def trend(
    ds: Dataset,
    kind: PeriodKind,
    areas: Sequence[str] | None = None,
    cohort: str = "all",
    indicators: Sequence[str] | None = None,
) -> pl.DataFrame:
    """``indicator_trend`` for every indicator, remembered with the dataset per (kind, areas, cohort).

    Returns the rows for ``indicators`` (all when None), sorted by period then catalogue order.
    """
    key = ("views.trend", kind, _areas_key(areas), cohort)
    with _memo_lock:
        memo = ds.memo.trends
        frame = memo.get(key)
        if frame is not None:
            memo.move_to_end(key)
    if frame is None:
        frame = indicator_trend(ds, kind=kind, areas=list(areas) if areas else None, cohort=cohort)
        with _memo_lock:
            memo[key] = frame
            while len(memo) > TREND_MEMO_SIZE:
                memo.popitem(last=False)
    if indicators is not None:
        frame = frame.filter(pl.col("indicator").is_in(list(indicators)))
    return frame


def figures(
    ds: Dataset, period: Period | str, areas: Sequence[str] | None, cohort: str, indicators: Sequence[str]
) -> pl.DataFrame:
    """The period's value of each indicator with its title, unit and display text, in the given order."""
    cat = catalogue(ds)
    values = compute_indicators(ds, period, areas, cohort)
    wanted = [i for i in indicators if i in set(values.get_column("indicator").to_list())]
    order = pl.DataFrame({"indicator": wanted}, schema={"indicator": pl.String}).with_row_index("_order")
    frame = values.join(order, on="indicator", how="inner").sort("_order").drop("_order")
    return with_notes(ds, _describe(frame, cat), _period(period), cohort, areas)


def with_notes(
    ds: Dataset, described: pl.DataFrame, period: Period, cohort: str, areas: Sequence[str] | None = None
) -> pl.DataFrame:
    """Described figures with what a reader must know beside each value.

    ``not_recorded``: why the figure has no value and what to import to get it (null where it is
    recorded); its ``display`` becomes "Not recorded". ``base``: "n = 3" for a rate on a small base.
    ``scope``: what a staffing or caseload figure covers ("whole service" or the IRO team serving
    the selected areas); null for other figures, which cover the selection.
    """
    cat = catalogue(ds)
    ids = described.get_column("indicator").to_list()
    missing = not_recorded(ds, ids, cohort, period.end)
    notes = [missing[i].message if i in missing else None for i in ids]
    bases = [base_text(cat.get(i), d) for i, d in zip(ids, described.get_column("denominator").to_list(), strict=True)]
    scope = workload.caseload_scope(ds, areas)
    return described.with_columns(
        not_recorded=pl.Series(notes, dtype=pl.String),
        base=pl.Series(bases, dtype=pl.String),
        scope=pl.Series([scope if i in STAFFING_IDS else None for i in ids], dtype=pl.String),
    ).with_columns(
        display=pl.when(pl.col("not_recorded").is_not_null()).then(pl.lit(NOT_RECORDED)).otherwise("display")
    )


def _describe(frame: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """Add title, unit and display columns from the catalogue."""
    ids = frame.get_column("indicator").to_list()
    values = frame.get_column("value").to_list()
    metas = [cat.get(i) for i in ids]
    return frame.with_columns(
        title=pl.Series([m.title if m else i for m, i in zip(metas, ids, strict=True)], dtype=pl.String),
        unit=pl.Series([m.unit if m else "count" for m in metas], dtype=pl.String),
        display=pl.Series(
            [
                format_value(m, v) if m else ("–" if v is None else f"{v:,.1f}")
                for m, v in zip(metas, values, strict=True)
            ],
            dtype=pl.String,
        ),
    ).select("indicator", "title", "unit", "value", "numerator", "denominator", "display")


def _titled_trend(frame: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """A trend with each indicator's title (for legends and tables)."""
    titles = {i: (cat.get(i).title if cat.get(i) else i) for i in frame.get_column("indicator").unique().to_list()}
    return frame.with_columns(title=pl.col("indicator").replace_strict(titles, return_dtype=pl.String))


def _kind(period: Period) -> PeriodKind:
    return period.kind


# --- Pages ----------------------------------------------------------------------------------------


def overview_view(
    ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all"
) -> PageView:
    """Overview: the headline scorecard (value, RAG, change and direction against the previous
    period and the same period last year) with each headline indicator's trend.

    frames: ``scorecard`` (judgement.scorecard columns plus ``display``, ``previous_change_text``,
    ``last_year_change_text``, ``scope``, ``not_recorded`` and ``base`` as in ``with_notes``), ``trend`` (period, period_start, indicator, value, numerator,
    denominator for the headline indicators). values: ``has_data``, ``trend_panels`` (what
    ``charts.sparkline_grid`` draws: the headline indicators with a value in some period).
    """
    chosen = _period(period)
    cat = catalogue(ds)
    # The trend first: it holds every period's figures, so the scorecard's three periods (now, the
    # previous one, a year ago) are then computed already.
    full_trend = trend(ds, chosen.kind, areas, cohort)
    card = scorecard(ds, chosen, areas, cohort, catalogue=cat)
    rows = card.select("indicator", "value", "change_vs_previous", "change_vs_last_year").rows()
    card = card.with_columns(
        display=pl.Series([format_value(cat[i], v) for i, v, _, _ in rows], dtype=pl.String),
        previous_change_text=pl.Series([format_change(cat[i], c) for i, _, c, _ in rows], dtype=pl.String),
        last_year_change_text=pl.Series([format_change(cat[i], c) for i, _, _, c in rows], dtype=pl.String),
    )
    # A whole-service caseload beside an area's figures is labelled so and not rated for the area.
    scope = workload.caseload_scope(ds, areas)
    unrated = workload.caseload_is_whole_service(ds, areas)
    card = card.with_columns(
        scope=pl.when(pl.col("indicator").is_in(list(STAFFING_IDS))).then(pl.lit(scope)),
        rag=pl.when(pl.col("indicator").is_in(list(STAFFING_IDS)) & pl.lit(unrated))
        .then(pl.lit(None, pl.String))
        .otherwise(pl.col("rag")),
    )
    ids = card.get_column("indicator").to_list()
    headline_trend = full_trend.filter(pl.col("indicator").is_in(ids)).sort("period_start", "indicator")
    period_figures = figures(ds, chosen, areas, cohort, ids)
    # What a reader must know beside each value, as on every topic page's cards: not recorded
    # (and what to import), a small base. A figure that is not recorded has no rating either.
    notes = period_figures.select("indicator", "not_recorded", "base")
    card = card.join(notes, on="indicator", how="left", maintain_order="left").with_columns(
        display=pl.when(pl.col("not_recorded").is_not_null()).then(pl.lit(NOT_RECORDED)).otherwise("display"),
        rag=pl.when(pl.col("not_recorded").is_not_null()).then(pl.lit(None, pl.String)).otherwise("rag"),
    )
    return PageView(
        period=chosen,
        figures=period_figures,
        frames={"scorecard": card, "trend": headline_trend},
        values={
            "has_data": _any_value(period_figures, ["children_in_care", "reviews_held"]),
            "trend_panels": _trend_panels(card, headline_trend, cat),
        },
    )


def _trend_panels(card: pl.DataFrame, trend: pl.DataFrame, cat: Catalogue) -> list[tuple[str, str, str, int | None]]:
    """The Overview's trend panels in scorecard order, as ``charts.sparkline_grid`` takes them:
    (indicator, title, unit, decimals) for each headline indicator with a value in some period."""
    valued = set(trend.filter(pl.col("value").is_not_null()).get_column("indicator").to_list())
    return [
        (indicator, title, cat[indicator].unit, None)
        for indicator, title in card.select("indicator", "title").iter_rows()
        if indicator in valued
    ]


def _any_value(frame: pl.DataFrame, indicators: Sequence[str]) -> bool:
    """True when any of the indicators has a non-zero value in the frame."""
    values = frame.filter(pl.col("indicator").is_in(list(indicators))).get_column("value")
    return bool(values.fill_null(0).abs().sum() > 0)


def children_view(
    ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all"
) -> PageView:
    """Children in care and caseloads: figures, trends by cohort, starts/ceases, breakdowns, caseloads.

    frames: ``in_care_trend`` (period, period_start, cohort, value), ``flows_trend`` (starts and
    ceases: period, period_start, indicator, title, value), ``caseload_trend`` (both caseload
    measures, whole service), one ``by_<breakdown>`` frame per breakdown (group, count, pct).
    values: ``caseload_guideline``, ``has_data``, ``uasc_split_not_recorded`` (why the UASC split
    has no counts, or None).
    """
    chosen = _period(period)
    cat = catalogue(ds)
    cohorts = ("uasc", "citizen") if cohort == "all" else (cohort,)
    in_care = [
        trend(ds, chosen.kind, areas, c, ["children_in_care"]).with_columns(cohort=pl.lit(codes.COHORT_LABELS[c]))
        for c in cohorts
    ]
    in_care_trend = (
        pl.concat(in_care)
        .select("period", "period_start", "cohort", "value", "numerator", "denominator")
        .sort("period_start", "cohort")
    )
    flows = _titled_trend(
        trend(ds, chosen.kind, areas, cohort, ["children_starting_care", "children_ceasing_care"]), cat
    ).sort("period_start", "indicator")
    caseloads = _titled_trend(
        trend(ds, chosen.kind, None, "all", ["caseload_per_establishment_fte", "caseload_per_fte_in_post"]), cat
    ).sort("period_start", "indicator")
    frames = {"in_care_trend": in_care_trend, "flows_trend": flows, "caseload_trend": caseloads}
    for by, group_label in BREAKDOWNS.items():
        frame = children_in_care_by(ds, chosen, by, areas, cohort)
        frames[f"by_{by}"] = frame.rename({"group": "group"}).with_columns(pl.lit(group_label).alias("breakdown"))
    guideline = cat.get("caseload_per_establishment_fte")
    return PageView(
        period=chosen,
        figures=figures(ds, chosen, areas, cohort, WORKLOAD_IDS),
        frames=frames,
        values={
            "caseload_guideline": guideline.target if guideline and guideline.target else CASELOAD_GUIDELINE,
            # Without the UASC table the split into UASC and citizen children is not recorded.
            "uasc_split_not_recorded": note.message if (note := uasc_note(ds)) else None,
            "has_data": _any_value(
                in_care_trend.filter(pl.col("period") == chosen.label).with_columns(indicator=pl.lit("in_care")),
                ["in_care"],
            )
            or _any_value(
                flows.filter(pl.col("period") == chosen.label), ["children_starting_care", "children_ceasing_care"]
            ),
        },
    )


def reviews_view(
    ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all"
) -> PageView:
    """Reviews: held, on time, overdue, chaired by IROs, participation (with the PN mix),
    children chairing (full and part), minutes on time.

    frames: ``trend`` (every review indicator over time, with title), ``participation_mix``
    (code, label, count, pct), ``child_chaired_trend`` (full and part over time).
    """
    chosen = _period(period)
    cat = catalogue(ds)
    review_trend = _titled_trend(trend(ds, chosen.kind, areas, cohort, REVIEW_IDS), cat)
    chaired = review_trend.filter(pl.col("indicator").is_in(["child_chaired_full", "child_chaired_part"])).with_columns(
        how=pl.col("indicator").replace_strict(
            {"child_chaired_full": "Chaired in full", "child_chaired_part": "Chaired part"}, return_dtype=pl.String
        )
    )
    period_figures = figures(ds, chosen, areas, cohort, REVIEW_IDS)
    return PageView(
        period=chosen,
        figures=period_figures,
        values={"has_data": _any_value(period_figures, ["reviews_held", "reviews_overdue"])},
        frames={
            "trend": review_trend.sort("period_start", "indicator"),
            "participation_mix": participation_mix(ds, chosen, areas, cohort).sort("code"),
            "child_chaired_trend": chaired.sort("period_start", "how"),
        },
    )


def qa_ids(item: str) -> tuple[str, str]:
    """The adequate-or-better and good-or-better indicator ids of a QA item."""
    return f"qa_{item}_adequate_pct", f"qa_{item}_good_pct"


def quality_view(
    ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all"
) -> PageView:
    """Quality assurance: care plan grades over time, every item with its range across areas,
    the social worker's report and the Pledge.

    frames: ``trend`` (adequate and good % of every item over time, with title and item),
    ``grade_mix`` (item, grade, count, pct), ``item_ranges`` (item, indicator, title, council
    value (the whole council), selection (the selected areas' value), range_min, range_max,
    min_area, max_area, areas_with_value across every area) for adequate-or-better.
    """
    chosen = _period(period)
    cat = catalogue(ds)
    ids = [i for item in codes.QA_ITEMS for i in qa_ids(item)]
    qa_trend = _titled_trend(trend(ds, chosen.kind, areas, cohort, ids), cat).with_columns(
        item=pl.col("indicator").str.strip_prefix("qa_").str.replace(r"_(adequate|good)_pct$", ""),
        measure=pl.when(pl.col("indicator").str.ends_with("_adequate_pct"))
        .then(pl.lit("Adequate or better"))
        .otherwise(pl.lit("Good or better")),
    )
    period_figures = figures(ds, chosen, areas, cohort, [*ids, "qa_audit_rate_pct"])
    adequate_ids = [qa_ids(item)[0] for item in codes.QA_ITEMS]
    # The range runs across every area and the council figure is the whole council's, whatever
    # areas are selected; ``selection`` is the selection's own value.
    ranges = area_ranges(ds, chosen, cohort).filter(pl.col("indicator").is_in(adequate_ids))
    whole_council = compute_indicators(ds, chosen, None, cohort).select("indicator", council="value")
    council = (
        period_figures.filter(pl.col("indicator").is_in(adequate_ids))
        .select("indicator", "title", selection="value")
        .join(whole_council, on="indicator", how="left")
        .select("indicator", "title", "council", "selection")
    )
    order = pl.DataFrame({"indicator": adequate_ids}).with_row_index("_order")
    item_ranges = (
        council.join(ranges, on="indicator", how="left")
        .join(order, on="indicator", how="inner")
        .sort("_order")
        .drop("_order")
        .with_columns(item=pl.col("indicator").str.strip_prefix("qa_").str.strip_suffix("_adequate_pct"))
    )
    mix = qa_grade_mix(ds, chosen, areas, cohort)
    return PageView(
        period=chosen,
        figures=period_figures,
        frames={
            "trend": qa_trend.sort("period_start", "indicator"),
            "grade_mix": mix,
            "item_ranges": item_ranges,
        },
        values={"has_data": bool(mix.get_column("count").sum() > 0)},
    )


def challenge_view(
    ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all"
) -> PageView:
    """Challenge: late notifications, formal and informal disputes over time, and formal
    disputes by category x highest level.

    frames: ``trend`` (every challenge indicator over time, with title), ``disputes_trend``
    (formal and informal counts with a ``route`` label), ``by_category_level`` (category,
    level, count, every pair, zeros included) and ``category_table`` (one row per category,
    a column per level and a total).
    """
    chosen = _period(period)
    cat = catalogue(ds)
    challenge_trend = _titled_trend(trend(ds, chosen.kind, areas, cohort, CHALLENGE_IDS), cat)
    disputes = challenge_trend.filter(pl.col("indicator").is_in(["disputes_formal", "disputes_informal"])).with_columns(
        route=pl.col("indicator").replace_strict(
            {"disputes_formal": "Formal", "disputes_informal": "Informal"}, return_dtype=pl.String
        )
    )
    grid = disputes_by_category_level(ds, chosen, areas, cohort)
    period_figures = figures(ds, chosen, areas, cohort, CHALLENGE_IDS)
    return PageView(
        period=chosen,
        figures=period_figures,
        values={
            "has_data": _any_value(
                period_figures, ["late_notifications", "disputes_formal", "disputes_informal", "reviews_held"]
            )
            or _any_value(figures(ds, chosen, areas, cohort, ["children_starting_care"]), ["children_starting_care"]),
            "has_formal": bool(grid.get_column("count").sum() > 0),
        },
        frames={
            "trend": challenge_trend.sort("period_start", "indicator"),
            "disputes_trend": disputes.sort("period_start", "route"),
            "by_category_level": grid,
            "category_table": category_level_table(grid),
        },
    )


def category_level_table(grid: pl.DataFrame) -> pl.DataFrame:
    """Formal disputes as a table: a row per category (code-list order), a column per level, a total."""
    levels = list(codes.DISPUTE_LEVELS)
    categories = list(codes.DISPUTE_CATEGORIES)
    full = (
        pl.DataFrame({"category": categories})
        .join(pl.DataFrame({"level": levels}, schema={"level": pl.Int64}), how="cross")
        .join(
            grid.select("category", pl.col("level").cast(pl.Int64), pl.col("count").cast(pl.Int64)),
            on=["category", "level"],
            how="left",
        )
        .with_columns(pl.col("count").fill_null(0))
    )
    wide = full.pivot(on="level", index="category", values="count", sort_columns=True)
    renamed = {str(level): f"Level {level}: {label}" for level, label in codes.DISPUTE_LEVELS.items()}
    position = {c: i for i, c in enumerate(categories)}
    return (
        wide.rename(renamed)
        .with_columns(
            Total=pl.sum_horizontal(list(renamed.values())),
            _order=pl.col("category").replace_strict(position, return_dtype=pl.Int64),
            Category=pl.col("category").replace_strict(codes.DISPUTE_CATEGORIES, return_dtype=pl.String),
        )
        .sort("_order")
        .select("Category", *renamed.values(), "Total")
    )


def survey_ids(ds: Dataset) -> dict[str, list[str]]:
    """Each survey the dataset holds answers for, with its question-level indicator ids."""
    cat_ids = compute_indicators_ids(ds)
    out: dict[str, list[str]] = {}
    for survey in codes.SURVEYS:
        prefix = f"survey_{survey}_"
        questions = [i for i in cat_ids if i.startswith(prefix) and i.endswith("_yes_pct")]
        if questions:
            out[survey] = questions
    return out


def compute_indicators_ids(ds: Dataset) -> list[str]:
    from iro_metrics.indicators import indicator_ids

    return indicator_ids(ds)


def views_view(ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all") -> PageView:
    """Children's views: every survey's results over time with response counts, and IRO contact.

    frames: ``trend`` (period, period_start, survey, question, question_label, indicator, title,
    value, numerator, denominator, responses) for every question, and ``responses_trend`` (responses
    per survey over time, also as ``value``). values: ``surveys`` (survey code -> label, surveys with answers).
    """
    chosen = _period(period)
    cat = catalogue(ds)
    by_survey = survey_ids(ds)
    question_ids = [i for ids in by_survey.values() for i in ids]
    response_ids = [f"survey_{s}_responses" for s in by_survey]
    ids = ["iro_contact_pct", *response_ids, *question_ids]
    all_trend = trend(ds, chosen.kind, areas, cohort, ids)
    responses = (
        all_trend.filter(pl.col("indicator").is_in(response_ids))
        .with_columns(survey=pl.col("indicator").str.strip_prefix("survey_").str.strip_suffix("_responses"))
        .select("period", "period_start", "survey", responses="value")
    )
    survey_of = {i: s for s, qs in by_survey.items() for i in qs}
    questions = (
        _titled_trend(all_trend.filter(pl.col("indicator").is_in(question_ids)), cat)
        .with_columns(survey=pl.col("indicator").replace_strict(survey_of, return_dtype=pl.String))
        .join(responses, on=["period", "period_start", "survey"], how="left")
        .with_columns(
            question=pl.col("indicator")
            .str.strip_suffix("_yes_pct")
            .str.slice(pl.lit(len("survey_")) + pl.col("survey").str.len_chars() + 1)
        )
        .with_columns(
            question_label=pl.col("question").replace_strict(
                codes.SURVEY_QUESTIONS, default=pl.col("question"), return_dtype=pl.String
            )
        )
        .sort("period_start", "indicator")
    )
    responses_trend = responses.with_columns(
        value=pl.col("responses"),
        survey_label=pl.col("survey").replace_strict(codes.SURVEYS, return_dtype=pl.String),
    ).sort("period_start", "survey")
    period_figures = figures(ds, chosen, areas, cohort, ids)
    return PageView(
        period=chosen,
        figures=period_figures,
        frames={
            "trend": questions,
            "responses_trend": responses_trend,
            "contact_trend": _titled_trend(all_trend.filter(pl.col("indicator") == "iro_contact_pct"), cat),
        },
        values={
            "surveys": {s: codes.SURVEYS[s] for s in by_survey},
            "has_responses": _any_value(period_figures, response_ids),
            "has_contact": period_figures.filter(pl.col("indicator") == "iro_contact_pct")
            .get_column("value")
            .is_not_null()
            .any(),
        },
    )


def areas_view(ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all") -> PageView:
    """Every indicator across every area side by side, with the council figure.

    The council figure is the whole council for the cohort, never the area-filtered value; an
    area selection highlights the chosen areas among all of them (``selected``) rather than hiding
    the others.

    frames: ``by_area`` (area, selected, indicator, title, unit, value, numerator, denominator,
    display), ``table`` (a row per indicator: title, a column per area, then Council; unrounded
    values), ``display_table`` (the same as display text), ``slips`` (see
    ``where_performance_slips``, with ``selected``), ``ranges`` (indicator, range_min, range_max,
    min_area, max_area, areas_with_value, across every area). values: ``areas`` (every area),
    ``selected_areas`` (those chosen; every area when none is), ``has_data``.
    """
    chosen = _period(period)
    cat = catalogue(ds)
    council = compute_indicators(ds, chosen, None, cohort)
    ids = council.get_column("indicator").to_list()
    by_area = indicators_by_area(ds, chosen, cohort)
    area_names = sorted(by_area.get_column("area").unique().to_list())
    selected_areas = [a for a in area_names if not areas or a in set(areas)]
    missing = list(not_recorded(ds, ids, cohort, chosen.end))
    described = _describe(by_area.select("indicator", "value", "numerator", "denominator"), cat).with_columns(
        area=by_area.get_column("area"),
        selected=by_area.get_column("area").is_in(selected_areas),
        display=pl.when(pl.col("indicator").is_in(missing)).then(pl.lit(NOT_RECORDED)).otherwise("display"),
        base=pl.Series(
            [
                base_text(cat.get(i), d)
                for i, d in zip(by_area["indicator"].to_list(), by_area["denominator"].to_list(), strict=True)
            ],
            dtype=pl.String,
        ),
    )
    order = pl.DataFrame({"indicator": ids}).with_row_index("_order")
    wide = (
        by_area.pivot(on="area", index="indicator", values="value")
        .join(council.select("indicator", Council="value"), on="indicator", how="left")
        .join(order, on="indicator", how="inner")
        .sort("_order")
        .drop("_order")
    )
    wide = _describe_titles(wide, cat).select("indicator", "Indicator", *area_names, "Council")
    council_described = with_notes(ds, _describe(council, cat), chosen, cohort)
    display = (
        described.pivot(on="area", index="indicator", values="display")
        .join(council_described.select("indicator", Council="display"), on="indicator", how="left")
        .join(order, on="indicator", how="inner")
        .sort("_order")
        .drop("_order")
    )
    display = _describe_titles(display, cat).select("indicator", "Indicator", *area_names, "Council")
    slips = where_performance_slips(described, council, cat).with_columns(selected=pl.col("area").is_in(selected_areas))
    return PageView(
        period=chosen,
        figures=council_described,
        frames={
            "by_area": described.select(
                "area", "selected", *[c for c in described.columns if c not in ("area", "selected")]
            ),
            "table": wide,
            "display_table": display,
            "ranges": area_ranges(ds, chosen, cohort),
            "slips": slips,
        },
        values={
            "areas": area_names,
            "selected_areas": selected_areas,
            # An empty selection says so: data in the chosen areas, not only elsewhere in the council.
            "has_data": _any_value(described.filter("selected"), ["children_in_care", "reviews_held"]),
        },
    )


def _describe_titles(frame: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    ids = frame.get_column("indicator").to_list()
    titles = [cat.get(i).title if cat.get(i) else i for i in ids]
    return frame.with_columns(Indicator=pl.Series(titles, dtype=pl.String))


def where_performance_slips(by_area: pl.DataFrame, council: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """Area rates rated poor or improvement required, worst rating first, with the council figure.

    Only rates (percentages and rates per 100 reviews) are judged by area: a target for a count
    is a council-wide target, and caseloads are whole-service figures.

    Columns: indicator, title, area, value, display, rating, council, council_display.
    """
    council_values = dict(council.select("indicator", "value").iter_rows())
    rows = []
    for indicator, title, area, value, display in by_area.select(
        "indicator", "title", "area", "value", "display"
    ).iter_rows():
        meta = cat.get(indicator)
        # Counts add up across areas and caseloads are whole-service: only rates compare.
        if meta is None or value is None or meta.unit not in RATE_UNITS:
            continue
        rating = rag(meta, value)
        if rating in ("poor", "improvement required"):
            council_value = council_values.get(indicator)
            rows.append(
                {
                    "indicator": indicator,
                    "title": title,
                    "area": area,
                    "value": value,
                    "display": display,
                    "rating": rating,
                    "council": council_value,
                    "council_display": format_value(meta, council_value),
                }
            )
    schema = {
        "indicator": pl.String,
        "title": pl.String,
        "area": pl.String,
        "value": pl.Float64,
        "display": pl.String,
        "rating": pl.String,
        "council": pl.Float64,
        "council_display": pl.String,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    order = {i: n for n, i in enumerate(council.get_column("indicator").to_list())}
    return (
        frame.with_columns(
            _worst=(pl.col("rating") != "poor").cast(pl.Int8),
            _order=pl.col("indicator").replace_strict(order, default=len(order), return_dtype=pl.Int64),
        )
        .sort("_worst", "_order", "area")
        .drop("_worst", "_order")
    )


def definitions(ds: Dataset | None = None) -> pl.DataFrame:
    """Every indicator's catalogue entry (the dataset's survey questions included), in catalogue order.

    Columns: indicator, title, theme, kind, unit, polarity, target, floor, headline, definition, judged.
    """
    cat = catalogue(ds)
    ids = cat.ids()
    if ds is not None:
        try:
            ids = list(dict.fromkeys([*compute_indicators_ids(ds), *ids]))
        except Exception:  # a dataset that cannot answer still has a catalogue to read
            ids = cat.ids()
    rows = []
    for indicator in cat.order(ids):
        meta = cat.get(indicator)
        if meta is None:
            continue
        rows.append(
            {
                "indicator": meta.id,
                "title": meta.title,
                "theme": THEMES.get(meta.theme, meta.theme),
                "kind": meta.kind,
                "unit": meta.unit,
                "polarity": meta.polarity,
                "target": meta.target,
                "floor": meta.floor,
                "headline": meta.headline,
                "definition": meta.definition,
                "judged": judging_text(meta),
            }
        )
    schema = {
        "indicator": pl.String,
        "title": pl.String,
        "theme": pl.String,
        "kind": pl.String,
        "unit": pl.String,
        "polarity": pl.String,
        "target": pl.Float64,
        "floor": pl.Float64,
        "headline": pl.Boolean,
        "definition": pl.String,
        "judged": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
