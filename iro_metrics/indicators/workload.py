"""Workload: children in care, starts and ceases, IRO staffing and caseloads."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from iro_metrics.codes import EPISODE_CONTINUES
from iro_metrics.dataset import Dataset
from iro_metrics.indicators import oversight
from iro_metrics.indicators._engine import Request, count, null_measures, tidy

STAFFING_IDS: tuple[str, ...] = (  # the figures made from IRO staffing
    "iro_fte_establishment",
    "iro_fte_in_post",
    "caseload_per_establishment_fte",
    "caseload_per_fte_in_post",
)
IDS = ("children_in_care", "children_starting_care", "children_ceasing_care", *STAFFING_IDS, *oversight.WORKLOAD_IDS)
# The optional sources (a table, or a table's column as 'table.column') some of IDS need: without
# the source those figures are not recorded, never zero (recorded.py says why and what to import).
SOURCES: dict[str, tuple[str, ...]] = {
    "iro_staffing": STAFFING_IDS,
    "iro_staffing.fte_agency": oversight.AGENCY_IDS,
    "iro_allocations": oversight.ALLOCATION_IDS,
}


def compute(request: Request) -> list[pl.LazyFrame]:
    """Tidy rows for every workload indicator."""
    group = request.group
    in_care = (
        request.open_at_period_ends(*request.area_group, "child_key")
        .group_by(group)
        .agg(children_in_care=pl.col("child_key").n_unique())
    )
    episodes = request.episodes().lazy()
    starts = (
        request.events("episodes")
        .filter(pl.col("reason_new_episode") == "S")
        .group_by(group)
        .agg(children_starting_care=pl.len())
    )
    ceases = (
        request.in_periods(
            episodes.filter(pl.col("end_date").is_not_null() & pl.col("reason_ceased").ne_missing(EPISODE_CONTINUES)),
            "end_date",
        )
        .group_by(group)
        .agg(children_ceasing_care=pl.len())
    )
    return [
        tidy(request, in_care, [count("children_in_care", "children_in_care")]),
        tidy(request, starts, [count("children_starting_care", "children_starting_care")]),
        tidy(request, ceases, [count("children_ceasing_care", "children_ceasing_care")]),
        *staffing_and_caseloads(request),
        *oversight.agency(request),
        *oversight.allocations(request),
    ]


def whole_service_in_care(request: Request) -> pl.DataFrame:
    """Children in care across the whole service at each requested period end (key,
    whole_service_in_care); the same for every selection, so kept with the dataset."""
    cache = request.ds.memo.whole_service_in_care
    missing = [p for p in request.periods if (request.kind, p.key) not in cache]
    if missing:
        # A request for these periods has the whole service's episodes worked out already.
        source = request if missing == request.periods else Request(request.ds, request.kind, missing)
        counts = (
            source.open_at_period_ends("child_key", select=False)
            .group_by("key")
            .agg(pl.col("child_key").n_unique())
            .collect()
        )
        found = dict(counts.iter_rows())
        for period in missing:
            cache[(request.kind, period.key)] = found.get(period.key, 0)
    return pl.DataFrame(
        {
            "key": [p.key for p in request.periods],
            "whole_service_in_care": [cache[(request.kind, p.key)] for p in request.periods],
        },
        schema={"key": pl.Int32, "whole_service_in_care": pl.Int64},
    )


def area_team_map(ds: Dataset) -> dict[str, str]:
    """Which IRO team serves each area, from the optional ``area_teams`` table ({} without it)."""
    if ds.memo.area_team_map is None:
        mapping: dict[str, str] = {}
        if ds.has_table("area_teams"):
            rows = ds.table("area_teams").select(pl.col("area").cast(pl.String), pl.col("team").cast(pl.String))
            mapping = dict(rows.collect().iter_rows())
        ds.memo.area_team_map = mapping
    return ds.memo.area_team_map


def caseload_teams(ds: Dataset, areas: Sequence[str] | None) -> tuple[str, ...] | None:
    """The IRO teams whose caseload an area selection shows: those serving the selected areas,
    when the dataset maps every one of them to a team. None means the whole service's caseload
    (no area selected, no mapping, or an area the mapping does not cover)."""
    mapping = area_team_map(ds)
    if not areas or not mapping or any(a not in mapping for a in areas):
        return None
    return tuple(sorted({mapping[a] for a in areas}))


def caseload_scope(ds: Dataset, areas: Sequence[str] | None) -> str:
    """What a caseload figure for this selection covers, as a card says it: the team (or teams)
    serving the selected areas, or "whole service"."""
    teams = caseload_teams(ds, areas)
    return "whole service" if teams is None else " and ".join(teams)


def caseload_is_whole_service(ds: Dataset, areas: Sequence[str] | None) -> bool:
    """True when an area selection's caseload is the whole service's, not its own team's: such a
    figure must be labelled "whole service" and kept out of the area's headline ratings."""
    return bool(areas) and caseload_teams(ds, areas) is None


