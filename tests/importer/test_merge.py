"""How imported files become the data model: mapping, UASC flags, areas, several years merged."""

from __future__ import annotations

from datetime import date

import polars as pl

from iro_metrics.dataset import load_dataset
from iro_metrics.importer import run_import
from tests.importer.test_support import TODAY, VALID_FILES, import_files, write_files


def table(tmp_path, name: str) -> pl.DataFrame:
    return load_dataset(tmp_path / "out").tables[name].collect()


def test_children_take_uasc_status_from_the_uasc_table(tmp_path):
    assert import_files(tmp_path).ok
    children = table(tmp_path, "children").sort("child_id")
    assert children.select("child_id", "sex", "date_of_birth", "ethnicity", "is_uasc", "uasc_ceased").rows() == [
        ("A1", "1", date(2005, 1, 1), "WBRI", False, None),
        ("A2", "2", date(2012, 6, 1), "BAFR", True, None),
        ("B3", "1", date(2000, 3, 15), "WOTH", True, date(2013, 9, 1)),
    ]


def test_episodes_get_area_notification_and_uasc_on_their_start_date(tmp_path):
    changes = {
        # B3 has a second period of care after UASC status ended on 01/09/2013: not UASC then.
        "episodes.csv": VALID_FILES["episodes.csv"] + "B3,01/02/2014,S,V2,N4,K2,PR4,,,,,,\n",
        "episode_details.csv": VALID_FILES["episode_details.csv"] + "B3,01/02/2014,North Kent,10/02/2014\n",
    }
    assert import_files(tmp_path, changes).ok
    episodes = table(tmp_path, "episodes").sort("child_id", "start_date")
    assert episodes.select(
        "child_id", "start_date", "end_date", "reason_ceased", "area", "uasc", "iro_notified_date"
    ).rows() == [
        ("A1", date(2013, 4, 1), date(2013, 10, 1), "X1", "East Kent", False, date(2013, 4, 2)),
        ("A1", date(2013, 10, 1), None, None, "West Kent", False, None),
        ("A2", date(2013, 5, 15), None, None, "UASC Service", True, date(2013, 5, 20)),
        ("B3", date(2013, 6, 1), date(2013, 12, 31), "E8", "UASC Service", True, date(2013, 6, 5)),
        ("B3", date(2014, 2, 1), None, None, "North Kent", False, date(2014, 2, 10)),
    ]
    first = episodes.row(0, named=True)
    assert (first["reason_new_episode"], first["legal_status"], first["category_of_need"], first["placement_type"]) == (
        "S",
        "C2",
        "N1",
        "U6",
    )


def test_reviews_take_area_and_uasc_from_the_episode_open_that_day(tmp_path):
    changes = {
        # A1's review on 01/10/2013, the day one episode ends and the next begins: the new episode's area.
        "reviews.csv": VALID_FILES["reviews.csv"] + "A1,01/01/2005,01/10/2013,PN1\n",
        "review_details.csv": VALID_FILES["review_details.csv"] + "A1,01/10/2013,iro,none,\n",
    }
    assert import_files(tmp_path, changes).ok
    reviews = table(tmp_path, "reviews").sort("review_id")
    assert reviews.select(
        "review_id",
        "review_date",
        "participation_code",
        "chaired_by",
        "child_chaired",
        "minutes_issued_date",
        "area",
        "uasc",
    ).rows() == [
        ("A1-20130425", date(2013, 4, 25), "PN1", "iro", "none", date(2013, 5, 2), "East Kent", False),
        ("A1-20130720", date(2013, 7, 20), "PN7", "iro", "part", date(2013, 8, 1), "East Kent", False),
        ("A1-20131001", date(2013, 10, 1), "PN1", "iro", "none", None, "West Kent", False),
        ("A2-20130610", date(2013, 6, 10), "PN0", "other", None, date(2013, 6, 20), "UASC Service", True),
        ("B3-20130620", date(2013, 6, 20), "PN2", "iro", "full", None, "UASC Service", True),
    ]


