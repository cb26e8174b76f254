"""Children's views: every survey's results over time with response counts, and IRO contact."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iro_metrics import codes
from iro_metrics import indicator_registry as registry
from iro_metrics.cards import card_changes
from iro_metrics.dataset import Dataset
from iro_metrics.indicators import themes
from iro_metrics.pages.common import PageFigures, any_value, catalogue, figures, titled_trend, trend
from iro_metrics.selection import Selection

CARD_IDS: tuple[str, ...] = ("iro_contact_pct",)


@dataclass(frozen=True)
class ChildrensViewsFigures(PageFigures):
    """``trend`` (period, period_start, survey, question, question_label, indicator, title, value,
        numerator, denominator, responses) for every question, ``responses_trend`` (responses per survey
        over time, also as ``value``), ``contact_trend`` (IRO contact over time), ``surveys`` (code ->
        label, surveys with answers), ``period_responses`` (survey code -> responses in the selected period,
    0 when none), ``has_responses`` and ``has_contact``."""

    trend: pl.DataFrame
    responses_trend: pl.DataFrame
    contact_trend: pl.DataFrame
    surveys: dict[str, str]
    period_responses: dict[str, int]
    has_responses: bool
    has_contact: bool
    changes: pl.DataFrame  # cards.card_changes: each card's change against the previous period and a year ago


def survey_ids(ds: Dataset) -> dict[str, list[str]]:
    """Each survey the dataset holds answers for, with its question-level indicator ids."""
    question_ids = registry.family_ids("survey_question", ds)
    out: dict[str, list[str]] = {}
    for survey in codes.SURVEYS:
        questions = [i for i in question_ids if themes.parse_indicator_id(i).survey == survey]
        if questions:
            out[survey] = questions
    return out


def childrens_views_figures(selection: Selection) -> ChildrensViewsFigures:
    """The Children's views page's figures for one selection."""
    ds = selection.ds
    cat = catalogue(ds)
    by_survey = survey_ids(ds)
    question_ids = [i for ids in by_survey.values() for i in ids]
    response_ids = [registry.survey_responses_id(s) for s in by_survey]
    ids = ["iro_contact_pct", *response_ids, *question_ids]
    all_trend = trend(selection, ids)
    responses = (
        all_trend.filter(pl.col("indicator").is_in(response_ids))
        .with_columns(survey=registry.id_part(pl.col("indicator"), "survey"))
        .select("period", "period_start", "survey", responses="value")
    )
    questions = (
        titled_trend(all_trend.filter(pl.col("indicator").is_in(question_ids)), cat)
        .with_columns(survey=registry.id_part(pl.col("indicator"), "survey"))
        .join(responses, on=["period", "period_start", "survey"], how="left")
        .with_columns(question=registry.id_part(pl.col("indicator"), "question"))
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
    period_figures = figures(selection, ids)
    has_responses = any_value(period_figures, response_ids)
    has_contact = bool(
        period_figures.filter(pl.col("indicator") == "iro_contact_pct").get_column("value").is_not_null().any()
    )
    return ChildrensViewsFigures(
        period=selection.period,
        figures=period_figures,
        has_data=has_responses or has_contact,
        trend=questions,
        responses_trend=responses_trend,
        contact_trend=titled_trend(all_trend.filter(pl.col("indicator") == "iro_contact_pct"), cat),
        surveys={s: codes.SURVEYS[s] for s in by_survey},
        period_responses=dict.fromkeys(by_survey, 0)
        | {
            s: int(n or 0)
            for s, n in responses_trend.filter(pl.col("period") == selection.period.label)
            .select("survey", "responses")
            .iter_rows()
        },
        has_responses=has_responses,
        has_contact=has_contact,
        changes=card_changes(selection, CARD_IDS),
    )
