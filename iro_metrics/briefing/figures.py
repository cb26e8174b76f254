"""Every figure a paper shows, one row each: ``indicator, measure, shown`` (the paper's CSV).

``measure`` is ``value`` (the indicator's figure), ``numerator`` and ``denominator`` (the two
counts a percentage or rate is built on), ``count`` (a count in one of the paper's tables) or a
breakdown key such as ``level=2``; ``shown`` is exactly what the paper prints, ``c`` where the
period's disclosure table withholds it. Figures that are not recorded are left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl

from iro_metrics.briefing.context import blank_not_recorded
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD, MARKER, below_council_level
from iro_metrics.briefing.model import Briefing, BriefingTable
from iro_metrics.briefing.period_table import dataset_areas, flag_suppressed, period_table
from iro_metrics.briefing.teams import hide_team_caseloads
from iro_metrics.briefing.wording import format_figure
from iro_metrics.catalogue import Catalogue, catalogue_for
from iro_metrics.formatting import number_text
from iro_metrics.indicators import compute_indicators
from iro_metrics.indicators.recorded import not_recorded
from iro_metrics.safe_text import neutralise
from iro_metrics.selection import Selection

COLUMNS: tuple[str, ...] = ("indicator", "measure", "shown")
_WITH_PARTS = ("pct", "per_100")


def indicator_figures(
    selection: Selection, threshold: int = DEFAULT_THRESHOLD, catalogue: Catalogue | None = None
) -> pl.DataFrame:
    """The selection's indicator figures as a paper prints them: indicator, measure, value, shown.

    A percentage or rate per 100 has three rows (value, numerator, denominator); any other
    indicator one (value). Suppression comes from the period's disclosure table.
    """
    ds, chosen, areas, cohort = selection.ds, selection.period, selection.area_list, selection.cohort
    catalogue = catalogue or catalogue_for(ds.path)
    table = period_table(ds, chosen, threshold)
    computed = blank_not_recorded(compute_indicators(selection), not_recorded(ds, None, cohort, chosen.end))
    frame = flag_suppressed(ds, computed, [chosen], areas, cohort, threshold)
    if below_council_level(dataset_areas(ds), areas):
        frame = hide_team_caseloads(ds, frame, areas, table)
    frame = frame.filter(pl.col("value").is_not_null())
    rows: dict[str, list] = {"indicator": [], "measure": [], "value": [], "shown": []}

    def add(indicator: str, measure: str, value: float, shown: str) -> None:
        rows["indicator"].append(indicator)
        rows["measure"].append(measure)
        rows["value"].append(float(value))
        rows["shown"].append(shown)

    def part_shown(indicator: str, measure: str, hidden: bool) -> bool:
        # A part of a withheld percentage may still be published (the children it counts are
        # published elsewhere); the period table says so for each count.
        return not hidden or table.measure_shown(indicator, measure, areas, cohort)

    for indicator, value, numerator, denominator, hidden in frame.iter_rows():
        meta = catalogue.get(indicator)
        if meta is None:
            continue
        add(indicator, "value", value, MARKER if hidden else format_figure(meta, value))
        if meta.unit in _WITH_PARTS and numerator is not None and denominator is not None:
            shown = part_shown(indicator, "numerator", hidden)
            add(indicator, "numerator", numerator, number_text(numerator) if shown else MARKER)
            shown = part_shown(indicator, "denominator", hidden)
            add(indicator, "denominator", denominator, number_text(denominator) if shown else MARKER)
    return pl.DataFrame(
        rows, schema={"indicator": pl.String, "measure": pl.String, "value": pl.Float64, "shown": pl.String}
    )


def table_figures(table: BriefingTable) -> list[tuple[str, str, str]]:
    """A paper table's figures: (table title, breakdown key, printed text) for every figure cell."""
    label_columns = table.header[: table.text_columns]
    figure_columns = [c for c in table.header[table.text_columns :] if c != "Rating"]
    out = []
    for row in table.frame.iter_rows(named=True):
        key = ";".join(f"{c.lower()}={row[c]}" for c in label_columns[:1])
        for column in figure_columns:
            measure = key if len(figure_columns) == 1 else f"{key};{column}"
            out.append((table.title, measure, "" if row[column] is None else str(row[column])))
    return out


def briefing_figures(briefing: Briefing) -> list[tuple[str, str, str]]:
    """Every figure the paper shows: its indicator figures, then each table's cells."""
    rows = list(briefing.figures)
    seen = {(i, m) for i, m, _ in rows}
    for section in briefing.sections:
        for table in section.tables:
            for row in table_figures(table):
                if (row[0], row[1]) not in seen:
                    seen.add((row[0], row[1]))
                    rows.append(row)
    return rows


def figures_csv(briefing: Briefing) -> str:
    """The paper's figures as CSV text with the columns indicator, measure, shown."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in briefing_figures(briefing):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def write_figures_csv(briefing: Briefing, path: Path | str) -> Path:
    """Write ``figures_csv`` to ``path``."""
    target = Path(path)
    target.write_text(figures_csv(briefing), encoding="utf-8")
    return target
