"""The one document model every paper is written in, and every writer (.docx, .md, .csv, the app's
preview) lays out: a title block, key headlines, sections of blocks, and notes.

A section is an ordered list of blocks, each one of four kinds: a ``Heading`` (an indicator's
heading, kept with what follows it), a ``Paragraph`` (body text, a rating line, a bullet, or text
the analyst wrote, which the paper prints beside the generated figures and never in their place),
a ``BriefingTable`` and a ``BriefingChart``. The writers print the blocks in order and decide
nothing about content.

Everything in a ``Briefing`` is ready to publish: tables hold text with disclosure control
already applied, and charts are drawn from suppressed figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import polars as pl

if TYPE_CHECKING:  # Altair is loaded only by the code that draws charts
    import altair as alt

ParagraphStyle = Literal["body", "lead", "rating", "bullet", "analyst"]
PaperKind = Literal["quarterly", "annual"]


@dataclass
class Heading:
    """A heading inside a section (level 2: an indicator or topic; level 3: below that)."""

    text: str
    level: int = 2


@dataclass
class Paragraph:
    """A paragraph. ``rating`` is an indicator's rating line ("Performance is good"), printed in
    bold under its heading; ``lead`` leads into the table or list after it (kept on its page);
    ``bullet`` a list item; ``analyst`` text the analyst wrote in the app."""

    text: str
    style: ParagraphStyle = "body"


@dataclass
class BriefingTable:
    """A table to print as it is: every cell is text, suppressed cells hold the marker."""

    title: str
    frame: pl.DataFrame
    footnotes: list[str] = field(default_factory=list)
    text_columns: int = 1  # the leading columns that hold labels; the rest hold figures

    @property
    def header(self) -> list[str]:
        return list(self.frame.columns)

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple("" if cell is None else str(cell) for cell in row) for row in self.frame.iter_rows()]


@dataclass
class BriefingChart:
    """An Altair chart with a title and alt text (a plain-English account of what it shows)."""

    title: str
    chart: alt.TopLevelMixin
    alt_text: str


Block = Heading | Paragraph | BriefingTable | BriefingChart


@dataclass
class BriefingSection:
    """One section of the paper: its title and its blocks, in the order they are printed."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block | None) -> BriefingSection:
        """Append the blocks that are not None; return the section."""
        self.blocks += [b for b in blocks if b is not None]
        return self

    @property
    def paragraphs(self) -> list[str]:
        """The text of every paragraph (body, bullet and analyst's), in order."""
        return [b.text for b in self.blocks if isinstance(b, Paragraph) and b.style != "rating"]

    @property
    def tables(self) -> list[BriefingTable]:
        return [b for b in self.blocks if isinstance(b, BriefingTable)]

    @property
    def charts(self) -> list[BriefingChart]:
        return [b for b in self.blocks if isinstance(b, BriefingChart)]


@dataclass
class Briefing:
    """A paper for one period, area selection and cohort: the quarterly report or the annual one."""

    title: str
    subtitle: str
    headlines: list[str]
    sections: list[BriefingSection]
    notes: list[str]
    source: str
    synthetic: bool
    suppression_applied: bool = False
    threshold: int = 4
    # Every indicator figure the paper prints: (indicator, measure, shown), for its CSV.
    figures: list[tuple[str, str, str]] = field(default_factory=list)
    kind: PaperKind = "quarterly"
    introduction: list[Block] = field(default_factory=list)  # before the key headlines

    def charts(self) -> list[BriefingChart]:
        """Every chart of the paper, in order (the writers render them side by side first)."""
        return [c for s in self.sections for c in s.charts]
