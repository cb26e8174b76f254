"""The importer on real-format 903 files nobody on the project wrote (tests/real_903, see SOURCE.md).

The expected counts are worked out (tests/real_903_hand.py) with plain Polars straight from the raw files (the DfE
rule 148 sets a child aside, an overlapping episode only itself; a review counts when it lies inside one of
its child's episodes), never with the importer. The CSV tables, a zip of them, the same return as
DfE XML, and the validator's own XML (with its CSV form) give identical indicators.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from iro_metrics.dataset import load_dataset
from iro_metrics.importer import import_uploads, run_import
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection
from iro_metrics.store import imported_root
from tests.real_903_hand import (
    CORE,
    CSV_FOLDER,
    PERIODS,
    TODAY,
    VALIDATOR_XML,
    as_workbook,
    as_xml,
    hand_counts,
    parse_date,
    raw_csv_tables,
    raw_xml_tables,
)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every form: the CSV folder, a zip of it, its XML form; the validator's XML and its CSV form."""
    folder = tmp_path_factory.mktemp("real903")
    zipped = folder / "return.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(CSV_FOLDER.iterdir()):
            archive.write(path, f"2017-18/{path.name}")
    csvas_xml = folder / "csv_as.xml"
    full = {name: pl.read_csv(CSV_FOLDER / f"{name}.csv", infer_schema=False) for name in CORE}
    csvas_xml.write_text(as_xml(full), encoding="ascii")
    workbook = folder / "return.xlsx"
    workbook.write_bytes(as_workbook(full))
    xml_as_csv = folder / "xml_as_csv"
    xml_as_csv.mkdir()
    for name, frame in raw_xml_tables(VALIDATOR_XML).items():
        frame.write_csv(xml_as_csv / f"{name}.csv")
    return {
        "csv": CSV_FOLDER,
        "zip": zipped,
        "csvas_xml": csvas_xml,
        "xlsx": workbook,
        "xml": VALIDATOR_XML,
        "xml_as_csv": xml_as_csv,
    }


