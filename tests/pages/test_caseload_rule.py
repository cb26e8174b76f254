"""Issue 26, item 2: one caseload rule on the Children page's cards, section, chart and sentence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from iro_metrics.dataset import load_dataset
from iro_metrics.pages.children import caseload_scope_text, children_figures
from iro_metrics.selection import Selection
from tests.builders import frame
from tests.indicators.test_honest_figures import Q4, _variant


def _folder(tmp_path: Path) -> Path:
    # North is served by the North team (2 FTE established, 1 in post at 31 March 2024); South is
    # not mapped to a team. In care at 31 March 2024: K3 (North), K4 (South).
    staffing = frame(
        "iro_staffing",
        [
            {"month_end": date(2024, 3, 31), "team": "North team", "fte_establishment": 2.0, "fte_in_post": 1.0},
            {"month_end": date(2024, 3, 31), "team": "Other team", "fte_establishment": 3.0, "fte_in_post": 3.0},
        ],
    )
    teams = frame("area_teams", [{"area": "North", "team": "North team"}])
    return _variant(tmp_path, iro_staffing=staffing, area_teams=teams)


def _q4_chart_value(view, indicator: str) -> float:
    rows = view.caseload_trend.filter((pl.col("period") == Q4) & (pl.col("indicator") == indicator))
    return rows.get_column("value").item()


def test_an_area_with_a_team_shows_the_team_s_caseload_in_cards_chart_and_words(tmp_path: Path) -> None:
    view = children_figures(Selection.of(load_dataset(_folder(tmp_path)), Q4, ["North"]))
    # North team: 1 child (K3) / 2 FTE established = 0.5; / 1 in post = 1.0. Card and chart agree.
    assert view.value("caseload_per_establishment_fte") == 0.5
    assert _q4_chart_value(view, "caseload_per_establishment_fte") == 0.5
    assert _q4_chart_value(view, "caseload_per_fte_in_post") == 1.0
    assert view.caseload_scope == "North team" == view.scope("caseload_per_establishment_fte")
    assert "cover the North team" in caseload_scope_text(view.caseload_scope)


def test_an_area_without_a_team_and_the_council_show_the_whole_service(tmp_path: Path) -> None:
    ds = load_dataset(_folder(tmp_path))
    for areas in (["South"], None):
        view = children_figures(Selection.of(ds, Q4, areas))
        # Whole service: 2 children (K3, K4) / 5 FTE established = 0.4, on the card and the chart.
        assert view.value("caseload_per_establishment_fte") == 0.4
        assert _q4_chart_value(view, "caseload_per_establishment_fte") == 0.4
        assert view.caseload_scope == "whole service"
    assert "cover the whole service" in caseload_scope_text("whole service")