def _fte_and_in_care(request: Request, teams: tuple[str, ...] | None) -> pl.LazyFrame:
    """key, fte_establishment, fte_in_post, in_care (children in care in the teams' areas, any
    cohort; the whole service when ``teams`` is None) at each requested period end."""
    staffing = request.ds.table("iro_staffing")
    if teams is not None:
        staffing = staffing.filter(pl.col("team").cast(pl.String).is_in(list(teams)))
    monthly = (
        staffing.group_by("month_end")
        .agg(fte_establishment=pl.col("fte_establishment").sum(), fte_in_post=pl.col("fte_in_post").sum())
        .sort("month_end")
    )
    # The latest month end on or before each period end: sum over teams at that month end.
    at_ends = (
        request.windows.lazy()
        .sort("end")
        .join_asof(monthly, left_on="end", right_on="month_end", strategy="backward")
        .select("key", "fte_establishment", "fte_in_post")
    )
    if teams is None:
        in_care = whole_service_in_care(request).lazy().rename({"whole_service_in_care": "in_care"})
    else:
        team_areas = [a for a, t in area_team_map(request.ds).items() if t in teams]
        in_care = (
            Request(request.ds, request.kind, request.periods, tuple(team_areas))
            .open_at_period_ends("child_key")
            .group_by("key")
            .agg(in_care=pl.col("child_key").n_unique())
        )
    return at_ends.join(in_care, on="key", how="left").with_columns(pl.col("in_care").fill_null(0).cast(pl.Int64))


def _fte_and_in_care_by_area(request: Request) -> pl.LazyFrame:
    """``_fte_and_in_care`` for each requested area at once (key, area, ...): a mapped area
    carries its team's figures, an unmapped one the whole service's."""
    ds = request.ds
    area_type = ds.table("episodes").collect_schema()["area"]
    mapping = {a: t for a, t in area_team_map(ds).items() if a in set(request.area_list)}
    whole = _fte_and_in_care(request, None)
    unmapped = [a for a in request.area_list if a not in mapping]
    parts = [
        whole.join(pl.LazyFrame({"area": unmapped}, schema={"area": pl.String}), how="cross").with_columns(
            pl.col("area").cast(area_type)
        )
    ]
    if mapping:
        teams = pl.LazyFrame(
            {"area": list(mapping), "team": list(mapping.values())}, schema={"area": pl.String, "team": pl.String}
        ).with_columns(pl.col("area").cast(area_type))
        in_care = (
            request.open_at_period_ends("area", "child_key", select=False)
            .join(teams, on="area", how="inner")
            .group_by("key", "team")
            .agg(in_care=pl.col("child_key").n_unique().cast(pl.Int64))
        )
        monthly = (
            ds.table("iro_staffing")
            .with_columns(pl.col("team").cast(pl.String))
            .filter(pl.col("team").is_in(list(set(mapping.values()))))
            .group_by("team", "month_end")
            .agg(fte_establishment=pl.col("fte_establishment").sum(), fte_in_post=pl.col("fte_in_post").sum())
            .sort("month_end")
        )
        # Each team's latest month end on or before each period end.
        at_ends = (
            request.windows.lazy()
            .join(teams.select("team").unique(), how="cross")
            .sort("end")
            # Both sides are sorted by date above; with ``by`` Polars cannot check it itself.
            .join_asof(
                monthly, left_on="end", right_on="month_end", by="team", strategy="backward", check_sortedness=False
            )
            .select("key", "team", "fte_establishment", "fte_in_post")
        )
        per_team = at_ends.join(in_care, on=["key", "team"], how="left").with_columns(pl.col("in_care").fill_null(0))
        parts.append(per_team.join(teams, on="team", how="inner").drop("team"))
    return pl.concat(parts, how="diagonal_relaxed")


def staffing_and_caseloads(request: Request) -> list[pl.LazyFrame]:
    """FTE at each period end and caseloads (never filtered by cohort): the whole service's, or
    for an area selection its IRO team's where the dataset maps areas to teams."""
    ids_fte = ("iro_fte_establishment", "iro_fte_in_post")
    ids_caseload = ("caseload_per_establishment_fte", "caseload_per_fte_in_post")
    if not request.ds.has_table("iro_staffing"):
        return [null_measures(request, ids_fte + ids_caseload)]
    if request.by_area:
        frame = request.skeleton.join(_fte_and_in_care_by_area(request), on=["key", "area"], how="left")
    else:
        frame = request.skeleton.join(
            _fte_and_in_care(request, caseload_teams(request.ds, request.areas)), on="key", how="left"
        )
    rows = []
    for indicator, numerator, denominator in (
        ("iro_fte_establishment", pl.col("fte_establishment"), None),
        ("iro_fte_in_post", pl.col("fte_in_post"), None),
        ("caseload_per_establishment_fte", pl.col("in_care"), pl.col("fte_establishment")),
        ("caseload_per_fte_in_post", pl.col("in_care"), pl.col("fte_in_post")),
    ):
        numerator = numerator.cast(pl.Float64)
        if denominator is None:
            value, denominator = numerator, pl.lit(None, pl.Float64)
        else:
            denominator = denominator.cast(pl.Float64)
            value = pl.when(denominator > 0).then(numerator / denominator)
        rows.append(
            frame.select(
                *request.group,
                indicator=pl.lit(indicator),
                numerator=numerator,
                denominator=denominator,
                value=value,
            )
        )
    return rows
