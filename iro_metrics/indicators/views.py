"""IRO contact between reviews, and children's (and others') views from surveys."""

from __future__ import annotations

import polars as pl

from iro_metrics.indicator_registry import (
    family_ids,
    survey_indicator_id_expr,
    survey_responses_id_expr,
)
from iro_metrics.indicators._engine import Request, null_measures, percent, tidy, tidy_long

# The survey families (survey_<survey>_responses, survey_<survey>_<question>_yes_pct) are the registry's.
IDS = ("iro_contact_pct",)
# The optional sources (a table, or a table's column as 'table.column') some of IDS need: without
# the source those figures are not recorded, never zero (recorded.py says why and what to import).
SOURCES: dict[str, tuple[str, ...]] = {"iro_contacts": ("iro_contact_pct",)}


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
    in_care = request.open_at_period_ends(*request.area_group, "child_key")
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
    response_ids = family_ids("survey_responses", request.ds)
    if not request.ds.has_table("survey_responses"):
        return [null_measures(request, response_ids)]
    group = request.group
    answers = request.events("survey_responses")
    responses = answers.group_by(*group, "survey").agg(numerator=pl.col("response_id").n_unique())
    responses = responses.select(
        *group, indicator=survey_responses_id_expr(pl.col("survey")), numerator="numerator"
    ).with_columns(denominator=pl.lit(None, pl.Float64))
    yes = (
        answers.group_by(*group, "survey", "question")
        .agg(numerator=(pl.col("answer") == "yes").sum(), denominator=pl.len())
        .select(
            *group,
            indicator=survey_indicator_id_expr(pl.col("survey"), pl.col("question")),
            numerator="numerator",
            denominator="denominator",
        )
    )
    question_ids = family_ids("survey_question", request.ds)
    return [tidy_long(request, responses, response_ids, None), tidy_long(request, yes, question_ids, 100.0)]
