"""The annual IRO report the IRO Handbook requires (chapter 7), laid out as Kent's (seed 004).

For a financial year: purpose and legal context, the IRO service (staffing, caseloads per team),
the children (numbers, age, sex, ethnicity, legal status, UASC), reviews (timeliness,
participation, chairing), IRO practice (quality assurance), challenge and disputes, children's
views, and the year's priorities.

The sections only a person can write (the legal context's local part, practice examples, the
year's priorities) take text the analyst writes in the app: ``save_analyst_text`` keeps it with
the dataset (``paper_text.json`` in the dataset folder) and logs each save in the audit log, and
the report prints it beside the generated figures and conclusions (style ``analyst``), never in
their place.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from iro_metrics import codes
from iro_metrics.access import audit
from iro_metrics.briefing import narrative
from iro_metrics.briefing import sections as sections_
from iro_metrics.briefing.common import headline_candidates, paper_figures, paper_notes, selection_label, source_line
from iro_metrics.briefing.context import PaperContext, period_name
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD, suppress_table
from iro_metrics.briefing.headlines import key_headlines
from iro_metrics.briefing.model import Block, Briefing, BriefingSection, BriefingTable, Heading, Paragraph
from iro_metrics.catalogue import Catalogue, catalogue_for
from iro_metrics.formatting import number_text
from iro_metrics.indicators import children_in_care_by, disputes_by_category_level, participation_mix
from iro_metrics.selection import Selection

TEXT_FILE = "paper_text.json"
AUDIT_ACTION = "annual report text"


@dataclass(frozen=True)
class WrittenSection:
    """A part of the annual report only a person can write: its key, its heading and what to write."""

    key: str
    title: str
    prompt: str


WRITTEN_SECTIONS: tuple[WrittenSection, ...] = (
    WrittenSection(
        "legal_context",
        "The council's arrangements",
        "How the IRO service is placed in the council and what changed this year (structure, line management).",
    ),
    WrittenSection(
        "practice",
        "Practice examples",
        "Examples of IRO practice and its effect on children's plans this year (no names or identifying details).",
    ),
    WrittenSection(
        "priorities",
        "The year's priorities",
        "The IRO service's priorities for the coming year, and progress on last year's.",
    ),
)
_WRITTEN = {w.key: w for w in WRITTEN_SECTIONS}

LEGAL_CONTEXT = (
    "The appointment of an Independent Reviewing Officer (IRO) for every child in care is a legal requirement "
    "under section 118 of the Adoption and Children Act 2002. The Children and Young Persons Act 2008 and the IRO "
    "Handbook (2010) strengthened the role: the IRO chairs each child's review, monitors the council's "
    "performance as corporate parent, makes sure the child's wishes and feelings are given full weight, and may "
    "challenge the council, through its dispute resolution process and if need be by referral to Cafcass. "
    "Chapter 7 of the Handbook requires the manager of the IRO service to produce an annual report for the "
    "council's corporate parenting panel; this is that report."
)


# --- the analyst's text: kept with the dataset, each save logged -----------------------------------


def _text_file(dataset_path: Path | str) -> Path:
    return Path(dataset_path) / TEXT_FILE


def read_analyst_text(dataset_path: Path | str | None, year: str) -> dict[str, str]:
    """The analyst's text for a year's report, by section key (empty when none is written)."""
    if dataset_path is None:
        return {}
    path = _text_file(dataset_path)
    if not path.is_file():
        return {}
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"cannot read the annual report's text in {path}: {err}") from err
    year_text = stored.get(year, {}) if isinstance(stored, dict) else {}
    return {k: str(v) for k, v in year_text.items() if k in _WRITTEN and str(v).strip()}


def save_analyst_text(
    dataset_path: Path | str,
    year: str,
    key: str,
    text: str,
    *,
    who: str,
    audit_log: Path,
    audit_key: bytes | None = None,
) -> dict[str, str]:
    """Keep the analyst's text for one section of a year's report with the dataset (replacing the
    file whole, so a failed write leaves the old one) and log the save in the audit log (its length
    and SHA-256, not the text). Returns the year's text after the save."""
    if key not in _WRITTEN:
        raise ValueError(f"'{key}' is not a written section of the annual report: choose {', '.join(_WRITTEN)}")
    path = _text_file(dataset_path)
    stored: dict = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    year_text = dict(stored.get(year, {}))
    if text.strip():
        year_text[key] = text.strip()
    else:
        year_text.pop(key, None)
    stored[year] = year_text
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".paper_text-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(stored, out, ensure_ascii=False, indent=2, sort_keys=True)
    os.replace(temporary, path)
    audit.append_event(
        audit_log,
        key=audit_key,
        who=who,
        action=AUDIT_ACTION,
        outcome="saved" if text.strip() else "cleared",
        details={
            "dataset": str(dataset_path),
            "year": year,
            "section": key,
            "text": audit.file_entry(f"{year}/{key}", text.strip().encode("utf-8")),
        },
    )
    return read_analyst_text(dataset_path, year)


