"""Issue 26, item 1: every card of an area selection sets the council's value beside the area's."""

from __future__ import annotations

import polars as pl

from iro_metrics.area_answers import beside_council
from iro_metrics.catalogue import catalogue_for


def _figs(values: dict[str, tuple[float | None, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": list(values),
            "value": [v for v, _ in values.values()],
            "display": [d for _, d in values.values()],
        },
        schema={"indicator": pl.String, "value": pl.Float64, "display": pl.String},
    )


def test_the_gap_s_direction_follows_each_indicator_s_polarity() -> None:
    cat = catalogue_for(None)
    area = _figs(
        {
            "late_notifications_pct": (24.0, "24.0%"),  # lower is better
            "participation_pct": (98.0, "98.0%"),  # higher is better
            "children_in_care": (307.0, "307"),  # a count: a share of the council, not better or worse
            "caseload_per_establishment_fte": (None, "–"),  # no value: nothing to compare
        }
    )
    council = _figs(
        {
            "late_notifications_pct": (20.3, "20.3%"),
            "participation_pct": (96.0, "96.0%"),
            "children_in_care": (1842.0, "1,842"),
            "caseload_per_establishment_fte": (64.0, "64.00"),
        }
    )
    out = {r["indicator"]: r for r in beside_council(area, council, cat).iter_rows(named=True)}
    late = out["late_notifications_pct"]
    # 24.0 - 20.3 = +3.7 points, and higher is worse for late notifications
    assert round(late["gap"], 1) == 3.7 and late["gap_direction"] == "declining"
    assert late["line"] == "Council 20.3% · 3.7 pts worse than the council"
    part = out["participation_pct"]
    # 98.0 - 96.0 = +2.0 points, and higher is better for participation
    assert part["gap_direction"] == "improving"
    assert part["line"] == "Council 96.0% · 2.0 pts better than the council"
    assert out["children_in_care"]["line"] == "Council 1,842" and out["children_in_care"]["gap"] is None
    assert out["caseload_per_establishment_fte"]["line"] == "Council 64.00"


def test_an_area_level_with_the_council_says_so() -> None:
    cat = catalogue_for(None)
    same = _figs({"participation_pct": (96.0, "96.0%")})
    out = beside_council(same, same, cat).row(0, named=True)
    assert out["gap"] == 0.0 and out["line"] == "Council 96.0% · the same as the council"


def test_the_slips_list_puts_the_chosen_areas_first_each_part_most_severe_first() -> None:
    from iro_metrics.pages.areas import _with_selected

    # Already most severe first (slips_by_severity): B poor, A poor, C improvement required, A i.r.
    slips = pl.DataFrame(
        {
            "indicator": ["x", "x", "y", "y"],
            "area": ["B", "A", "C", "A"],
            "rating": ["poor", "poor", "improvement required", "improvement required"],
            "gap": [9.0, 5.0, 4.0, 1.0],
            "gap_text": ["9", "5", "4", "1"],
        }
    )
    out = _with_selected(slips, ["A"])
    # A's two rows lead, still poor before improvement required; then B and C in their order.
    assert out.select("area", "rating", "selected").rows() == [
        ("A", "poor", True),
        ("A", "improvement required", True),
        ("B", "poor", False),
        ("C", "improvement required", False),
    ]


def test_council_beside_is_none_for_the_whole_council_and_set_for_an_area() -> None:
    from iro_metrics.dataset import load_dataset
    from iro_metrics.pages.common import council_beside
    from iro_metrics.selection import Selection
    from iro_metrics.store import SHIPPED_DATASET

    ds = load_dataset(SHIPPED_DATASET)
    assert council_beside(Selection.of(ds, "2013-14-Q4"), ["late_notifications_pct"]) is None
    row = council_beside(Selection.of(ds, "2013-14-Q4", ["North Kent"]), ["late_notifications_pct"]).row(0, named=True)
    # North Kent 6 of 25 = 24.0% against Kent's 32 of 158 = 20.3% (tests/indicators/test_honest_figures.py):
    # 24.0 - 20.3 = 3.7 points more late notifications, which is worse
    assert row["line"] == "Council 20.3% · 3.7 pts worse than the council"
