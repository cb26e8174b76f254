"""What both papers, the quarterly report (``build``) and the annual report (``annual``), print
alike: the selection line under the title, the notes, the data-source line, the indicators a key
headline may be drawn from, and the figures the paper prints (its CSV's rows)."""

from __future__ import annotations

import polars as pl

from iro_metrics import codes
from iro_metrics.briefing.bands import MIN_WIDTH
from iro_metrics.briefing.context import PaperContext, period_name
from iro_metrics.briefing.disclosure import MARKER, footnote
from iro_metrics.briefing.figures import indicator_figures
from iro_metrics.briefing.teams import not_recorded_notes
from iro_metrics.dataset import Dataset
from iro_metrics.indicator_registry import find_family_id, qa_indicator_id
from iro_metrics.indicators.recorded import TABLE_SOURCES, uasc_note
from iro_metrics.indicators.workload import area_team_map


def selection_label(ctx: PaperContext) -> str:
    where = "Whole council" if not ctx.below else "Areas: " + ", ".join(ctx.areas or ())
    return f"{where}; {codes.COHORT_LABELS.get(ctx.cohort, ctx.cohort)}"


def paper_notes(ctx: PaperContext) -> list[str]:
    notes = []
    if ctx.any_suppressed:
        notes.append(footnote(ctx.threshold))
    if ctx.banded:
        notes.append(
            'A key headline percentage that is suppressed is given as a band (for example "more than 95%") '
            "only where the band, with every other figure published for the financial year, still leaves "
            f"each suppressed count at least {MIN_WIDTH} values wide; otherwise it is shown as {MARKER}."
        )
    if ctx.below:
        notes.append(
            "Breakdowns by age, participation, dispute category and level, and quality assurance grade are "
            "published for the whole council only: for part of the council they could be subtracted from the "
            "whole council's to give a suppressed figure back."
        )
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
        _caseload_note(ctx),
        "Short breaks (legal status V3 and V4) are left out of every figure.",
        "Each figure's definition is available from the IRO service's performance and information team.",
    ]
    missing = sorted(t for t in ctx.ds.missing_tables if t in TABLE_SOURCES)
    if missing:
        tables = ", ".join(name.replace("_", " ") for name in missing)
        notes.append(f"Not recorded in this dataset: {tables}. The figures that need them are left out.")
    notes += not_recorded_notes(ctx.not_recorded, lambda i: None if (m := ctx.meta(i)) is None else m.title)
    if ctx.cohort == "all" and (split := uasc_note(ctx.ds)) is not None:
        notes.append(
            "Not recorded, so left out of this paper (children in care split into UK citizens and UASC): "
            f"{split.reason}; {split.remedy}."
        )
    no_figure = [
        meta.title
        for indicator, value in ctx.current.frame.select("indicator", "value").iter_rows()
        if value is None and indicator not in ctx.not_recorded and (meta := ctx.meta(indicator)) is not None
    ]
    if no_figure:
        notes.append(f"Not recorded for {period_name(ctx.period)}, so left out of this paper: {', '.join(no_figure)}.")
    if ctx.cohort != "all":
        notes.append(
            f"Cohort: {codes.COHORT_LABELS.get(ctx.cohort, ctx.cohort)} only (by the UASC flag on each record)."
        )
    return notes


def _caseload_note(ctx: PaperContext) -> str:
    """What the paper's caseloads cover."""
    if not area_team_map(ctx.ds):
        return "Caseloads and IRO numbers are whole-service figures: the dataset does not map areas to IRO teams."
    if ctx.caseload_whole_service:
        return (
            "Caseloads and IRO numbers are whole-service figures: the dataset maps some areas to IRO teams, "
            "but not every area of this selection."
        )
    if ctx.areas is not None:
        return f"Caseloads and IRO numbers are those of the {ctx.caseload_scope}, which serves the areas of this paper."
    return "Caseloads and IRO numbers are the whole service's, with each IRO team's caseload beside them."


def source_line(ds: Dataset) -> str:
    """The data-source line in plain words, saying whether the data are synthetic."""
    text = (
        f"Data source: {ds.name} IRO service dataset, built from the council's children-in-care records "
        "(the SSDA903 return) and the IRO service's own records of reviews, disputes, quality assurance "
        "and surveys. "
    )
    if ds.is_synthetic:
        return text + "Synthetic data, made up for demonstration: no real children are described."
    return text + "The council's own records, not synthetic."


def headline_candidates(ctx: PaperContext) -> list[str]:
    """The indicators a key headline may be drawn from, most important first: the catalogue's
    headline ones, those judged against a target (one caseload, not both), the formal disputes
    rate, and the headline QA items (care plan, its implementation, the social worker's report,
    the Pledge) graded adequate or better."""
    judged = [
        i
        for i in ctx.current.frame["indicator"]
        if (m := ctx.meta(i)) is not None
        and (m.target is not None or m.floor is not None)
        and find_family_id(i) is None
        and i != "caseload_per_fte_in_post"
    ]
    qa = [qa_indicator_id(item, "adequate") for item in codes.QA_ITEMS if item not in codes.QA_CORE_COMPONENTS]
    return list(dict.fromkeys([*ctx.catalogue.headline_ids(), *judged, "disputes_formal_per_100_reviews", *qa]))


def paper_figures(ctx: PaperContext) -> list[tuple[str, str, str]]:
    """Every indicator figure the paper prints, (indicator, measure, shown), in the paper's order."""
    shown = indicator_figures(ctx.selection, ctx.threshold, ctx.catalogue)
    order = pl.DataFrame({"indicator": list(ctx.mentioned)}, schema={"indicator": pl.String}).with_row_index("_n")
    figures = shown.join(order, on="indicator", how="inner", maintain_order="left").sort("_n", maintain_order=True)
    return list(figures.select("indicator", "measure", "shown").iter_rows())
