"""IRO team caseloads in a paper, and which figures a paper leaves out as not recorded.

Caseloads are the indicators' own (``iro_metrics.indicators.workload``): children in care in the
areas an IRO team serves divided by the team's FTE (in post, and establishment). A council paper
states each team's caseload beside the whole service's; an area paper gives its team's, labelled
with the team, or, where the dataset does not map its areas to teams, the whole service's,
labelled so and kept out of the area's headlines and ratings.

A team caseload carries its children in care (caseload x FTE gives it back), so it is shown only
when the period's disclosure table publishes the children in care of the team's areas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

from iro_metrics.briefing.disclosure import MARKER
from iro_metrics.briefing.model import BriefingTable
from iro_metrics.briefing.period_table import PeriodTable
from iro_metrics.briefing.wording import format_figure
from iro_metrics.catalogue import Catalogue
from iro_metrics.dataset import Dataset
from iro_metrics.indicators.recorded import STAFFING_IDS, NotRecorded
from iro_metrics.indicators.workload import area_team_map, caseload_teams
from iro_metrics.periods import Period

CASELOAD_IDS: tuple[str, ...] = ("caseload_per_fte_in_post", "caseload_per_establishment_fte")
MAX_TITLES = 4  # a not-recorded note names this many figures, then says how many more


def team_areas(ds: Dataset, teams: Sequence[str]) -> list[str]:
    """The areas the teams serve, in order."""
    return sorted(a for a, t in area_team_map(ds).items() if t in teams)


def team_caseload_hidden(ds: Dataset, areas: Sequence[str] | None, table: PeriodTable) -> bool:
    """Whether an area selection's team caseload must be withheld: the children in care of the
    team's areas are not published by the period's disclosure table (False for the whole service)."""
    teams = caseload_teams(ds, areas)
    if teams is None:
        return False
    return not table.measure_shown("children_in_care", "value", team_areas(ds, teams), "all")


def hide_team_caseloads(ds: Dataset, frame: pl.DataFrame, areas: Sequence[str] | None, table: PeriodTable):
    """Mark the caseload rows of an indicator frame (with ``suppressed``) withheld when
    ``team_caseload_hidden``."""
    if not team_caseload_hidden(ds, areas, table):
        return frame
    return frame.with_columns(
        suppressed=pl.col("suppressed") | (pl.col("indicator").is_in(CASELOAD_IDS) & pl.col("value").is_not_null())
    )


def team_caseload_frame(by_area: pl.DataFrame, ds: Dataset) -> pl.DataFrame:
    """team, areas, and the staffing figures (iro_fte_in_post, caseload_per_fte_in_post,
    iro_fte_establishment, caseload_per_establishment_fte) of each IRO team serving an area, from
    ``indicators_by_area`` (a mapped area carries its team's figures)."""
    mapping = area_team_map(ds)
    if not mapping:
        return pl.DataFrame()
    teams = pl.DataFrame(
        {"area": list(mapping), "team": list(mapping.values())}, schema={"area": pl.String, "team": pl.String}
    )
    rows = (
        by_area.filter(pl.col("indicator").is_in(STAFFING_IDS))
        .with_columns(pl.col("area").cast(pl.String))
        .join(teams, on="area", how="inner")
    )
    if rows.is_empty():
        return pl.DataFrame()
    wide = (
        rows.group_by("team", "indicator")
        .agg(pl.col("value").first())
        .pivot(on="indicator", index="team", values="value")
    )
    areas = rows.group_by("team").agg(areas=pl.col("area").unique().sort())
    return wide.join(areas, on="team").sort("team")


def _team_row(catalogue: Catalogue, team: str, areas: str, figures: dict, shown: bool = True) -> dict[str, str]:
    """A row of the team caseloads table: the FTE, and the caseloads (``MARKER`` unless ``shown``)."""

    def text(indicator: str, withheld: bool = False) -> str:
        value = figures.get(indicator)
        return "–" if value is None else (MARKER if withheld else format_figure(catalogue[indicator], value))

    return {
        "IRO team": team,
        "Areas served": areas,
        "IROs in post (FTE)": text("iro_fte_in_post"),
        "Caseload per FTE in post": text("caseload_per_fte_in_post", not shown),
        "IRO establishment (FTE)": text("iro_fte_establishment"),
        "Caseload per FTE (establishment)": text("caseload_per_establishment_fte", not shown),
    }


def _caseload_phrase(catalogue: Catalogue, figures: dict) -> str:
    """'an average caseload of 75.00 per FTE in post (83.73 per establishment FTE)'."""

    in_post, establishment = catalogue["caseload_per_fte_in_post"], catalogue["caseload_per_establishment_fte"]
    return (
        f"{format_figure(in_post, figures['caseload_per_fte_in_post'])} per FTE in post "
        f"({format_figure(establishment, figures['caseload_per_establishment_fte'])} per establishment FTE)"
    )


def team_caseloads(
    ds: Dataset,
    by_area: pl.DataFrame,
    whole: dict[str, float | None],
    table: PeriodTable,
    catalogue: Catalogue,
    period: Period,
) -> tuple[str | None, BriefingTable | None]:
    """A council paper's team caseloads: a sentence and a table, each team beside the whole service.
    ``whole`` holds the whole service's staffing figures by indicator id. (None, None) without a
    mapping of areas to teams or without staffing."""
    frame = team_caseload_frame(by_area, ds)
    if frame.is_empty() or any(whole.get(i) is None for i in CASELOAD_IDS):
        return None, None
    rows, phrases = [], []
    any_hidden = False
    for row in frame.iter_rows(named=True):
        shown = table.measure_shown("children_in_care", "value", row["areas"], "all")
        any_hidden |= not shown
        rows.append(_team_row(catalogue, row["team"], ", ".join(row["areas"]), row, shown))
        if not shown:
            phrases.append(f"the {row['team']}'s caseload is not shown ({MARKER})")
        elif all(row.get(i) is not None for i in CASELOAD_IDS):
            phrases.append(f"the {row['team']} has an average caseload of {_caseload_phrase(catalogue, row)}")
    rows.append(_team_row(catalogue, "Whole service", "All areas", whole))
    phrases.append(f"across the whole service the caseload is {_caseload_phrase(catalogue, whole)}")
    sentence = f"Team caseloads at {period.end_label}: " + "; ".join(phrases) + "."
    footnotes = [
        "A team's caseload is the children in care in the areas it serves divided by the team's own IROs; "
        "the whole service's counts every child in care and every IRO post, including any not attached to a team."
    ]
    if any_hidden:
        footnotes.append(
            f"{MARKER}: withheld, because the children in care of the team's areas are suppressed for "
            "disclosure control."
        )
    title = f"IRO team caseloads at {period.end_label}"
    return sentence, BriefingTable(title, pl.DataFrame(rows), footnotes, text_columns=2)


def not_recorded_notes(found: dict[str, NotRecorded], title_of: Callable[[str], str | None]) -> list[str]:
    """One note per missing source: what is not recorded, the figures left out, and what to import."""
    groups: dict[tuple[str, str], list[str]] = {}
    for indicator, item in found.items():
        title = title_of(indicator)
        if title is not None:
            groups.setdefault((item.reason, item.remedy), []).append(title)
    notes = []
    for (reason, remedy), titles in groups.items():
        named = ", ".join(titles[:MAX_TITLES])
        if len(titles) > MAX_TITLES:
            named += f" and {len(titles) - MAX_TITLES} more"
        notes.append(f"Not recorded, so left out of this paper ({named}): {reason}; {remedy}.")
    return notes