@pytest.fixture(scope="module")
def imported(forms: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    out = {}
    for form, path in forms.items():
        target = tmp_path_factory.mktemp(f"out-{form}")
        report = run_import([path], target / "dataset", today=TODAY)
        assert report.ok, report.format_text()
        out[form] = (load_dataset(target / "dataset"), report)
    return out


def _indicators(dataset, period: str, cohort: str = "all") -> pl.DataFrame:
    return compute_indicators(Selection.of(dataset, period, None, cohort))


def _value(dataset, indicator: str, period: str, cohort: str = "all") -> float | None:
    frame = _indicators(dataset, period, cohort)
    return frame.filter(pl.col("indicator") == indicator)["value"].item()


# --- the tests -------------------------------------------------------------------------------------


def test_hand_worked_figures_of_the_validator_csv_tables():
    """The raw numbers, fixed here so that a change in the hand computation shows too."""
    hand = hand_counts(raw_csv_tables())
    # Every open episode of the validator's data carries a REC: read as open since issue 22 (it set 62
    # children aside before), so no child is set aside for ceased_without_reason.
    assert len(hand["ceased"]) == 0
    assert sorted(hand["overlap"]) == ["123954", "475957", "598909", "801974"]
    # the four children's 8 overlapping episodes (each starts before an earlier one ends) go, the
    # children stay (issue 22; 127 - 4 children before)
    assert hand["overlap_episodes"] == 8
    assert len(hand["kept_children"]) == 127
    assert hand["episodes"] == 218  # 210 of the 123 others + the four's 16, less the 8
    # 482 reviews: 225 inside a kept episode and 257 outside every one, kept since reviews_held counts
    # every review dated in the period (indicators.md): 244 outside every episode (246 less 2 dated after
    # today, 408676's of 21/09/2022 once) and 13 of the four overlapping children's.
    assert hand["reviews"] == 482
    assert sorted(hand["uasc_kept"]) == ["121635", "408489", "839646"]
    assert len(hand["uasc_not_in_header"]) == 120
    assert hand["counts"]["2016-17"] == {
        "children_in_care": 78,  # the hand computation of tests/real_903_hand.py (short breaks left out)
        "children_in_care_uasc": 2,
        "children_starting_care": 3,
        "children_ceasing_care": 0,
        "reviews_held": 85,  # 27 inside a period of care
        "participation_pct": pytest.approx(100 * 64 / 71),
    }
    assert hand["counts"]["2017-18"]["children_ceasing_care"] == 29
    assert hand["counts"]["2017-18"]["reviews_held"] == 72  # 45 inside a period of care


@pytest.mark.parametrize("form", ["csv", "zip", "csvas_xml", "xlsx"])
def test_csv_return_counts_match_the_hand_computation(imported, form):
    dataset, _ = imported[form]
    hand = hand_counts(raw_csv_tables())
    assert dataset.tables["children"].collect().height == len(hand["kept_children"])
    assert dataset.tables["episodes"].collect().height == hand["episodes"]
    assert dataset.tables["reviews"].collect().height == hand["reviews"]
    for period, counts in hand["counts"].items():
        for indicator, expected in counts.items():
            if indicator == "children_in_care_uasc":
                assert _value(dataset, "children_in_care", period, "uasc") == expected, (period, indicator)
            elif expected is None:
                assert _value(dataset, indicator, period) is None, (period, indicator)
            else:
                assert _value(dataset, indicator, period) == pytest.approx(expected), (period, indicator)
    aside = {(entry["rule"], entry["unit"]): entry["count"] for entry in dataset.set_aside}
    assert aside.get(("ceased_without_reason", "children"), 0) == len(hand["ceased"])
    assert aside[("overlapping_episodes", "episodes")] == hand["overlap_episodes"]
    assert ("overlapping_episodes", "children") not in aside


def test_validator_xml_counts_match_the_hand_computation(imported):
    dataset, _ = imported["xml"]
    hand = hand_counts(raw_xml_tables(VALIDATOR_XML))
    assert sorted(hand["ceased"]) == []  # their open episodes carry a REC: read as open (issue 22)
    assert hand["overlap"] == set()
    assert dataset.tables["children"].collect().height == len(hand["kept_children"]) == 13
    assert dataset.tables["episodes"].collect().height == hand["episodes"] == 17
    assert dataset.tables["reviews"].collect().height == hand["reviews"] == 47  # 17 inside an episode
    for period, counts in hand["counts"].items():
        assert _value(dataset, "children_in_care", period) == counts["children_in_care"]
        assert _value(dataset, "reviews_held", period) == counts["reviews_held"]
        assert _value(dataset, "children_starting_care", period) == counts["children_starting_care"]
    assert hand["counts"]["2016-17"]["children_in_care"] == 8
    assert hand["counts"]["2016-17"]["reviews_held"] == 11  # 3 inside an episode


@pytest.mark.parametrize(
    ("one", "other"), [("csv", "zip"), ("csv", "csvas_xml"), ("csv", "xlsx"), ("xml", "xml_as_csv")]
)
def test_every_form_gives_identical_indicators(imported, one, other):
    for period in PERIODS:
        for cohort in ("all", "uasc", "citizen"):
            assert_frame_equal(
                _indicators(imported[one][0], period, cohort), _indicators(imported[other][0], period, cohort)
            )


@pytest.mark.parametrize("form", ["csv", "zip", "csvas_xml", "xlsx", "xml", "xml_as_csv"])
def test_the_report_quotes_no_date_of_birth_upn_or_postcode(imported, form):
    _, report = imported[form]
    frame = report.report_frame()
    raw = raw_csv_tables() if form in ("csv", "zip", "csvas_xml", "xlsx") else raw_xml_tables(VALIDATOR_XML)
    episodes = pl.read_csv(CSV_FOLDER / "episodes.csv", infer_schema=False)
    secret = set(raw["header"]["UPN"].drop_nulls()) | set(episodes["HOME_POST"]) | set(episodes["PL_POST"])
    text = report.csv_bytes().decode()
    assert not [value for value in secret if value in text]
    personal = frame.filter(pl.col("column").is_in(["DOB", "UPN", "HOME_POST", "PL_POST", "MC_DOB"]))
    assert personal.filter(pl.col("value").is_not_null()).height == 0


@pytest.mark.parametrize("form", ["csv", "zip", "xlsx"])
def test_uasc_rows_of_children_missing_from_the_header_are_warned_not_dropped_silently(imported, form):
    dataset, report = imported[form]
    hand = hand_counts(raw_csv_tables())
    warned = report.report_frame().filter(pl.col("rule") == "uasc_not_in_header")
    assert set(warned["value"].to_list()) == hand["uasc_not_in_header"]
    assert warned.height == 120
    assert set(warned["action"].to_list()) == {"warned"}
    uasc_children = dataset.tables["children"].filter(pl.col("is_uasc")).collect()
    assert sorted(uasc_children["child_id"].to_list()) == sorted(hand["uasc_kept"])


@pytest.mark.parametrize("form", ["csv", "zip"])
def test_a_social_worker_episode_of_a_child_missing_from_the_header_is_set_aside(imported, form):
    dataset, report = imported[form]
    # sw_episodes.csv has one row, for CHILD10, who is in no Header
    assert dataset.tables["social_worker_episodes"].collect().height == 0
    flagged = report.report_frame().filter(pl.col("rule") == "child_not_in_header")
    assert flagged.select("row", "value", "action").rows() == [(2, "CHILD10", "set aside")]
    assert flagged["file"].item().endswith("sw_episodes.csv")
    aside = {(entry["rule"], entry["unit"]): entry["count"] for entry in dataset.set_aside}
    assert aside[("child_not_in_header", "rows")] == 1


def test_the_903_tables_this_tool_does_not_use_are_recognised_and_their_rows_counted(imported):
    _, report = imported["csv"]
    unused = {
        Path(summary.file).name: (summary.title, summary.rows)
        for summary in report.files
        if "(not used)" in summary.title
    }
    data_rows = {  # counted by hand from the files: every line but the header
        name: len((CSV_FOLDER / name).read_text().strip().splitlines()) - 1
        for name in (
            "DoLo.csv",
            "ad1.csv",
            "missing.csv",
            "oc3.csv",
            "placed_for_adoption.csv",
            "previous_permanence.csv",
        )
    }
    assert (
        {name: rows for name, (_, rows) in unused.items()}
        == data_rows
        == {
            "DoLo.csv": 1,
            "ad1.csv": 3,
            "missing.csv": 3,
            "oc3.csv": 5,
            "placed_for_adoption.csv": 3,
            "previous_permanence.csv": 3,
        }
    )
    assert unused["placed_for_adoption.csv"][0] == "SSDA903 PlacedAdoption (not used)"
    warned = report.report_frame().filter(pl.col("rule") == "unused_903_table")
    assert warned.height == 6
    assert (
        warned.filter(pl.col("file").str.ends_with("oc3.csv"))["message"].item().endswith("its 5 row(s) are ignored.")
    )


def test_the_upload_page_path_gives_the_same_indicators(imported, forms, tmp_path, monkeypatch):
    """The Import page's uploads (each CSV chosen one by one, and the XML) read as the command line does."""
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    uploads = [(path.name, path.read_bytes()) for path in sorted(CSV_FOLDER.iterdir())]
    report = import_uploads(uploads, "Validator CSV", today=TODAY)
    assert report.ok, report.format_text()
    xml_report = import_uploads([("fake_903.xml", VALIDATOR_XML.read_bytes())], "Validator XML", today=TODAY)
    assert xml_report.ok, xml_report.format_text()
    for name, form in (("Validator CSV", "csv"), ("Validator XML", "xml")):
        dataset = load_dataset(next(p for p in imported_root().iterdir() if p.is_dir() and name in p.name))
        for period in PERIODS:
            assert_frame_equal(_indicators(dataset, period), _indicators(imported[form][0], period))


def test_a_review_given_twice_counts_once_or_not_at_all(tmp_path):
    """The validator repeats row 340 of reviews.csv exactly; add an exact repeat and a conflicting one of reviews
    of 102139 (in care): the exact repeats count once (a warning), the conflicting pair is set aside whole."""
    folder = tmp_path / "returns"
    folder.mkdir()
    for path in CSV_FOLDER.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    with (folder / "reviews.csv").open("a") as reviews:
        reviews.write("102139,18/06/2011,28/06/2016,PN4\n102139,18/06/2011,17/04/2017,PN3\n")
    tables = raw_csv_tables() | {"reviews": pl.read_csv(folder / "reviews.csv", infer_schema=False)}
    hand = hand_counts(tables)
    assert hand["reviews"] == 481  # 482 less 102139's review of 17/04/2017 (PN0 on row 307, PN3 on row 488)
    report = run_import([folder], tmp_path / "out", today=TODAY)
    dataset = load_dataset(tmp_path / "out")
    reviews = dataset.tables["reviews"].collect()
    assert reviews.height == hand["reviews"]
    assert reviews.filter(pl.col("child_id") == "102139")["review_date"].to_list() == [date(2016, 6, 28)]
    for period, counts in hand["counts"].items():
        assert _value(dataset, "reviews_held", period) == counts["reviews_held"]
    problems = report.report_frame().filter(pl.col("rule").is_in(["duplicate_row", "duplicate_key"]))
    assert sorted(problems.select("rule", "row", "action").rows(), key=lambda p: p[1]) == [
        ("duplicate_row", 341, "warned"),  # the validator's own repeat
        ("duplicate_row", 487, "warned"),
        ("duplicate_key", 488, "set aside"),
    ]
    aside = {(entry["rule"], entry["unit"]): entry["count"] for entry in dataset.set_aside}
    assert aside[("duplicate_key", "reviews")] == 1
    # Reviews outside every period of care are kept (warned), as reviews_held counts them: none set aside.
    assert ("review_outside_care", "reviews") not in aside


def test_a_review_outside_care_says_why(imported):
    """The message tells the analyst where to look: no episode at all, before the first, or after one ended."""
    _, report = imported["csv"]
    raw = raw_csv_tables()
    reviews = (
        raw["reviews"]
        .with_row_index("row", offset=2)
        .with_columns(REVIEW=parse_date("REVIEW"), row=pl.col("row").cast(pl.Int64))
    )
    episodes = raw["episodes"].with_columns(DECOM=parse_date("DECOM"))
    current = reviews.filter(pl.col("REVIEW") <= TODAY)
    no_episode = current.join(episodes.select("CHILD").unique(), on="CHILD", how="anti")
    first = episodes.group_by("CHILD").agg(pl.col("DECOM").min().alias("first"))
    before_first = current.join(first, on="CHILD").filter(pl.col("REVIEW") < pl.col("first"))
    flagged = (
        report.report_frame()
        .filter(pl.col("rule") == "review_outside_care")
        .join(reviews.select("row", "CHILD", "REVIEW"), on="row")
    )

    def keys(frame: pl.DataFrame) -> set[tuple[str, date]]:
        return set(frame.select("CHILD", "REVIEW").iter_rows())

    said = pl.col("message").str.ends_with
    assert keys(flagged.filter(said("the child has no episode"))) == keys(no_episode)
    assert len(keys(no_episode)) == 159
    assert keys(flagged.filter(said("before the first one started"))) == keys(before_first)
    assert len(keys(before_first)) == 88
    after = flagged.filter(pl.col("message").str.contains("ended"))
    assert ("475957", date(2018, 6, 3)) in keys(after)  # after its episode of 20/11/2017 ended on 29/01/2018


@pytest.mark.parametrize("form", ["csv", "zip"])
def test_the_validators_two_digit_end_dates_are_read_in_this_century_with_one_warning(imported, form):
    dataset, report = imported[form]
    raw = raw_csv_tables()["episodes"]
    short = raw.filter(pl.col("DEC").str.len_chars() == 8)
    assert short.height == raw["DEC"].drop_nulls().len() == 163  # every DEC is dd/mm/yy, every DECOM dd/mm/yyyy
    (warning,) = report.report_frame().filter(pl.col("rule") == "two_digit_year").rows(named=True)
    assert (warning["column"], warning["row"], warning["value"], warning["action"]) == ("DEC", 2, "24/04/17", "read as")
    assert warning["message"].startswith("163 date(s) in DEC are written dd/mm/yy")
    ends = dataset.tables["episodes"].select("end_date").collect()["end_date"].drop_nulls()
    assert ends.min() >= date(2017, 4, 1) and ends.max() <= date(2018, 3, 31)
