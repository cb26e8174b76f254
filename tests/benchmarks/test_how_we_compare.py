"""How we compare: the band's words, the comparison for the shipped Kent, its charts and its panel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from iro_metrics.benchmarks.compare import (
    NO_NATIONAL_FIGURE,
    comparison_table,
    comparison_words,
    how_we_compare,
    how_we_compare_paragraph,
    position,
)
from iro_metrics.benchmarks.store import DATA_DIR, load_benchmarks
from iro_metrics.charts import common, neighbours
from iro_metrics.dataset import load_dataset
from iro_metrics.store import SHIPPED_DATASET
from tests.builders import make_dataset

ROOT = Path(__file__).resolve().parents[2]
d = date


@pytest.mark.parametrize(
    ("value", "comparator", "words"),
    [
        (53, 67, "below"),  # 14 apart; the band is 5% of 67 = 3.35
        (53, 55, "in line with"),  # 2 apart, within 2.75
        (56, 53, "above"),  # 3 apart, beyond 2.65
        (12, 11, "in line with"),  # 1 point: the band is never narrower than 1
        (12, 10, "above"),
        (69.4, 68.6, "in line with"),  # both round to 69
        (22.5, 20, "above"),  # rounds half up to 23: 3 apart, band 1
        (None, 10, None),
    ],
)
def test_the_band_gives_in_line_above_below(value, comparator, words):
    assert position(value, comparator) == words


@pytest.fixture(scope="module")
def kent():
    ds = load_dataset(SHIPPED_DATASET)
    return how_we_compare(ds, year=2025)


def by_id(comparison, measure_id):
    return next(m for m in comparison.measures if m.measure.id == measure_id)


def test_shipped_kent_against_england_region_and_neighbours(kent):
    assert (kent.authority_code, kent.authority_name, kent.region_name, kent.year) == (
        "886",
        "Kent",
        "South East",
        2025,
    )
    in_care = by_id(kent, "cla_31_march")
    # Published 2024-25: Kent 53 per 10,000, England 67, South East 55; neighbours (Essex 35, Bexley 49,
    # Nottinghamshire 53, West Sussex 54, 55, Devon 57, ... East Sussex 66): median of ten = (55 + 57) / 2.
    assert (in_care.published, in_care.england, in_care.region) == (53.0, 67.0, 55.0)
    assert in_care.neighbours_with_figure == 10
    assert in_care.neighbours_median == 56.0
    # The shipped data covers 2024-25, so the council's figure is its own: 1,896 children looked
    # after on 31 March 2025 (calibrated to Kent's) per 355,390 children = 53.35 per 10,000.
    assert kent.council_source == "dataset"
    assert (in_care.council_numerator, in_care.council_denominator) == (1896, 355390)
    assert in_care.shown == pytest.approx(1896 / 355390 * 10_000)
    # Social workers are published for 2023-24 only: that year is used (Kent 565 of 1,960, 29%; the
    # data 564 of 1,956).
    workers = by_id(kent, "three_social_workers_pct")
    assert (workers.year, workers.published, workers.england, workers.region) == (2024, 29.0, 27.0, 25.0)
    assert (workers.council_numerator, workers.council_denominator) == (564, 1956)


def test_sentences_come_from_the_numbers(kent):
    assert comparison_words(by_id(kent, "cla_31_march"), kent) == (
        "In 2024-25 Kent's rate of children looked after on 31 March was 53 per 10,000 children: below England "
        "(67), in line with South East (55) and below the median of its 10 statistical neighbours (56)."
    )
    paragraph = how_we_compare_paragraph(kent)
    assert NO_NATIONAL_FIGURE in paragraph
    assert "Open Government Licence v3.0" in paragraph


def test_the_table_and_the_ranking(kent):
    table = comparison_table(kent)
    row = table.filter(pl.col("Measure").str.starts_with("Children looked after on 31 March (")).row(0, named=True)
    assert (row["Kent"], row["England"], row["South East"], row["Against England"]) == ("53", "67", "55", "below")
    ranked = neighbours.neighbour_ranking(kent, "cla_31_march")
    assert ranked.height == 11
    assert ranked.filter("is_council").row(0, named=True)["name"] == "Kent (this council)"
    assert ranked["name"][0] == "East Sussex"  # 66, the highest
    assert ranked["name"][-1] == "Essex"  # 35, the lowest


def test_charts_have_alt_text_and_the_trend_every_year(kent):
    spec = common.chart_spec(neighbours.neighbour_chart(kent, "cla_31_march"))
    assert "Kent (this council) is ranked" in spec["description"]
    trend = neighbours.trend_frame(kent, "cla_31_march")
    kent_published = trend.filter(pl.col("series") == "Council (published)")["value"].to_list()
    assert kent_published == [50.0, 53.0, 56.0, 56.0, 53.0]
    assert "Latest (2024-25)" in common.chart_spec(neighbours.trend_chart(kent, "cla_31_march"))["description"]


def test_a_dataset_that_covers_the_year_uses_its_own_figures():
    ds = make_dataset(
        first_day=d(2024, 4, 1),
        last_day=d(2025, 3, 31),
        episodes=[dict(child_id=f"c{n}", start_date=d(2020, 1, 1)) for n in range(1800)],
    )
    ds.meta["la_code_old"] = "886"
    comparison = how_we_compare(ds)
    in_care = by_id(comparison, "cla_31_march")
    assert comparison.council_source == "dataset"
    assert (in_care.council_numerator, in_care.council_denominator) == (1800, 355390)
    assert in_care.council == pytest.approx(1800 / 355390 * 10_000)  # 50.6 per 10,000
    assert in_care.shown == in_care.council


def test_a_dataset_without_an_authority_says_so():
    ds = make_dataset(episodes=[dict(child_id="c1", start_date=d(2013, 5, 1))])
    comparison = how_we_compare(ds)
    assert comparison.measures == []
    assert "does not say which council it is" in comparison.message


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/children.py"])
def test_the_panel_on_the_page(page, tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("IRO_DATASET", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["year"] = "2017-18"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "How we compare" in [h.value for h in at.subheader]
    captions = " ".join(c.value for c in at.caption)
    assert NO_NATIONAL_FIGURE in captions
    assert "Kent, 2024-25" in captions
    # The shipped dataset is synthetic, and the caption says so (issue 24).
    assert "the synthetic dataset's figures (made up, not Kent's real ones)" in captions
    tables = [t.value for t in at.dataframe if "Against England" in t.value.columns]
    assert len(tables) == 1 and tables[0].shape[0] == 6
    # The answers sit beside Kent's figure, on screen at 1400 px (last, they were cut off).
    assert list(tables[0].columns)[:5] == ["Measure", "Year", "Kent", "Against England", "Against neighbours"]
    descriptions = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert any("Kent (this council) is ranked" in s for s in descriptions)


def test_the_import_page_asks_which_council(tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("IRO_DATASET", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/import_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    choice = at.selectbox(key="import_authority")
    assert choice.value == "Not chosen"
    assert "Kent (886)" in choice.options
    assert len(choice.options) == 1 + 155
    assert any("Add newer DfE benchmark files" in e.label for e in at.expander)


def test_a_suppressed_council_figure_is_named_not_guessed(tmp_path):
    from iro_metrics.benchmarks import read_file
    from iro_metrics.benchmarks.read import NEIGHBOUR_SCHEMA
    from iro_metrics.benchmarks.store import Benchmarks
    from tests.benchmarks.test_read import STABILITY

    path = tmp_path / "stability.csv"
    path.write_text(STABILITY, encoding="utf-8")
    _, figures = read_file(path)
    bench = Benchmarks(figures, pl.DataFrame(schema=NEIGHBOUR_SCHEMA))
    ds = make_dataset(episodes=[dict(child_id="c1", start_date=d(2013, 5, 1))])  # covers 2013-14 only
    ds.meta["la_code_old"] = "886"
    comparison = how_we_compare(ds, bench)
    assert (comparison.year, comparison.council_source) == (2026, "published")
    row = by_id(comparison, "three_placements_pct")
    assert (row.shown, row.published_symbol, row.england) == (None, "c", None)
    assert comparison_words(row, comparison) == (
        "No figure is available for Kent's share of children looked after on 31 March with 3 or more "
        "placements in the year in 2025-26 (the DfE marks it 'c')."
    )
    assert comparison_table(comparison).row(0, named=True)["Kent"] == "not available (c)"
    assert any("names no neighbours" in note for note in comparison.notes)


def test_data_that_does_not_fit_the_council_named_is_warned_about():
    # Issue 26 item 9: 1,800 children in care (Kent-sized) labelled as Rutland (857). Rutland's
    # published population of children gives a rate many times its published one, so a warning;
    # the same data labelled as Kent (886): 1,800 / 355,390 x 10,000 = 50.6, near Kent's published
    # rate, no warning.
    def labelled(code: str):
        ds = make_dataset(
            first_day=d(2024, 4, 1),
            last_day=d(2025, 3, 31),
            episodes=[dict(child_id=f"c{n}", start_date=d(2020, 1, 1)) for n in range(1800)],
        )
        ds.meta["la_code_old"] = code
        return how_we_compare(ds)

    rutland = labelled("857")
    in_care = by_id(rutland, "cla_31_march")
    ratio = in_care.council / in_care.published
    assert ratio > 2
    (warning,) = rutland.warnings
    assert warning.startswith("These figures may not be Rutland's (authority 857): children looked after on 31 March")
    assert f"{ratio:,.0f} times apart. Check the council chosen at import." in warning
    assert labelled("886").warnings == []


def test_a_london_borough_is_said_to_be_compared_with_inner_or_outer_london():
    ds = make_dataset(first_day=d(2024, 4, 1), last_day=d(2025, 3, 31), episodes=[])
    ds.meta["la_code_old"] = "202"  # Camden, in Inner London
    comparison = how_we_compare(ds)
    assert comparison.region_name == "Inner London"
    assert comparison.notes[0] == (
        "Camden is compared with Inner London, the DfE's sub-region for London boroughs "
        "(Inner or Outer London), not with London as a whole."
    )


def test_the_comparison_is_kept_with_the_dataset_until_the_benchmarks_change():
    ds = load_dataset(SHIPPED_DATASET)
    first = how_we_compare(ds)
    assert how_we_compare(ds) is first  # a page's rerun reads it back
    assert how_we_compare(ds, year=first.year - 1) is not first  # another year is its own
    other = load_benchmarks(DATA_DIR)  # a new benchmarks object (as when the files change)
    again = how_we_compare(ds, other)
    assert again is not first
    assert again.measures == first.measures and again.neighbours.equals(first.neighbours)
