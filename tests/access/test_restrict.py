"""An area-restricted viewer's results: their areas and the council total, nothing about other areas."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from iro_metrics.access.restrict import restrict_frame, restrict_result
from iro_metrics.dataset import load_dataset
from iro_metrics.pages.areas import areas_figures
from iro_metrics.pages.challenge import challenge_figures
from iro_metrics.pages.children import children_figures
from iro_metrics.pages.childrens_views import childrens_views_figures
from iro_metrics.pages.common import available_years
from iro_metrics.pages.overview import overview_figures
from iro_metrics.pages.quality import charted_item_ranges, item_ranges_table, quality_figures
from iro_metrics.pages.reviews import reviews_figures
from iro_metrics.selection import Selection
from iro_metrics.store import SHIPPED_DATASET


def test_rows_and_columns_for_other_areas_go_and_ranges_are_blanked():
    by_area = pl.DataFrame({"area": ["East", "North", "West", None], "value": [1.0, 2.0, 3.0, 9.0]})
    assert_frame_equal(
        restrict_frame(by_area, {"North", "West"}), pl.DataFrame({"area": ["East", None], "value": [1.0, 9.0]})
    )
    wide = pl.DataFrame({"indicator": ["a"], "East": [1.0], "North": [2.0], "Council": [1.5]})
    assert restrict_frame(wide, {"North"}).columns == ["indicator", "East", "Council"]
    ranges = pl.DataFrame(
        {"indicator": ["a"], "range_min": [1.0], "range_max": [2.0], "min_area": ["East"], "max_area": ["North"]}
    )
    assert restrict_frame(ranges, {"North"}).row(0) == ("a", None, None, None, None)


def test_restrict_result_walks_views_dicts_and_lists():
    result = {"areas": ["East", "North"], "North": 3, "n": (1, "North", "East")}
    assert restrict_result(result, {"North"}) == {"areas": ["East"], "n": (1, "East")}
    assert restrict_result(result, set()) is result


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED_DATASET)


def _strings(value):
    if isinstance(value, pl.DataFrame):
        yield from value.columns
        for name, dtype in value.schema.items():
            if dtype == pl.String or isinstance(dtype, (pl.Enum, pl.Categorical)):
                yield from value.get_column(name).cast(pl.String).drop_nulls().to_list()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, str):
        yield value


PAGE_VIEWS = [
    overview_figures,
    children_figures,
    reviews_figures,
    quality_figures,
    challenge_figures,
    childrens_views_figures,
    areas_figures,
]


@pytest.mark.parametrize("view", PAGE_VIEWS, ids=lambda v: v.__name__)
def test_no_page_names_another_area_for_a_restricted_viewer(shipped, view):
    allowed = {"East Kent"}
    hidden = set(shipped.areas()) - allowed
    period = available_years(shipped)[-1]
    whole = view(Selection.of(shipped, period))  # the council total, as the app computes it for an empty area choice
    restricted = restrict_result(whole, hidden)
    assert not hidden & set(_strings(restricted))
    # The council figures themselves are untouched.
    assert_frame_equal(restricted.figures, whole.figures)


def test_the_areas_page_keeps_the_viewers_area_and_the_council(shipped):
    period = available_years(shipped)[-1]
    whole = areas_figures(Selection.of(shipped, period))
    restricted = restrict_result(whole, set(shipped.areas()) - {"East Kent"})
    assert "North Kent" in whole.areas
    assert restricted.areas == ["East Kent"]
    assert restricted.table.columns == ["indicator", "Indicator", "East Kent", "Council"]
    assert_frame_equal(
        restricted.table.select("indicator", "East Kent", "Council"),
        whole.table.select("indicator", "East Kent", "Council"),
    )
    assert restricted.by_area.get_column("area").unique().to_list() == ["East Kent"]


def test_the_quality_items_table_drops_the_blanked_ranges_for_a_restricted_viewer(shipped):
    period = available_years(shipped)[-1]
    whole = quality_figures(Selection.of(shipped, period))
    assert item_ranges_table(whole.item_ranges).columns[-1] == "Highest area"  # the council sees the ranges
    restricted = restrict_result(whole, set(shipped.areas()) - {"East Kent"})
    assert charted_item_ranges(restricted.item_ranges).height == 0
    table = item_ranges_table(restricted.item_ranges)
    assert table.columns == ["Item", "Council %"]
    # The council's own figures stay, item by item.
    assert table["Council %"].to_list() == whole.item_ranges["council"].to_list()
