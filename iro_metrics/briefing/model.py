"""What a briefing is made of: headline bullets, then sections of sentences, tables and charts.

Everything in a ``Briefing`` is ready to publish: tables hold text with disclosure control
already applied, and charts are drawn from suppressed figures. The writers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:  # Altair is loaded only by the code that draws charts
    import altair as alt


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


@dataclass
class BriefingSection:
    """One section: its sentences, then its tables and charts. ``subheadings`` puts an indicator's
    heading and rating line ("Performance is good") before the paragraph with that index."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[BriefingTable] = field(default_factory=list)
    charts: list[BriefingChart] = field(default_factory=list)
    subheadings: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class Briefing:
    """A committee briefing for one period, area selection and cohort."""

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
