"""Loading, validating and writing dataset folders (iro_metrics.dataset), on tiny hand-made tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from iro_metrics.dataset import PLAIN_TEXT_IDS, Dataset, dataset_version, load_dataset, write_dataset
from iro_metrics.tables import DATA_MODEL, TABLES
from iro_metrics.validation import DatasetError, Problem, validate_tables

D = dt.date


def valid_frames() -> dict[str, pl.DataFrame]:
    """A complete, valid dataset: three children, every table present, every optional column given."""
    return {
        "children": pl.DataFrame(
            {
                "child_id": ["c3", "c1", "c2"],
                "sex": ["2", "1", "1"],
                "date_of_birth": [D(2012, 5, 5), D(2005, 2, 1), D(2010, 8, 30)],
                "ethnicity": ["BAFR", "WBRI", "MWBC"],
                "uasc_ceased": [None, None, D(2015, 1, 1)],
                "is_uasc": [False, False, True],
            }
        ),
        "episodes": pl.DataFrame(
            {
                "child_id": ["c1", "c1", "c2", "c3"],
                "start_date": [D(2013, 4, 1), D(2013, 9, 1), D(2013, 6, 10), D(2014, 2, 3)],
                "end_date": [D(2013, 9, 1), None, D(2014, 3, 31), None],
                "reason_new_episode": ["S", "P", "S", "S"],
                "legal_status": ["C2", "C2", "V2", "C1"],
                "category_of_need": ["N1", "N1", "N4", "N1"],
                "placement_type": ["U4", "U6", "K2", "U1"],
                "reason_ceased": ["X1", None, "E4A", None],
                "area": ["East Kent", "East Kent", "UASC Service", "West Kent"],
                "uasc": [False, False, True, False],
                "iro_notified_date": [D(2013, 4, 3), None, D(2013, 6, 11), D(2014, 2, 5)],
            }
        ),
        "reviews": pl.DataFrame(
            {
                "review_id": ["r2", "r1", "r3"],
                "child_id": ["c1", "c1", "c2"],
                "review_date": [D(2013, 7, 25), D(2013, 4, 20), D(2013, 7, 5)],
                "participation_code": ["PN1", "PN0", "PN7"],
                "chaired_by": ["iro", "iro", "other"],
                "child_chaired": ["none", None, "part"],
                "minutes_issued_date": [D(2013, 8, 1), D(2013, 4, 30), None],
                "first_set_date": [D(2013, 7, 25), D(2013, 4, 18), None],
                "area": ["East Kent", "East Kent", "UASC Service"],
                "uasc": [False, False, True],
            }
        ),
        "qa_grades": pl.DataFrame(
            {
                "audit_id": ["a1", "a1"],
                "review_id": ["r1", "r1"],
                "audit_date": [D(2013, 5, 2), D(2013, 5, 2)],
                "item": ["sw_report", "care_plan"],
                "grade": ["good", "inadequate"],
                "area": ["East Kent", "East Kent"],
                "uasc": [False, False],
            }
        ),
        "disputes": pl.DataFrame(
            {
                "dispute_id": ["d1", "d2"],
                "child_id": ["c1", "c2"],
                "raised_date": [D(2013, 5, 1), D(2014, 1, 9)],
                "route": ["formal", "informal"],
                "category": ["care_plan", "health"],
                "highest_level": [2, None],
                "resolved_date": [D(2013, 6, 1), None],
                "area": ["East Kent", "UASC Service"],
                "uasc": [False, True],
            }
        ),
        "iro_staffing": pl.DataFrame(
            {
                "month_end": [D(2013, 4, 30), D(2013, 4, 30)],
                "team": ["East", "West"],
                "fte_establishment": [10.0, 8.5],
                "fte_in_post": [9.5, 8.5],
                "fte_agency": [1.0, None],
            }
        ),
        "iro_contacts": pl.DataFrame(
            {
                "child_id": ["c2"],
                "contact_date": [D(2014, 4, 2)],
                "area": ["UASC Service"],
                "uasc": [True],
                "type": ["visit"],
            }
        ),
        "survey_responses": pl.DataFrame(
            {
                "response_id": ["s1", "s1"],
                "survey": ["consultation", "consultation"],
                "response_date": [D(2013, 3, 30), D(2013, 3, 30)],
                "question": ["iro_helpful", "knows_pledge"],
                "answer": ["yes", "not_sure"],
                "area": ["West Kent", "West Kent"],
                "uasc": [False, False],
            }
        ),
        "area_teams": pl.DataFrame({"area": ["West Kent", "East Kent"], "team": ["North and West", "East and South"]}),
        "social_worker_episodes": pl.DataFrame(
            {
                "child_id": ["c1", "c1"],
                "sw_id": ["sw1", "sw2"],
                "start_date": [D(2013, 2, 1), D(2013, 6, 1)],
                "end_date": [D(2013, 6, 1), None],
                "reason": ["MANAGEMENT", None],
            }
        ),
        "iro_allocations": pl.DataFrame(
            {
                "child_id": ["c1", "c1"],
                "iro_id": ["iro1", "iro2"],
                "start_date": [D(2013, 4, 1), D(2013, 10, 1)],
                "end_date": [D(2013, 10, 1), None],
                "change_reason": ["LEFTRL", None],
            }
        ),
        "iros": pl.DataFrame(
            {"iro_id": ["iro1", "iro2"], "team": ["East", "East"], "fte": [1.0, 0.8], "agency": [False, True]}
        ),
    }


META = {"local_authority": "Testshire", "synthetic": True, "source": {"produced_by": 'a "quoted" tool'}}


def problems_of(frames: dict[str, pl.DataFrame]) -> list[Problem]:
    return validate_tables(frames)


def only_problem(frames: dict[str, pl.DataFrame]) -> Problem:
    problems = problems_of(frames)
    assert len(problems) == 1, problems
    return problems[0]


def with_table(name: str, frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
    frames = valid_frames()
    frames[name] = frame
    return frames


def load_error(folder: Path) -> DatasetError:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    return caught.value


# --- round trip -------------------------------------------------------------------------------


def test_valid_frames_have_no_problems():
    assert validate_tables(valid_frames()) == []


def test_write_then_load_gives_schema_types_and_the_same_values(tmp_path):
    frames = valid_frames()
    write_dataset(frames, META, tmp_path)
    ds = load_dataset(tmp_path)

    assert isinstance(ds, Dataset)
    assert ds.meta == META
    assert ds.name == "Testshire"
    assert ds.is_synthetic
    assert ds.version == dataset_version(tmp_path)
    assert ds.missing_tables == frozenset()
    assert ds.missing_columns == {}
    for name in TABLES:
        loaded = ds.tables[name]
        assert isinstance(loaded, pl.LazyFrame)
        # Text is held as categorical (4 bytes a row, not 16), but for ids no figure reads
        # (review_id: a category per review costs more than it saves); every other type is the schema's.
        held = {
            c.name: pl.Categorical() if c.dtype == pl.String and c.name not in PLAIN_TEXT_IDS else c.dtype
            for c in DATA_MODEL[name].columns
        }
        assert loaded.collect_schema() == pl.Schema(held)
        as_text = loaded.collect().with_columns(pl.col(pl.Categorical).cast(pl.String))
        assert_frame_equal(as_text, frames[name], check_row_order=False)


def test_written_rows_are_sorted_by_natural_key(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    children = pl.read_parquet(tmp_path / "children.parquet")
    assert children["child_id"].to_list() == ["c1", "c2", "c3"]
    episodes = pl.read_parquet(tmp_path / "episodes.parquet")
    assert episodes.select("child_id", "start_date").rows() == [
        ("c1", D(2013, 4, 1)),
        ("c1", D(2013, 9, 1)),
        ("c2", D(2013, 6, 10)),
        ("c3", D(2014, 2, 3)),
    ]
    reviews = pl.read_parquet(tmp_path / "reviews.parquet")
    assert reviews["review_id"].to_list() == ["r1", "r2", "r3"]


def test_same_data_in_any_row_order_writes_byte_identical_files(tmp_path):
    frames = valid_frames()
    shuffled = {name: frame.reverse() for name, frame in frames.items()}
    write_dataset(frames, META, tmp_path / "a")
    write_dataset(shuffled, META, tmp_path / "b")
    # The folder's files are the tables and dataset.toml; its derived/ folder is checked in tests/test_care_tables.py.
    names = sorted(p.name for p in (tmp_path / "a").iterdir() if p.is_file())
    assert names == sorted([f"{t}.parquet" for t in TABLES] + ["dataset.toml"])
    assert sorted(p.name for p in (tmp_path / "a").iterdir() if p.is_dir()) == ["derived"]
    for file_name in names:
        assert (tmp_path / "a" / file_name).read_bytes() == (tmp_path / "b" / file_name).read_bytes(), file_name


def test_rewriting_a_folder_removes_tables_no_longer_supplied(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    fewer = {name: frame for name, frame in valid_frames().items() if name != "disputes"}
    write_dataset(fewer, META, tmp_path)
    assert not (tmp_path / "disputes.parquet").exists()
    assert not load_dataset(tmp_path).has_table("disputes")


def test_invalid_frames_are_not_written(tmp_path):
    frames = valid_frames()
    frames["children"] = frames["children"].with_columns(sex=pl.lit("9"))
    with pytest.raises(DatasetError) as caught:
        write_dataset(frames, META, tmp_path / "out")
    assert [p.column for p in caught.value.problems] == ["sex"]
    assert not (tmp_path / "out").exists()


def test_meta_that_toml_cannot_hold_is_refused(tmp_path):
    with pytest.raises(DatasetError) as caught:
        write_dataset(valid_frames(), {"local_authority": "X", "bad": object()}, tmp_path)
    assert caught.value.problems[0].file == "dataset.toml"
    assert caught.value.problems[0].column == "bad"


# --- optional tables and columns ---------------------------------------------------------------


def test_optional_tables_and_columns_may_be_absent(tmp_path):
    frames = valid_frames()
    frames = {name: frames[name] for name in ("children", "episodes", "reviews")}
    frames["children"] = frames["children"].drop("uasc_ceased")
    frames["reviews"] = frames["reviews"].drop("child_chaired", "minutes_issued_date")
    write_dataset(frames, {}, tmp_path)
    ds = load_dataset(tmp_path)

    assert ds.missing_tables == frozenset(
        {
            "qa_grades",
            "disputes",
            "iro_staffing",
            "iro_contacts",
            "survey_responses",
            "area_teams",
            "social_worker_episodes",
            "iro_allocations",
            "iros",
        }
    )
    assert ds.missing_columns == {
        "children": frozenset({"uasc_ceased"}),
        "reviews": frozenset({"child_chaired", "minutes_issued_date"}),
    }
    assert not ds.has_table("disputes")
    assert ds.has_table("reviews")
    assert not ds.has_column("reviews", "minutes_issued_date")
    assert ds.has_column("reviews", "review_date")
    assert not ds.has_column("disputes", "dispute_id")
    # Absent columns are there as nulls of the right type, so downstream code can select them.
    reviews = ds.tables["reviews"].collect()
    assert reviews.schema["minutes_issued_date"] == pl.Date
    assert reviews.schema["child_chaired"] == pl.Categorical
    assert reviews["minutes_issued_date"].null_count() == 3
    assert list(reviews.columns) == list(DATA_MODEL["reviews"].names)
    # Absent tables are empty frames with the full schema.
    disputes = ds.tables["disputes"].collect()
    assert disputes.height == 0
    assert disputes.schema["highest_level"] == pl.Int64
    assert ds.name == tmp_path.name
    assert not ds.is_synthetic


def test_extra_columns_are_dropped_not_refused(tmp_path):
    frames = valid_frames()
    frames["children"] = frames["children"].with_columns(notes=pl.lit("free text"), legacy_flag=pl.lit(1))
    assert validate_tables(frames) == []
    write_dataset(frames, {}, tmp_path)
    assert "notes" not in pl.read_parquet_schema(tmp_path / "children.parquet")
    # A file carrying extra columns (written by another tool) loads without them.
    pl.DataFrame(frames["children"]).write_parquet(tmp_path / "children.parquet")
    ds = load_dataset(tmp_path)
    assert ds.tables["children"].collect_schema().names() == list(DATA_MODEL["children"].names)


def test_safe_type_differences_are_converted(tmp_path):
    frames = valid_frames()
    frames["children"] = frames["children"].with_columns(
        pl.col("date_of_birth").cast(pl.Datetime("us")),  # midnight date-times
        pl.col("ethnicity").cast(pl.Categorical),
    )
    frames["disputes"] = frames["disputes"].with_columns(pl.col("highest_level").cast(pl.Float64))  # pandas
    frames["reviews"] = frames["reviews"].with_columns(pl.col("area").cast(pl.Enum(["East Kent", "UASC Service"])))
    frames["iro_staffing"] = frames["iro_staffing"].with_columns(
        pl.col("fte_establishment").cast(pl.Int32),  # whole posts stored as integers
        pl.col("fte_in_post").cast(pl.Float32),
    )
    frames["episodes"] = frames["episodes"].with_columns(pl.col("end_date").cast(pl.Datetime("ms", "UTC")))
    assert validate_tables(frames) == []
    write_dataset(frames, {}, tmp_path)
    ds = load_dataset(tmp_path)
    children = ds.tables["children"].collect().sort("child_id")
    assert children.schema["date_of_birth"] == pl.Date
    assert children["date_of_birth"].to_list() == [D(2005, 2, 1), D(2010, 8, 30), D(2012, 5, 5)]
    assert children["ethnicity"].to_list() == ["WBRI", "MWBC", "BAFR"]
    disputes = ds.tables["disputes"].collect().sort("dispute_id")
    assert disputes.schema["highest_level"] == pl.Int64
    assert disputes["highest_level"].to_list() == [2, None]
    staffing = ds.tables["iro_staffing"].collect().sort("team")
    assert staffing["fte_establishment"].to_list() == [10.0, 8.0]  # 8.5 -> Int32 8 above
    assert staffing["fte_in_post"].to_list() == [9.5, 8.5]
    episodes = ds.tables["episodes"].collect().sort("child_id", "start_date")
    assert episodes["end_date"].to_list() == [D(2013, 9, 1), None, D(2014, 3, 31), None]


def test_integer_levels_of_other_widths_are_accepted():
    frames = valid_frames()
    frames["disputes"] = frames["disputes"].with_columns(pl.col("highest_level").cast(pl.UInt8))
    assert validate_tables(frames) == []


# --- one test per kind of problem --------------------------------------------------------------


def test_missing_required_table():
    frames = valid_frames()
    del frames["reviews"]
    problem = only_problem(frames)
    assert problem.file == "reviews.parquet"
    assert "required table 'reviews' is missing" in str(problem)


def test_unknown_table_name():
    frames = valid_frames()
    frames["review"] = frames.pop("reviews")
    messages = sorted(str(p) for p in problems_of(frames))
    assert len(messages) == 2
    assert messages[0].startswith("review.parquet: 'review' is not a table of the data model")
    assert messages[1] == "reviews.parquet: required table 'reviews' is missing"


def test_missing_required_column():
    problem = only_problem(with_table("episodes", valid_frames()["episodes"].drop("legal_status")))
    assert (problem.file, problem.column) == ("episodes.parquet", "legal_status")
    assert str(problem) == "episodes.parquet, column 'legal_status': required column is missing"


def test_type_that_cannot_be_converted_names_found_and_expected_types():
    reviews = valid_frames()["reviews"].with_columns(pl.col("review_date").cast(pl.String))
    problem = only_problem(with_table("reviews", reviews))
    assert (problem.file, problem.column) == ("reviews.parquet", "review_date")
    assert "String" in problem.message and "Date" in problem.message
    assert "cannot be converted" in problem.message


def test_boolean_given_as_numbers_is_a_type_problem():
    contacts = valid_frames()["iro_contacts"].with_columns(pl.col("uasc").cast(pl.Int8))
    problem = only_problem(with_table("iro_contacts", contacts))
    assert problem.column == "uasc"
    assert "Int8" in problem.message and "Boolean" in problem.message


def test_date_times_with_a_time_of_day_are_refused():
    children = valid_frames()["children"].with_columns(
        date_of_birth=pl.Series([dt.datetime(2012, 5, 5), dt.datetime(2005, 2, 1, 13, 30), dt.datetime(2010, 8, 30)])
    )
    problem = only_problem(with_table("children", children))
    assert (problem.column, problem.row, problem.rows) == ("date_of_birth", 2, 1)
    assert "time of day" in problem.message
    assert problem.values == ()  # dates of birth are never quoted back


def test_levels_that_are_not_whole_numbers_are_refused():
    disputes = valid_frames()["disputes"].with_columns(highest_level=pl.Series([2.5, None]))
    problem = only_problem(with_table("disputes", disputes))
    assert (problem.column, problem.row, problem.rows) == ("highest_level", 1, 1)
    assert "not whole numbers" in problem.message


def test_bad_code_names_file_column_values_and_rows():
    episodes = valid_frames()["episodes"].with_columns(
        legal_status=pl.Series(["C2", "XX", "V2", "XX"]), placement_type=pl.Series(["U4", "Q9", "Z1", "U1"])
    )
    problems = problems_of(with_table("episodes", episodes))
    by_column = {p.column: p for p in problems}
    assert set(by_column) == {"legal_status", "placement_type"}
    legal = by_column["legal_status"]
    assert (legal.file, legal.values, legal.rows, legal.row) == ("episodes.parquet", ("XX",), 2, 2)
    text = str(legal)
    assert text.startswith("episodes.parquet, column 'legal_status': values not in the code list")
    assert "'XX'" in text and "in 2 rows (first at row 2)" in text
    placement = by_column["placement_type"]
    assert (placement.values, placement.rows, placement.row) == (("Q9",), 1, 2)
    assert str(placement).startswith("episodes.parquet, row 2, column 'placement_type'")


def test_bad_codes_are_listed_once_each_in_order():
    answers = pl.Series(["maybe", "yes", "YES", "maybe", "not_sure", None])
    surveys = pl.DataFrame(
        {
            "response_id": [f"s{i}" for i in range(6)],
            "survey": ["carer"] * 6,
            "response_date": [D(2014, 1, 1)] * 6,
            "question": ["iro_helpful"] * 6,
            "answer": answers,
            "area": ["East Kent"] * 6,
            "uasc": [False] * 6,
        }
    )
    problems = problems_of(with_table("survey_responses", surveys))
    codes = next(p for p in problems if "code list" in p.message)
    assert codes.values == ("YES", "maybe")
    assert codes.rows == 3
    assert codes.row == 1
    nulls = next(p for p in problems if "missing values" in p.message)
    assert (nulls.column, nulls.rows, nulls.row) == ("answer", 1, 6)


def test_integer_code_outside_the_list():
    disputes = valid_frames()["disputes"].with_columns(highest_level=pl.Series([7, None]))
    problem = only_problem(with_table("disputes", disputes))
    assert (problem.column, problem.values, problem.rows) == ("highest_level", ("7",), 1)


def test_nulls_in_a_required_column_give_count_and_first_row():
    reviews = valid_frames()["reviews"].with_columns(area=pl.Series([None, "East Kent", None]))
    problem = only_problem(with_table("reviews", reviews))
    assert (problem.file, problem.column, problem.rows, problem.row) == ("reviews.parquet", "area", 2, 1)
    assert str(problem) == (
        "reviews.parquet, column 'area': missing values (every row needs one) in 2 rows (first at row 1)"
    )


def test_nulls_allowed_where_the_model_allows_them():
    episodes = valid_frames()["episodes"].with_columns(
        end_date=pl.lit(None, pl.Date), reason_ceased=pl.lit(None, pl.String)
    )
    assert problems_of(with_table("episodes", episodes)) == []


def test_duplicate_child_id_is_reported_without_quoting_the_id():
    children = pl.concat([valid_frames()["children"], valid_frames()["children"].head(1)])
    problem = only_problem(with_table("children", children))
    assert (problem.column, problem.rows, problem.row) == ("child_id", 1, 4)
    assert problem.values == ()
    assert "c3" not in str(problem)


def test_duplicate_review_ids_in_unsorted_rows():
    reviews = pl.concat([valid_frames()["reviews"]] * 2).with_columns(
        review_id=pl.Series(["r1", "r2", "r1", "r3", "r2", "r4"])
    )
    problem = only_problem(with_table("reviews", reviews))
    assert (problem.column, problem.rows, problem.row, problem.values) == ("review_id", 2, 3, ("r1", "r2"))


def test_duplicate_review_ids_in_sorted_rows():
    reviews = pl.concat([valid_frames()["reviews"]] * 2).with_columns(
        review_id=pl.Series(["r1", "r2", "r2", "r2", "r5", "r6"])
    )
    problem = only_problem(with_table("reviews", reviews))
    assert (problem.rows, problem.row, problem.values) == (2, 3, ("r2",))


def test_duplicate_review_ids_around_a_null():
    reviews = valid_frames()["reviews"].with_columns(review_id=pl.Series(["r1", None, "r1"]))
    problems = problems_of(with_table("reviews", reviews))
    assert sorted((p.message.split(" ")[0], p.rows, p.row) for p in problems) == [
        ("missing", 1, 2),
        ("repeats", 1, 3),
    ]


def test_duplicate_dispute_id():
    disputes = valid_frames()["disputes"].with_columns(dispute_id=pl.lit("d9"))
    problem = only_problem(with_table("disputes", disputes))
    assert (problem.file, problem.column, problem.rows, problem.row) == ("disputes.parquet", "dispute_id", 1, 2)
    assert problem.values == ("d9",)


def test_end_date_before_start_date():
    episodes = valid_frames()["episodes"].with_columns(
        end_date=pl.Series([D(2013, 3, 31), None, D(2013, 6, 10), D(2014, 1, 1)])
    )
    problem = only_problem(with_table("episodes", episodes))
    # Row 1 ends the day before it starts; row 3 ends on its start day (allowed); row 4 before it.
    assert (problem.column, problem.rows, problem.row) == ("end_date", 2, 1)
    assert "before start_date" in problem.message


def test_informal_challenge_with_a_level():
    disputes = valid_frames()["disputes"].with_columns(highest_level=pl.Series([2, 1]))
    problem = only_problem(with_table("disputes", disputes))
    assert (problem.column, problem.rows, problem.row) == ("highest_level", 1, 2)
    assert "informal" in problem.message


def test_formal_dispute_without_a_level():
    disputes = valid_frames()["disputes"].with_columns(highest_level=pl.Series([None, None], dtype=pl.Int64))
    problem = only_problem(with_table("disputes", disputes))
    assert (problem.column, problem.rows, problem.row) == ("highest_level", 1, 1)
    assert "formal disputes need" in problem.message


def test_negative_fte():
    staffing = valid_frames()["iro_staffing"].with_columns(fte_agency=pl.Series([-1.0, None]))
    problem = only_problem(with_table("iro_staffing", staffing))
    assert (problem.column, problem.rows, problem.row, problem.values) == ("fte_agency", 1, 1, ("-1.0",))


def test_episodes_table_with_no_rows():
    problem = only_problem(with_table("episodes", valid_frames()["episodes"].head(0)))
    assert problem.file == "episodes.parquet"
    assert "no rows" in problem.message


def test_several_problems_are_reported_together():
    frames = valid_frames()
    del frames["children"]
    frames["reviews"] = frames["reviews"].with_columns(chaired_by=pl.lit("judge")).drop("area")
    frames["disputes"] = frames["disputes"].with_columns(dispute_id=pl.lit("d1"), route=pl.lit("informal"))
    frames["iro_staffing"] = frames["iro_staffing"].with_columns(fte_in_post=pl.lit(-2.0))
    found = sorted((p.file, p.column or "") for p in validate_tables(frames))
    assert found == [
        ("children.parquet", ""),
        ("disputes.parquet", "dispute_id"),
        ("disputes.parquet", "highest_level"),
        ("iro_staffing.parquet", "fte_in_post"),
        ("reviews.parquet", "area"),
        ("reviews.parquet", "chaired_by"),
    ]


def test_file_names_can_be_given_for_messages():
    frames = valid_frames()
    frames["children"] = frames["children"].drop("sex")
    problem = validate_tables(frames, {"children": "header.csv"})[0]
    assert str(problem) == "header.csv, column 'sex': required column is missing"


# --- problems with the folder itself -----------------------------------------------------------


def test_load_reports_every_problem_in_the_folder(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    bad = valid_frames()["episodes"].with_columns(legal_status=pl.lit("ZZ"))
    bad.write_parquet(tmp_path / "episodes.parquet")
    valid_frames()["reviews"].drop("participation_code").write_parquet(tmp_path / "reviews.parquet")
    error = load_error(tmp_path)
    assert error.folder == tmp_path
    assert [(p.file, p.column) for p in error.problems] == [
        ("episodes.parquet", "legal_status"),
        ("reviews.parquet", "participation_code"),
    ]
    assert "has 2 problem(s)" in str(error)
    assert "episodes.parquet, column 'legal_status': values not in the code list" in str(error)
    assert "'ZZ'" in str(error) and "in 4 rows" in str(error)


def test_corrupt_parquet_file(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    (tmp_path / "reviews.parquet").write_bytes(b"PAR1 this is not really parquet")
    error = load_error(tmp_path)
    assert len(error.problems) == 1
    assert error.problems[0].file == "reviews.parquet"
    assert "could not be read as a Parquet file" in error.problems[0].message


def test_parquet_file_with_damaged_data_pages(tmp_path):
    # The footer (schema) still reads; the damage shows only when the data is decoded.
    write_dataset(valid_frames(), META, tmp_path)
    damaged = bytearray((tmp_path / "reviews.parquet").read_bytes())
    damaged[8:200] = b"\xff" * 192
    (tmp_path / "reviews.parquet").write_bytes(bytes(damaged))
    assert pl.read_parquet_schema(tmp_path / "reviews.parquet")["review_id"] == pl.String
    error = load_error(tmp_path)
    assert [p.file for p in error.problems] == ["reviews.parquet"]
    assert "could not be read as a Parquet file" in error.problems[0].message


def test_missing_folder(tmp_path):
    error = load_error(tmp_path / "nowhere")
    assert len(error.problems) == 1
    assert "does not exist" in error.problems[0].message
    assert str(tmp_path / "nowhere") in str(error)


def test_path_that_is_a_file(tmp_path):
    (tmp_path / "file.txt").write_text("x")
    error = load_error(tmp_path / "file.txt")
    assert "is not a folder" in error.problems[0].message


def test_folder_without_parquet_files(tmp_path):
    (tmp_path / "dataset.toml").write_text('local_authority = "X"\n')
    error = load_error(tmp_path)
    assert len(error.problems) == 1
    assert "no Parquet files" in error.problems[0].message
    assert "children.parquet" in error.problems[0].message


def test_misnamed_table_file_is_pointed_out(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    (tmp_path / "reviews.parquet").rename(tmp_path / "Reviews.parquet")
    error = load_error(tmp_path)
    assert [(p.file, p.values) for p in error.problems] == [
        ("reviews.parquet", ()),
        (str(tmp_path), ("Reviews.parquet",)),
    ]


def test_malformed_dataset_toml(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    (tmp_path / "dataset.toml").write_text('local_authority = "unterminated\n')
    error = load_error(tmp_path)
    assert len(error.problems) == 1
    assert error.problems[0].file == "dataset.toml"
    assert "not valid TOML" in error.problems[0].message


def test_dataset_toml_with_wrong_value_types(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    (tmp_path / "dataset.toml").write_text('local_authority = 3\nsynthetic = "yes"\n')
    error = load_error(tmp_path)
    assert [(p.file, p.column) for p in error.problems] == [
        ("dataset.toml", "local_authority"),
        ("dataset.toml", "synthetic"),
    ]


def test_dataset_toml_may_be_absent(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    (tmp_path / "dataset.toml").unlink()
    assert load_dataset(tmp_path).meta == {}


def test_meta_round_trips_through_toml(tmp_path):
    meta = {
        "local_authority": "Kent",
        "synthetic": False,
        "seed": 20140331,
        "scale": 1.5,
        "extracted": D(2014, 4, 1),
        "areas": ["East Kent", "West Kent"],
        "note": 'line one\nline "two" \\ and ünïcode',
        "generator": {"name": "iro_metrics.synthetic", "calibration": {"year": "2013-14"}},
    }
    write_dataset(valid_frames(), meta, tmp_path)
    assert load_dataset(tmp_path).meta == meta


# --- Dataset helpers -------------------------------------------------------------------------


def test_date_range_spans_every_event_table(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    ds = load_dataset(tmp_path)
    # Earliest: the survey response of 30 March 2013; latest: the contact of 2 April 2014
    # (later than any episode, review, audit or dispute date).
    assert ds.date_range() == (D(2013, 3, 30), D(2014, 4, 2))
    assert ds.areas() == ["East Kent", "UASC Service", "West Kent"]


def test_date_range_with_only_required_tables_ignores_nulls(tmp_path):
    frames = {name: valid_frames()[name] for name in ("children", "episodes", "reviews")}
    write_dataset(frames, {}, tmp_path)
    # Episodes run 1 April 2013 .. 31 March 2014 (open episodes have null end dates); reviews inside.
    assert load_dataset(tmp_path).date_range() == (D(2013, 4, 1), D(2014, 3, 31))


def test_problem_text_for_one_row_and_many_rows():
    one = Problem("a.parquet", "bad", column="x", row=3, values=("q",), rows=1)
    many = Problem("a.parquet", "bad", column="x", row=3, values=tuple("abcdefg"), rows=1200)
    assert str(one) == "a.parquet, row 3, column 'x': bad (values 'q') in 1 row"
    assert str(many) == (
        "a.parquet, column 'x': bad (values 'a', 'b', 'c', 'd', 'e' and 2 more) in 1,200 rows (first at row 3)"
    )


def test_meta_keys_without_a_value_are_left_out(tmp_path):
    write_dataset(valid_frames(), {"local_authority": "Kent", "imported_by": None}, tmp_path)
    assert (tmp_path / "dataset.toml").read_text() == 'local_authority = "Kent"\n'
    assert load_dataset(tmp_path).meta == {"local_authority": "Kent"}


def test_file_written_by_another_tool_with_arrow_types(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    write_dataset(valid_frames(), META, tmp_path)
    disputes = pa.table(
        {
            "dispute_id": pa.array(["d2", "d1"], pa.large_string()),
            "child_id": pa.array(["c2", "c1"], pa.large_string()),
            "raised_date": pa.array([dt.datetime(2014, 1, 9), dt.datetime(2013, 5, 1)], pa.timestamp("ms")),
            "route": pa.array(["informal", "formal"], pa.large_string()),
            "category": pa.array(["health", "care_plan"]).dictionary_encode(),
            "highest_level": pa.array([None, 3], pa.int32()),
            "area": pa.array(["UASC Service", "East Kent"], pa.large_string()),
            "uasc": pa.array([True, False]),
            "source_system": pa.array(["LCS", "LCS"]),
        }
    )
    pq.write_table(disputes, tmp_path / "disputes.parquet")
    ds = load_dataset(tmp_path)
    loaded = ds.tables["disputes"].collect().sort("dispute_id")
    assert loaded.columns == list(DATA_MODEL["disputes"].names)
    assert loaded.select("dispute_id", "raised_date", "category", "highest_level").rows() == [
        ("d1", D(2013, 5, 1), "care_plan", 3),
        ("d2", D(2014, 1, 9), "health", None),
    ]
    assert loaded.schema["category"] == pl.Categorical
    assert ds.missing_columns == {"disputes": frozenset({"resolved_date"})}


# --- properties: counts and first rows agree with a plain Python reading of the rows --------------

review_ids = st.lists(st.sampled_from(["r1", "r2", "r3", "r4", "r5", "r6"]), min_size=1, max_size=12)


def reviews_with_ids(ids: list[str]) -> pl.DataFrame:
    n = len(ids)
    return pl.DataFrame(
        {
            "review_id": ids,
            "child_id": ["c1"] * n,
            "review_date": [D(2013, 5, 1)] * n,
            "participation_code": ["PN1"] * n,
            "chaired_by": ["iro"] * n,
            "area": ["East Kent"] * n,
            "uasc": [False] * n,
        }
    )


@settings(max_examples=60, deadline=None)
@given(ids=review_ids, sort_first=st.booleans())
def test_duplicate_ids_match_python(ids, sort_first):
    if sort_first:
        ids = sorted(ids)  # sorted ids take the neighbour-comparison shortcut
    repeats = [i for i, v in enumerate(ids) if v in ids[:i]]
    problems = problems_of(with_table("reviews", reviews_with_ids(ids)))
    if not repeats:
        assert problems == []
        return
    (problem,) = problems
    assert problem.rows == len(repeats)
    assert problem.row == repeats[0] + 1
    assert problem.values == tuple(sorted({ids[i] for i in repeats}))


@settings(max_examples=60, deadline=None)
@given(codes=st.lists(st.sampled_from(["PN1", "PN7", "pn1", "PN9", None]), min_size=1, max_size=12))
def test_code_and_null_problems_match_python(codes):
    # participation_code: a coded column that may be neither blank nor off its code list
    reviews = reviews_with_ids([f"r{i}" for i in range(len(codes))]).with_columns(
        participation_code=pl.Series(codes, dtype=pl.String)
    )
    found = {p.message.split(" ")[0]: p for p in problems_of(with_table("reviews", reviews))}
    bad = [i for i, v in enumerate(codes) if v is not None and v not in ("PN1", "PN7")]
    empty = [i for i, v in enumerate(codes) if v is None]
    assert set(found) == ({"values"} if bad else set()) | ({"missing"} if empty else set())
    if bad:
        assert (found["values"].rows, found["values"].row) == (len(bad), bad[0] + 1)
        assert found["values"].values == tuple(sorted({codes[i] for i in bad}))
    if empty:
        assert (found["missing"].rows, found["missing"].row) == (len(empty), empty[0] + 1)