def test_fact_templates_are_placed_by_episode_or_given_area(tmp_path):
    changes = {
        "qa_grades.csv": "AUDIT_ID,CHILD,REVIEW,AUDIT_DATE,ITEM,GRADE\n"
        "Q1,A1,25/04/2013,26/04/2013,care_plan,good\n"
        "Q1,A1,25/04/2013,26/04/2013,pledge,Inadequate\n",
        "disputes.csv": "DISPUTE_ID,CHILD,RAISED,ROUTE,CATEGORY,HIGHEST_LEVEL,RESOLVED,AREA,UASC\n"
        "D1,A1,15/10/2013,formal,care_plan,2,01/11/2013,,\n"
        "D2,B3,03/01/2014,informal,health,,,,\n"
        "D3,A2,01/06/2013,informal,contact,,,South Kent,N\n",
        "iro_staffing.csv": "MONTH_END,TEAM,FTE_ESTABLISHMENT,FTE_IN_POST\n30/04/2013,East,8,7.5\n",
        "survey_responses.csv": "RESPONSE_ID,SURVEY,RESPONSE_DATE,QUESTION,ANSWER,AREA,UASC\n"
        "S1,consultation,25/04/2013,knows_pledge,Not_Sure,East Kent,n\n",
    }
    report = import_files(tmp_path, changes)
    assert report.ok, report.format_text()
    qa = table(tmp_path, "qa_grades").sort("item")
    assert qa.select("audit_id", "review_id", "item", "grade", "area", "uasc").rows() == [
        ("Q1", "A1-20130425", "care_plan", "good", "East Kent", False),
        ("Q1", "A1-20130425", "pledge", "inadequate", "East Kent", False),
    ]
    disputes = table(tmp_path, "disputes").sort("dispute_id")
    assert disputes.select("dispute_id", "route", "highest_level", "resolved_date", "area", "uasc").rows() == [
        ("D1", "formal", 2, date(2013, 11, 1), "West Kent", False),  # A1's second episode
        # after B3 left care: B3's last episode's area; UASC status ended on DUC 01/09/2013, so not UASC
        ("D2", "informal", None, None, "UASC Service", False),
        ("D3", "informal", None, None, "South Kent", False),  # AREA and UASC given in the file
    ]
    staffing = table(tmp_path, "iro_staffing")
    assert staffing.rows() == [(date(2013, 4, 30), "East", 8.0, 7.5, None)]
    assert load_dataset(tmp_path / "out").has_column("iro_staffing", "fte_agency") is False
    surveys = table(tmp_path, "survey_responses")
    assert surveys.select("answer", "area", "uasc").rows() == [("not_sure", "East Kent", False)]


def test_several_years_merge_with_the_later_return_winning(tmp_path):
    """Two returns: 2013-14 has A1's episode open; 2014-15 closes it and corrects a review code."""
    header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA1,1,01/01/2005,WBRI,,,\n"
    episodes_columns = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    year_2014 = {
        "2014_header.csv": header,
        "2014_episodes.csv": episodes_columns + "A1,01/04/2013,S,C2,N1,U6,PR1,,,,,,\n",
        "2014_reviews.csv": "CHILD,DOB,REVIEW,REVIEW_CODE\nA1,01/01/2005,25/04/2013,PN7\nA1,01/01/2005,20/10/2013,PN1\n",
    }
    year_2015 = {
        "2015_header.csv": header.replace("WBRI", "WIRI"),
        "2015_episodes.csv": episodes_columns
        + "A1,01/04/2013,S,C2,N1,U6,PR1,01/05/2014,E8,,,,\nA1,01/06/2014,S,V2,N1,U6,PR1,,,,,,\n",
        "2015_reviews.csv": "CHILD,DOB,REVIEW,REVIEW_CODE\nA1,01/01/2005,20/10/2013,PN2\nA1,01/01/2005,20/06/2014,PN1\n",
    }
    # Files given newest first: the order of precedence comes from each return's dates, not the list order.
    paths = write_files(tmp_path / "b", year_2015) + write_files(tmp_path / "a", year_2014)
    report = run_import(paths, tmp_path / "out", today=date(2015, 6, 1))
    assert report.errors == [], report.format_text()
    episodes = table(tmp_path, "episodes").sort("start_date")
    assert episodes.select("start_date", "end_date", "reason_ceased").rows() == [
        (date(2013, 4, 1), date(2014, 5, 1), "E8"),
        (date(2014, 6, 1), None, None),
    ]
    reviews = table(tmp_path, "reviews").sort("review_date")
    assert reviews.select("review_date", "participation_code").rows() == [
        (date(2013, 4, 25), "PN7"),
        (date(2013, 10, 20), "PN2"),
        (date(2014, 6, 20), "PN1"),
    ]
    # Header files have no event dates: the later one in the list wins.
    assert table(tmp_path, "children")["ethnicity"].to_list() == ["WBRI"]


def test_dataset_description_names_the_import(tmp_path):
    assert import_files(tmp_path).ok
    ds = load_dataset(tmp_path / "out")
    assert ds.name == "out"
    assert ds.is_synthetic is False
    assert ds.meta["imported_on"] == TODAY
