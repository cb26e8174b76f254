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

from iro_metrics.briefing import sections as sections_
from iro_metrics.briefing.annual import build_annual_report
from iro_metrics.briefing.common import headline_candidates, paper_figures, paper_notes, selection_label, source_line
from iro_metrics.briefing.context import PaperContext, period_name
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD
from iro_metrics.briefing.figures import write_figures_csv
from iro_metrics.briefing.headlines import key_headlines
from iro_metrics.briefing.how_we_compare import SECTION_TITLE, how_we_compare_for_paper
from iro_metrics.briefing.markdown_writer import write_markdown
from iro_metrics.briefing.model import Briefing, BriefingSection, Paragraph
from iro_metrics.catalogue import Catalogue, catalogue_for
from iro_metrics.selection import Selection

__all__ = ["Briefing", "build_briefing", "period_name"]


MAX_HEADLINES = 10


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
    headlines = key_headlines(ctx, headline_candidates(ctx))[:MAX_HEADLINES]
    if not ctx.current.value("children_in_care") and not ctx.current.value("reviews_held"):
        headlines.insert(
            0, f"There were no children in care and no reviews for this selection in {period_name(chosen)}."
        )
    return Briefing(
        title=f"Independent Reviewing Officer service: {chosen.long_label}",
        subtitle=f"Report to committee for {ds.name}. {selection_label(ctx)}. Prepared {date.today():%-d %B %Y}.",
        headlines=headlines,
        sections=sections,
        notes=paper_notes(ctx) + ([compared.attribution] if compared else []),
        source=source_line(ds),
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
        # python-docx (and lxml) load only when a Word file is written: a .md or .csv paper needs none
        from iro_metrics.briefing.docx_writer import write_docx

        return write_docx
    if suffix == ".md":
        return write_markdown
    if suffix == ".csv":
        return write_figures_csv
    raise ValueError(
        f"cannot write a briefing to '{target.name}': the file name must end in .docx (Word), .md (Markdown) "
        "or .csv (the paper's figures)"
    )
