"""The council paper's "How we compare" paragraph (issue 18 item 4) on the shipped data.

The expected words are worked from the DfE files and the shipped episodes with plain Polars, and
the band of docs/how-we-compare.md: in line with when the whole numbers differ by no more than 5%
of the comparator or 1, whichever is larger; else above or below.
"""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iro_metrics.briefing import build_briefing
from iro_metrics.briefing.figures import figures_csv
from iro_metrics.briefing.markdown_writer import markdown_text
from iro_metrics.dataset import load_dataset
from iro_metrics.selection import Selection
from tests.builders import make_dataset

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "iro_metrics" / "benchmarks" / "data"
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0; "
    "source: Department for Education."
)
IN_CARE = "Children looked after on 31 March each year"


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def paper(shipped):
    # Issue 24: a paper compares the DfE year of its own period (2024-25 for Q4 2024-25).
    return build_briefing(Selection.of(shipped, "2024-25-Q4"))


def band(value: int, comparator: int) -> str:
    if abs(value - comparator) <= max(0.05 * comparator, 1):
        return "in line with"
    return "above" if value > comparator else "below"


def hand_rate_in_care_2025() -> tuple[int, int, int, int, int]:
    """Kent's rate of children looked after on 31 March 2025 (its count from the shipped episodes,
    short breaks left out, per 10,000 of the DfE's population), England's, the South East's and
    the median of Kent's 10 statistical neighbours (2025 model), as whole numbers."""
    figures = pl.read_csv(BENCH / "cla_number_and_rate_per_10k_children.csv", infer_schema_length=0).filter(
        pl.col("time_period") == "2025", pl.col("population_type") == IN_CARE
    )
    kent = figures.filter(pl.col("old_la_code") == "886")
    end = date(2025, 3, 31)
    children = (
        pl.read_parquet(ROOT / "data" / "episodes.parquet")
        .filter(
            pl.col("start_date") <= end,
            pl.col("end_date").is_null() | (pl.col("end_date") > end),
            ~pl.col("legal_status").cast(pl.String).is_in(["V3", "V4"]),
        )["child_id"]
        .n_unique()
    )
    council = round(children / int(kent["population_estimate"][0]) * 10_000)
    england = int(figures.filter(pl.col("geographic_level") == "National")["rate_per_10000"][0])
    region = int(
        figures.filter(pl.col("geographic_level") == "Regional", pl.col("region_name") == "South East")[
            "rate_per_10000"
        ][0]
    )
    model = pl.read_csv(BENCH / "sn_model_2025_wide.csv", infer_schema_length=0).filter(pl.col("old_la_code") == "886")
    neighbours = [model[f"SN_{i}"][0] for i in range(1, 11)]
    rates = figures.filter(pl.col("old_la_code").is_in(neighbours))["rate_per_10000"].cast(pl.Float64).to_list()
    return children, council, england, region, round(statistics.median(rates))


def test_the_paragraph_words_come_from_the_numbers(paper):
    children, council, england, region, neighbours = hand_rate_in_care_2025()
    assert (children, council, england, region, neighbours) == (1896, 53, 67, 55, 56)
    section = paper.sections[-1]
    assert section.title == "How we compare"
    (paragraph,) = section.paragraphs
    # The shipped dataset is synthetic, and the paragraph says so (issue 24).
    assert paragraph.startswith(
        "How Kent compares in 2024-25, from the synthetic dataset (made-up figures, not Kent's real ones), "
        "against England, South East and its statistical neighbours"
    )
    # 53 against 67: band 3.35, below; against 55: band 2.75, in line; against 56: band 2.8, below.
    expected = (
        f"In 2024-25 Kent's rate of children looked after on 31 March was {council} per 10,000 children: "
        f"{band(council, england)} England ({england}), {band(council, region)} South East ({region}) and "
        f"{band(council, neighbours)} the median of its 10 statistical neighbours ({neighbours})."
    )
    assert expected == (
        "In 2024-25 Kent's rate of children looked after on 31 March was 53 per 10,000 children: below England "
        "(67), in line with South East (55) and below the median of its 10 statistical neighbours (56)."
    )
    assert expected in paragraph
    assert "No national figure is published for review timeliness, participation, disputes or IRO caseloads." in (
        paragraph
    )
    # The attribution is in the notes, not repeated in the paragraph.
    assert ATTRIBUTION in paper.notes and ATTRIBUTION not in paragraph
    text = markdown_text(paper)
    assert "## How we compare" in text and expected in text and ATTRIBUTION in text


def test_the_figures_csv_carries_the_numbers_the_paragraph_prints(paper):
    rows = figures_csv(paper).splitlines()
    for measure, shown in (("council", "53"), ("england", "67"), ("region", "55"), ("neighbours_median", "56")):
        assert f"how_we_compare_cla_31_march,{measure};year=2024-25,{shown}" in rows


def test_left_out_of_area_papers_and_for_an_unknown_council(tmp_path):
    shipped = load_dataset(ROOT / "data")
    area = build_briefing(Selection.of(shipped, "2013-14-Q4", ["East Kent"]))
    assert all(s.title != "How we compare" for s in area.sections) and ATTRIBUTION not in area.notes
    # A hand-built dataset names no council: no paragraph, no error.
    unknown = make_dataset(episodes=[dict(child_id="a", start_date=date(2013, 5, 1))])
    paper = build_briefing(Selection.of(unknown, "2013-14-Q4"))
    assert all(s.title != "How we compare" for s in paper.sections) and ATTRIBUTION not in paper.notes


NO_DFE_YEAR = (
    "The DfE's comparable figures for councils start in 2020-21, so this paper for 2013-14 has no comparison "
    "with England, the region or statistical neighbours."
)


def test_a_paper_before_the_dfe_figures_start_says_so(shipped):
    # Issue 24: the 2013-14 paper said "How Kent compares in 2024-25". The DfE files start in 2020-21.
    paper = build_briefing(Selection.of(shipped, "2013-14-Q4"))
    assert paper.sections[-1].title == "How we compare"
    assert paper.sections[-1].paragraphs == [NO_DFE_YEAR]
    assert "2024-25" not in markdown_text(paper)
    # Kent (886) on a dataset whose records end in March 2014: the same sentence.
    ds = make_dataset(episodes=[dict(child_id="a", start_date=date(2013, 5, 1))])
    ds.meta["la_code_old"] = "886"
    assert build_briefing(Selection.of(ds, "2013-14-Q4")).sections[-1].paragraphs == [NO_DFE_YEAR]


def test_a_year_the_dfe_has_not_published_yet_says_which_year_it_compares(shipped):
    paper = build_briefing(Selection.of(shipped, "2025-26-Q2"))
    (paragraph,) = paper.sections[-1].paragraphs
    assert paragraph.startswith(
        "The DfE has not yet published figures for 2025-26; the latest are for 2024-25. How Kent compares in 2024-25"
    )
