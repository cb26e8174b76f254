"""Build a committee briefing for a period, an area selection and a cohort.

The briefing opens with headline bullets (the catalogue's headline indicators against the
previous period), then has one section per theme: plain-English sentences for its indicators
against the previous period and the same period a year earlier, a key-figures table, the
theme's breakdown table and charts.

Disclosure control (see ``period_table``): suppression is decided once per period over the
whole table of areas x cohorts, and a selection below whole-council level shows a figure only
when that table publishes it, so papers for different selections cannot be subtracted to give
a hidden count back. Charts are drawn from the suppressed figures. Only aggregates ever reach a briefing: no child
id or date of birth is read into it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from iro_metrics import codes
from iro_metrics.briefing import narrative
from iro_metrics.briefing import sections as sections_
from iro_metrics.briefing.bands import MIN_WIDTH
from iro_metrics.briefing.context import PaperContext, period_name
from iro_metrics.briefing.disclosure import (
    DEFAULT_THRESHOLD,
    MARKER,
    footnote,
)
from iro_metrics.briefing.figures import indicator_figures, write_figures_csv
from iro_metrics.briefing.how_we_compare import SECTION_TITLE, how_we_compare_for_paper
from iro_metrics.briefing.model import Briefing, BriefingSection, Paragraph
from iro_metrics.briefing.teams import not_recorded_notes
from iro_metrics.catalogue import Catalogue, catalogue_for
from iro_metrics.dataset import Dataset
from iro_metrics.indicator_registry import find_family_id, qa_indicator_id
from iro_metrics.indicators.recorded import TABLE_SOURCES, uasc_note
from iro_metrics.indicators.workload import area_team_map
from iro_metrics.selection import Selection

__all__ = ["Briefing", "build_briefing", "period_name"]


def _selection_label(ctx: PaperContext) -> str:
    where = "Whole council" if not ctx.below else "Areas: " + ", ".join(ctx.areas or ())
    return f"{where}; {codes.COHORT_LABELS.get(ctx.cohort, ctx.cohort)}"


def _notes(ctx: PaperContext) -> list[str]:
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


def _source(ds: Dataset) -> str:
    """The data-source line in plain words, saying whether the data are synthetic."""
    text = (
        f"Data source: {ds.name} IRO service dataset, built from the council's children-in-care records "
        "(the SSDA903 return) and the IRO service's own records of reviews, disputes, quality assurance "
        "and surveys. "
    )
    if ds.is_synthetic:
        return text + "Synthetic data, made up for demonstration: no real children are described."
    return text + "The council's own records, not synthetic."


MAX_HEADLINES = 10


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


def introduction(ctx: PaperContext) -> str:
    """The paper's opening paragraph, as seed 001's."""
    where = (
        f"children in the care of {ctx.ds.name}" if ctx.areas is None else f"children in care in {', '.join(ctx.areas)}"
    )
    return (
        "This report summarises the quality assurance work undertaken by Independent Reviewing Officers (IROs) "
        f"during {ctx.period.long_label} with respect to IRO and social work practice and performance for {where}. "
        "It is divided into four sections: workload; IRO practice and performance; social work practice and "
        "performance; and children and young people's views."
    )


def build_briefing(
    selection: Selection, threshold: int = DEFAULT_THRESHOLD, catalogue: Catalogue | None = None
) -> Briefing:
    """A committee briefing for one selection (its period, areas (none: the whole council) and cohort).

    ``threshold`` is the disclosure-control setting: counts from 1 to it are suppressed below
    whole-council level.
    """
    if threshold < 1:
        raise ValueError(f"the suppression threshold must be 1 or more, not {threshold}")
    ds, chosen, cohort = selection.ds, selection.period, selection.cohort
    ctx = PaperContext(selection, threshold, catalogue or catalogue_for(ds.path))
    sections = [
        sections_.workload(ctx),
        sections_.iro_practice(ctx),
        sections_.social_work(ctx),
        sections_.views(ctx),
    ]
    compared = how_we_compare_for_paper(ds, chosen) if ctx.areas is None and cohort == "all" else None
    if compared is not None:
        sections.append(BriefingSection(SECTION_TITLE, [Paragraph(compared.paragraph)]))
    headlines = narrative.key_headlines(ctx, headline_candidates(ctx))[:MAX_HEADLINES]
    if not ctx.current.value("children_in_care") and not ctx.current.value("reviews_held"):
        headlines.insert(
            0, f"There were no children in care and no reviews for this selection in {period_name(chosen)}."
        )
    return Briefing(
        title=f"Independent Reviewing Officer service: {chosen.long_label}",
        subtitle=f"Report to committee for {ds.name}. {_selection_label(ctx)}. Prepared {date.today():%-d %B %Y}.",
        headlines=headlines,
        sections=sections,
        notes=_notes(ctx) + ([compared.attribution] if compared else []),
        source=_source(ds),
        synthetic=ds.is_synthetic,
        suppression_applied=ctx.below,
        threshold=threshold,
        figures=paper_figures(ctx) + (compared.figures if compared else []),
        introduction=[Paragraph(introduction(ctx))],
    )


def build_paper(selection: Selection, threshold: int = DEFAULT_THRESHOLD, kind: str = "quarterly") -> Briefing:
    """A paper of either kind: the quarterly report (``build_briefing``) or the annual IRO report
    (``annual.build_annual_report``, for a financial year)."""
    if kind == "annual":
        from iro_metrics.briefing.annual import build_annual_report

        return build_annual_report(selection, threshold)
    if kind != "quarterly":
        raise ValueError(f"unknown paper kind '{kind}': choose quarterly or annual")
    return build_briefing(selection, threshold)


def write_briefing(
    selection: Selection, out_path: Path | str, threshold: int = DEFAULT_THRESHOLD, kind: str = "quarterly"
) -> Path:
    """Build the paper (quarterly or annual) and write it as .docx, .md or .csv (its figures),
    chosen by ``out_path``'s suffix."""
    target = Path(out_path)
    writer = writer_for(target)
    if not target.parent.is_dir():
        raise ValueError(f"cannot write '{target}': the folder {target.parent} does not exist")
    return writer(build_paper(selection, threshold, kind), target)


def writer_for(target: Path) -> Callable[[Briefing, Path], Path]:
    """The writer for a file name's suffix: .docx (Word), .md (Markdown) or .csv (the paper's figures)."""
    suffix = target.suffix.lower()
    if suffix == ".docx":
        from iro_metrics.briefing.docx_writer import write_docx

        return write_docx
    if suffix == ".md":
        from iro_metrics.briefing.markdown_writer import write_markdown

        return write_markdown
    if suffix == ".csv":
        return write_figures_csv
    raise ValueError(
        f"cannot write a briefing to '{target.name}': the file name must end in .docx (Word), .md (Markdown) "
        "or .csv (the paper's figures)"
    )
