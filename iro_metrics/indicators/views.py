"""IRO contact between reviews, and children's (and others') views from surveys."""

from __future__ import annotations

import polars as pl

from iro_metrics.codes import SURVEYS
from iro_metrics.dataset import Dataset
from iro_metrics.indicators._engine import Request, null_measures, percent, tidy, tidy_long


def responses_id(survey: str) -> str:
    return f"survey_{survey}_responses"


def yes_id(survey: str, question: str) -> str:
    return f"survey_{survey}_{question}_yes_pct"


def survey_questions(ds: Dataset) -> list[tuple[str, str]]:
    """The (survey, question) pairs the dataset holds answers for, in code-list order."""
    if ds.memo.survey_questions is None:
        pairs = (
            ds.table("survey_responses").select("survey", "question").unique().collect().rows()
            if ds.has_table("survey_responses")
            else []
        )
        order = {s: i for i, s in enumerate(SURVEYS)}
        ds.memo.survey_questions = sorted(pairs, key=lambda p: (order.get(p[0], len(order)), p[0], p[1]))
    return ds.memo.survey_questions


def ids(ds: Dataset) -> tuple[str, ...]:
    return (
        "iro_contact_pct",
        *(responses_id(s) for s in SURVEYS),
        *(yes_id(s, q) for s, q in survey_questions(ds)),
    )


def compute(request: Request) -> list[pl.LazyFrame]:
    """Tidy rows for IRO contact and every survey indicator of the dataset."""
    return [contact(request), *surveys(request)]


def contact(request: Request) -> pl.LazyFrame:
    """Children in care at the period end (in the selection, by the episode open then) who had an
    IRO contact during the period, whatever area or cohort the contact row carries: the measure is
    child-centred, and a child who moved area kept their IRO."""
    if not request.ds.has_table("iro_contacts"):
        return null_measures(request, ["iro_contact_pct"])
    group = request.group
    in_care = request.open_at_period_ends().select(*group, "child_key")
    contacts = request.events("iro_contacts", select=False).select("key", "child_key")
    everyone = in_care.group_by(group).agg(in_care=pl.col("child_key").n_unique())
    # One 64-bit number per (period, child): joining on it is twice as fast as on the two
    # columns, which matters for a trend (two million children at period ends).
    pair = pl.col("key").cast(pl.Int64) * 2**32 + pl.col("child_key").cast(pl.Int64)
    had_contact = in_care.with_columns(_pair=pair).join(contacts.select(_pair=pair), on="_pair", how="semi")
    contacted = had_contact.group_by(group).agg(contacted=pl.col("child_key").n_unique())
    aggregate = everyone.join(contacted, on=group, how="left")
    return tidy(request, aggregate, [percent("iro_contact_pct", "contacted", "in_care")])


def surveys(request: Request) -> list[pl.LazyFrame]:
    response_ids = [responses_id(s) for s in SURVEYS]
    if not request.ds.has_table("survey_responses"):
        return [null_measures(request, response_ids)]
    group = request.group
    answers = request.events("survey_responses")
    responses = answers.group_by(*group, "survey").agg(numerator=pl.col("response_id").n_unique())
    responses = responses.select(
        *group, indicator=pl.format("survey_{}_responses", pl.col("survey")), numerator="numerator"
    ).with_columns(denominator=pl.lit(None, pl.Float64))
    yes = (
        answers.group_by(*group, "survey", "question")
        .agg(numerator=(pl.col("answer") == "yes").sum(), denominator=pl.len())
        .select(
            *group,
            indicator=pl.format("survey_{}_{}_yes_pct", pl.col("survey"), pl.col("question")),
            numerator="numerator",
            denominator="denominator",
        )
    )
    question_ids = [yes_id(s, q) for s, q in survey_questions(request.ds)]
    return [tidy_long(request, responses, response_ids, None), tidy_long(request, yes, question_ids, 100.0)]