def _written(text: dict[str, str], key: str) -> list[Block]:
    """The analyst's paragraphs for a section (blank lines part them), under its heading."""
    body = text.get(key)
    if not body:
        return []
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return [Heading(_WRITTEN[key].title), *[Paragraph(p, "analyst") for p in paragraphs]]


# --- the generated sections ------------------------------------------------------------------------


def children_table(ctx: PaperContext) -> BriefingTable | None:
    """One table of the children in care at the year end by age, sex, ethnicity, legal status and
    cohort (whole council only: a part's breakdown could be subtracted from the council's)."""
    if ctx.below:
        return None
    parts = []
    for by, label in (
        ("age_band", "Age"),
        ("sex", "Sex"),
        ("ethnicity_group", "Ethnicity"),
        ("legal_status", "Legal status"),
        ("cohort", "UASC"),
    ):
        if by == "cohort" and (ctx.cohort != "all" or not ctx.ds.records_uasc):
            continue
        frame = children_in_care_by(ctx.selection, by).filter(pl.col("count") > 0)
        if frame.is_empty():
            continue
        shown = suppress_table(
            frame.select(pl.col("group").alias("Group"), pl.col("count").alias("Children"), pl.col("pct").alias("%")),
            ["Children"],
            derived={"%": "Children"},
            decimals={"%": 1},
            threshold=ctx.threshold,
            apply=False,
        )
        parts.append(
            shown.frame.with_columns(pl.lit(label).alias("Characteristic")).select(
                "Characteristic", "Group", "Children", "%"
            )
        )
    if not parts:
        return None
    table = pl.concat(parts)
    # The characteristic is printed once, on its first row.
    table = table.with_columns(
        pl.when(pl.col("Characteristic") != pl.col("Characteristic").shift(1).fill_null(""))
        .then(pl.col("Characteristic"))
        .otherwise(pl.lit(""))
        .alias("Characteristic")
    )
    return BriefingTable(f"Children in care at {ctx.period.end_label}", table, text_columns=2)


def participation_table(ctx: PaperContext) -> BriefingTable | None:
    if ctx.below:
        return None
    mix = participation_mix(ctx.selection).filter(pl.col("count") > 0)
    if mix.is_empty():
        return None
    frame = mix.select(
        pl.col("code").alias("Code"),
        pl.col("label").alias("Participation"),
        pl.col("count").map_elements(number_text, return_dtype=pl.String).alias("Reviews"),
        pl.col("pct").map_elements(lambda v: number_text(v, 1), return_dtype=pl.String).alias("%"),
    )
    return BriefingTable(f"Reviews by the child's participation, {period_name(ctx.period)}", frame, text_columns=2)


def qa_year_table(ctx: PaperContext) -> BriefingTable | None:
    """Every QA item graded in the year: the grades, the shares adequate or better and good or better."""
    rows = []
    for item, label in codes.QA_ITEMS.items():
        adequate, good = f"qa_{item}_adequate_pct", f"qa_{item}_good_pct"
        row = ctx.row(adequate, ctx.period)
        if row is None or not row[2]:
            continue
        rows.append(
            {
                "Item": label,
                "Grades": ctx.part_text(adequate, "denominator", row[2]),
                "Adequate or better": ctx.figure_text(ctx.current, adequate),
                "Good or better": ctx.figure_text(ctx.current, good),
            }
        )
    if not rows:
        return None
    return BriefingTable(f"Quality assurance grades, {period_name(ctx.period)}", pl.DataFrame(rows))


def disputes_table(ctx: PaperContext) -> BriefingTable | None:
    """Formal disputes by category and the highest level reached (whole council only)."""
    if ctx.below:
        return None
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
        return None
    frame = wide.select(
        pl.col("category_label").alias("Category"),
        *[pl.col(c).map_elements(number_text, return_dtype=pl.String) for c in [*levels, "Total"]],
    )
    key = "Levels: " + "; ".join(f"{k} {v}" for k, v in codes.DISPUTE_LEVELS.items())
    return BriefingTable(
        f"Formal disputes by category and highest level reached, {period_name(ctx.period)}", frame, [key]
    )


