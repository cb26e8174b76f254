"""Grid charts: QA grades stacked in order with their colours, disputes by category and level."""

from __future__ import annotations

import polars as pl

from iro_metrics import codes
from iro_metrics.charts import common, grids


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def test_grade_mix_chart_stacks_grades_in_order_with_their_colours() -> None:
    frame = pl.DataFrame(
        {
            "item": ["care_plan"] * 4,
            "grade": ["inadequate", "good", "outstanding", "requires_improvement"],
            "count": [4, 2, 1, 3],
            "pct": [40.0, 20.0, 10.0, 30.0],
        }
    )
    chart = grids.grade_mix_chart(frame)
    encoding = chart.to_dict()["encoding"]
    labels = [codes.QA_GRADES[g] for g in codes.QA_GRADE_ORDER]
    assert encoding["color"]["scale"]["domain"] == labels
    assert encoding["color"]["scale"]["range"] == [grids.GRADE_COLOURS[g] for g in codes.QA_GRADE_ORDER]
    assert encoding["x"]["stack"] == "normalize"
    # 1 + 2 + 3 of 10 grades are adequate or better.
    assert "Care plan 60.0% adequate or better" in common.alt_text(chart)


def test_dispute_heatmap_lists_categories_in_code_order_with_counts() -> None:
    frame = pl.DataFrame({"category": ["health", "care_plan", "care_plan"], "level": [1, 1, 2], "count": [1, 3, 0]})
    chart = grids.dispute_heatmap(frame)
    spec = chart.to_dict()
    rect = layers(spec)[0]
    assert rect["encoding"]["y"]["sort"] == list(codes.DISPUTE_CATEGORIES.values())
    assert layers(spec)[1]["mark"]["type"] == "text"  # the count is printed in each cell
    assert common.alt_text(chart) == (
        "Heatmap, Formal disputes by category and highest level, 4 in all; by level: level 1 4, level 2 0. "
        "Most common categories: Care plan / pathway plan 3; Health 1."
    )


def test_dispute_heatmap_names_tied_categories_in_their_name_s_order() -> None:
    # Categories with the same count were named in any order, so the alt text (and the chart's
    # spec) could change from one rerun to the next. Ties read alphabetically, every time.
    frame = pl.DataFrame(
        {"category": ["safety", "health", "permanence", "care_plan"], "level": [1, 1, 1, 1], "count": [1, 1, 1, 5]}
    )
    for _ in range(20):
        assert common.alt_text(grids.dispute_heatmap(frame)).endswith(
            "Most common categories: Care plan / pathway plan 5; Health 1; Permanence 1."
        )
