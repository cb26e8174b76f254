"""Children in care and caseloads: figures, trends by cohort, starts and ceases, breakdowns, caseloads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from iro_metrics import codes
from iro_metrics.cards import card_changes
from iro_metrics.indicators import children_in_care_by, iro_caseload_table, themes
from iro_metrics.indicators.breakdowns import caseload_distribution_of
from iro_metrics.indicators.recorded import uasc_note
from iro_metrics.indicators.workload import caseload_scope
from iro_metrics.pages.common import CASELOAD_GUIDELINE, PageFigures, any_value, catalogue, figures, titled_trend, trend
from iro_metrics.pages.oversight_text import caseload_sentence, not_recorded_text
from iro_metrics.selection import Selection

WORKLOAD_IDS: tuple[str, ...] = themes.fixed_ids("workload")
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


@dataclass(frozen=True)
class ChildrenFigures(PageFigures):
    """``in_care_trend`` (period, period_start, cohort, value, numerator, denominator),
    ``flows_trend`` (starts and ceases: period, period_start, indicator, title, value, ...),
    ``caseload_trend`` (both caseload measures, for ``caseload_scope``: the chosen areas' IRO team(s) or the whole service, as on the cards), ``breakdowns`` (breakdown code ->
    group, count, pct, breakdown; those asked for), ``caseload_guideline`` and ``uasc_split_not_recorded`` (why the
    UASC split has no counts, or None)."""

    in_care_trend: pl.DataFrame
    flows_trend: pl.DataFrame
    caseload_trend: pl.DataFrame
    breakdowns: dict[str, pl.DataFrame]
    caseload_guideline: float
    caseload_scope: str  # what the caseloads cover: "whole service" or the team(s), as the cards say
    uasc_split_not_recorded: str | None
    changes: pl.DataFrame  # cards.card_changes: each card's change against the previous period and a year ago
    iro_caseloads: pl.DataFrame  # iro_caseload_distribution at the period end (no IRO named), whole service
    iro_caseload_sentence: str | None  # the sentence over its chart; None when allocations are not recorded
    iro_caseload_not_recorded: str | None  # why not (and what to import), when it is not recorded
    iro_caseload_table: pl.DataFrame | None  # each IRO named (iro_caseload_table): only when asked for


def children_figures(
    selection: Selection, with_iro_ids: bool = False, breakdowns: Sequence[str] = tuple(BREAKDOWNS)
) -> ChildrenFigures:
    """Children in care and caseloads for one selection; ``with_iro_ids`` adds the table naming each
    IRO (staff data, for the importer role only); ``breakdowns`` names the breakdowns to work out
    (keys of ``BREAKDOWNS``: the page asks for the one its chosen tab shows)."""
    ds, chosen = selection.ds, selection.period
    cat = catalogue(ds)
    cohorts = ("uasc", "citizen") if selection.cohort == "all" else (selection.cohort,)
    in_care = [
        trend(selection.for_cohort(c), ["children_in_care"]).with_columns(cohort=pl.lit(codes.COHORT_LABELS[c]))
        for c in cohorts
    ]
    in_care_trend = (
        pl.concat(in_care)
        .select("period", "period_start", "cohort", "value", "numerator", "denominator")
        .sort("period_start", "cohort")
    )
    flows = titled_trend(trend(selection, ["children_starting_care", "children_ceasing_care"]), cat).sort(
        "period_start", "indicator"
    )
    # One caseload rule with the cards (issue 26, item 2): the IRO team(s) serving the chosen
    # areas when staffing is recorded per team, else the whole service; any cohort either way.
    caseload_selection = selection.for_cohort("all")
    caseloads = titled_trend(
        trend(caseload_selection, ["caseload_per_establishment_fte", "caseload_per_fte_in_post"]), cat
    ).sort("period_start", "indicator")
    by_breakdown = {
        by: children_in_care_by(selection, by).with_columns(pl.lit(label).alias("breakdown"))
        for by, label in BREAKDOWNS.items()
        if by in breakdowns
    }
    guideline = cat.get("caseload_per_establishment_fte")
    guideline_value = guideline.target if guideline and guideline.target else CASELOAD_GUIDELINE
    named = iro_caseload_table(selection)  # one computation: the distribution leaves the IROs out
    per_iro = caseload_distribution_of(named)
    has_data = any_value(
        in_care_trend.filter(pl.col("period") == chosen.label).with_columns(indicator=pl.lit("in_care")), ["in_care"]
    ) or any_value(flows.filter(pl.col("period") == chosen.label), ["children_starting_care", "children_ceasing_care"])
    return ChildrenFigures(
        period=chosen,
        figures=figures(selection, WORKLOAD_IDS),
        has_data=has_data,
        in_care_trend=in_care_trend,
        flows_trend=flows,
        caseload_trend=caseloads,
        caseload_scope=caseload_scope(ds, selection.area_list),
        breakdowns=by_breakdown,
        caseload_guideline=guideline_value,
        # Without the UASC table the split into UASC and citizen children is not recorded.
        uasc_split_not_recorded=note.message if (note := uasc_note(ds)) else None,
        changes=card_changes(selection, WORKLOAD_IDS),
        iro_caseloads=per_iro,
        iro_caseload_not_recorded=not_recorded_text(selection.ds, ("iro_caseload_median",)),
        iro_caseload_sentence=caseload_sentence(per_iro, chosen.end, guideline_value),
        iro_caseload_table=named if with_iro_ids else None,
    )


def caseload_scope_text(scope: str) -> str:
    """The one sentence on what caseloads cover, the same rule as the cards' "Covers:" line."""
    if scope == "whole service":
        return (
            "Staffing is recorded per IRO team; these caseloads cover the whole service (every child in care "
            "and every IRO), as the cards above do."
        )
    return (
        f"Staffing is recorded per IRO team, so these caseloads, like the cards above, cover the {scope}: "
        "every child in care in the areas that team serves, whatever the cohort, per full-time IRO in it."
    )