def build_annual_report(
    selection: Selection, threshold: int = DEFAULT_THRESHOLD, catalogue: Catalogue | None = None
) -> Briefing:
    """The annual IRO report for a financial year (``selection.period`` must be a year)."""
    if selection.period.kind != "year":
        raise ValueError(
            f"the annual report is for a financial year (such as 2015-16), not {period_name(selection.period)}"
        )
    if threshold < 1:
        raise ValueError(f"the suppression threshold must be 1 or more, not {threshold}")
    ds, year = selection.ds, selection.period
    ctx = PaperContext(selection, threshold, catalogue or catalogue_for(ds.path))
    text = read_analyst_text(ds.path, year.label)

    purpose = BriefingSection("1. Purpose and legal context", [Paragraph(LEGAL_CONTEXT)])
    purpose.add(*_written(text, "legal_context"))
    service, children, reviews = _service_section(ctx), _children_section(ctx), _reviews_section(ctx)
    qa, challenge = _qa_and_challenge_sections(ctx, text)
    views = sections_.views(ctx)
    views.title = "7. Children's views"
    priorities = BriefingSection("8. The year's priorities", _written(text, "priorities"))

    parts = [purpose, service, children, reviews, qa, challenge, views]
    if priorities.blocks:
        parts.append(priorities)
    notes = paper_notes(ctx)
    missing = [w.title for w in WRITTEN_SECTIONS if w.key not in text]
    if missing:
        notes.append("Not yet written by the IRO service for this report, so left out: " + ", ".join(missing) + ".")
    headlines = key_headlines(ctx, headline_candidates(ctx))[:10]
    return Briefing(
        title=f"Independent Reviewing Officer service: annual report {year.label}",
        subtitle=(
            f"Annual report of the IRO service (IRO Handbook, chapter 7) for {ds.name}, April {year.fy} to March "
            f"{year.fy + 1}. {selection_label(ctx)}. Prepared {date.today():%-d %B %Y}."
        ),
        headlines=headlines,
        sections=parts,
        notes=notes,
        source=source_line(ds),
        synthetic=ds.is_synthetic,
        suppression_applied=ctx.below,
        threshold=threshold,
        figures=paper_figures(ctx),
        kind="annual",
        introduction=[
            Paragraph(
                f"This report sets out the work of the IRO service in {year.label}: the service, the children it "
                "reviews, the timeliness and quality of reviews, the IROs' quality assurance of care planning, "
                "their challenge to the council, what children told us, and the priorities for the year ahead."
            )
        ],
    )


def _service_section(ctx: PaperContext) -> BriefingSection:
    """2. The IRO service: its FTE, the caseload (with each team's) and the teams' table."""
    service = BriefingSection("2. The IRO service")
    service.add(*[b for i in ("iro_fte_establishment", "iro_fte_in_post") for b in sections_.indicator_blocks(ctx, i)])
    team_sentence, team_table = sections_._team_caseloads(ctx)
    caseload = next((i for i in sections_.CASELOADS if ctx.current.value(i) is not None), None)
    if caseload is not None:
        service.add(
            *sections_.indicator_blocks(ctx, caseload, team_sentence, sections_._target_sentence(ctx, caseload))
        )
    service.add(team_table)
    return service


def _children_section(ctx: PaperContext) -> BriefingSection:
    """3. The children: in care (by cohort), starting and ceasing, and the year end's breakdowns."""
    children = BriefingSection("3. The children")
    children.add(
        *sections_.indicator_blocks(
            ctx, "children_in_care", narrative.cohort_split_sentence(ctx), heading="Children in care"
        ),
        *[b for i in ("children_starting_care", "children_ceasing_care") for b in sections_.indicator_blocks(ctx, i)],
        children_table(ctx),
    )
    return children


def _reviews_section(ctx: PaperContext) -> BriefingSection:
    """4. Reviews: the reviews held, then the quarterly paper's IRO practice with its tables last."""
    practice = sections_.iro_practice(ctx)
    reviews = BriefingSection("4. Reviews", [b for b in practice.blocks if not isinstance(b, BriefingTable)])
    reviews.blocks = [*sections_.indicator_blocks(ctx, "reviews_held", heading="Reviews held"), *reviews.blocks]
    reviews.add(participation_table(ctx), *practice.tables)
    return reviews


def _qa_and_challenge_sections(ctx: PaperContext, text: dict[str, str]) -> tuple[BriefingSection, BriefingSection]:
    """5. Quality assurance and 6. Challenge, split out of the quarterly paper's social work section."""
    social_work = sections_.social_work(ctx)
    quality_start = next(
        (n for n, b in enumerate(social_work.blocks) if getattr(b, "text", None) == "Quality of practice"),
        len(social_work.blocks),
    )
    # The year's table of every item replaces the quarterly paper's core components by quarter.
    qa_blocks = [
        b
        for b in social_work.blocks[quality_start + 1 :]
        if not (isinstance(b, BriefingTable) or (isinstance(b, Paragraph) and b.style == "lead"))
    ]
    qa = BriefingSection("5. IRO practice: quality assurance", qa_blocks)
    qa.add(qa_year_table(ctx), *_written(text, "practice"))
    challenge = BriefingSection("6. Challenge and disputes", social_work.blocks[:quality_start])
    challenge.add(disputes_table(ctx))
    return qa, challenge
