"""Issue 22 items 1-2: an episode with no DEC is open whatever REC says; repeated years are one history."""

from __future__ import annotations

from datetime import date

import polars as pl

from iro_metrics.dataset import load_dataset
from iro_metrics.importer import run_import
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection
from tests.importer.test_support import VALID_FILES, import_files, write_files

EPISODE_COLUMNS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
HEADER_COLUMNS = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
REVIEW_COLUMNS = "CHILD,DOB,REVIEW,REVIEW_CODE\n"


def _value(out, indicator: str, period: str) -> float | None:
    frame = compute_indicators(Selection.of(load_dataset(out), period, None, "all"))
    return frame.filter(pl.col("indicator") == indicator)["value"].item()


def test_open_episodes_carrying_a_rec_stay_open(tmp_path):
    """Every open episode carries a REC (as generated returns and many extracts do).

    By hand, at 31 March 2014: A1 is open (from 01/10/2013, REC E8 given, no DEC), A2 is open (from
    15/05/2013, REC X1, no DEC), B3 left 31/12/2013. Children in care: 2. Nothing is set aside; one
    warning for episodes.csv counting the 2 open episodes with a REC.
    """
    episodes = (
        VALID_FILES["episodes.csv"]
        .replace("A1,01/10/2013,P,C2,N1,U4,PR1,,,", "A1,01/10/2013,P,C2,N1,U4,PR1,,E8,")
        .replace("A2,15/05/2013,S,V2,N4,U6,PR1,,,", "A2,15/05/2013,S,V2,N4,U6,PR1,,X1,")
    )
    assert episodes.count(",,E8,") == 1 and episodes.count(",,X1,") == 1
    report = import_files(tmp_path, {"episodes.csv": episodes})
    assert report.ok and report.errors == [], report.format_text()
    warned = [p for p in report.warnings if p.rule == "open_with_reason"]
    assert [(p.file, p.message.split(" ")[0]) for p in warned] == [("episodes.csv", "2")]
    table = pl.read_parquet(tmp_path / "out" / "episodes.parquet").sort("child_id", "start_date")
    assert table.filter(pl.col("end_date").is_null())["reason_ceased"].null_count() == 2
    assert _value(tmp_path / "out", "children_in_care", "2013-14") == 2


def _year(children: list[tuple[str, str]], episodes: list[str], reviews: list[str]) -> dict[str, str]:
    return {
        "header.csv": HEADER_COLUMNS + "".join(f"{c},1,{dob},WBRI,,,\n" for c, dob in children),
        "episodes.csv": EPISODE_COLUMNS + "".join(e + ",,,,\n" for e in episodes),
        "reviews.csv": REVIEW_COLUMNS + "".join(r + "\n" for r in reviews),
    }


def test_three_repeated_years_are_one_history(tmp_path):
    """Three returns, each repeating the episodes open across 31 March, DEC/REC filled in later years.

    K1 (b. 01/01/2005): 2014-15 return has 01/05/2014 open with a REC (E8); 2015-16 repeats it closed
      01/08/2015 E8; 2016-17 has a new episode from 01/03/2017, open.
    K2 (b. 01/06/2008): from 01/02/2015, open in 2014-15 and 2015-16; 2016-17 closes it 10/01/2017 E11.
      Its review 20/02/2015 is in both the 2014-15 and 2015-16 returns (counted once).
    K3 (b. 01/03/2001): from 01/10/2015, open; 2016-17 repeats it open with a REC (X1).
    K4 (b. 01/06/2010): from 01/06/2016, open (2016-17 only).
    By hand, children in care at 31 March: 2015 K1, K2 = 2; 2016 K2, K3 = 2; 2017 K1, K3, K4 = 3.
    Reviews held: 2014-15 K1 01/06/2014 + K2 20/02/2015 = 2; 2015-16 K3 20/10/2015 = 1;
    2016-17 K3 15/04/2016 + K4 20/06/2016 = 2. Episodes in the dataset: K1 2, K2 1, K3 1, K4 1 = 5.
    """
    k = {"K1": "01/01/2005", "K2": "01/06/2008", "K3": "01/03/2001", "K4": "01/06/2010"}
    years = {
        "2014-15": _year(
            [("K1", k["K1"]), ("K2", k["K2"])],
            ["K1,01/05/2014,S,C2,N1,U4,PR1,,E8", "K2,01/02/2015,S,C2,N1,U4,PR1,,"],
            ["K1,01/01/2005,01/06/2014,PN1", "K2,01/06/2008,20/02/2015,PN1"],
        ),
        "2015-16": _year(
            [("K1", k["K1"]), ("K2", k["K2"]), ("K3", k["K3"])],
            [
                "K1,01/05/2014,S,C2,N1,U4,PR1,01/08/2015,E8",
                "K2,01/02/2015,S,C2,N1,U4,PR1,,",
                "K3,01/10/2015,S,C2,N1,U4,PR1,,",
            ],
            ["K2,01/06/2008,20/02/2015,PN1", "K3,01/03/2001,20/10/2015,PN1"],
        ),
        "2016-17": _year(
            [("K1", k["K1"]), ("K2", k["K2"]), ("K3", k["K3"]), ("K4", k["K4"])],
            [
                "K1,01/03/2017,S,C2,N1,U4,PR1,,",
                "K2,01/02/2015,S,C2,N1,U4,PR1,10/01/2017,E11",
                "K3,01/10/2015,S,C2,N1,U4,PR1,,X1",
                "K4,01/06/2016,S,C2,N1,U4,PR1,,",
            ],
            ["K3,01/03/2001,15/04/2016,PN1", "K4,01/06/2010,20/06/2016,PN1"],
        ),
    }
    paths = [p for year, files in years.items() for p in write_files(tmp_path / year, files)]
    out = tmp_path / "out"
    report = run_import(paths, out, today=date(2017, 6, 1))
    assert report.ok and report.errors == [], report.format_text()
    assert report.set_aside == []
    episodes = pl.read_parquet(out / "episodes.parquet").sort("child_id", "start_date")
    assert episodes.select("child_id", "end_date", "reason_ceased").rows() == [
        ("K1", date(2015, 8, 1), "E8"),
        ("K1", None, None),
        ("K2", date(2017, 1, 10), "E11"),
        ("K3", None, None),
        ("K4", None, None),
    ]
    assert [_value(out, "children_in_care", y) for y in years] == [2, 2, 3]
    assert [_value(out, "reviews_held", y) for y in years] == [2, 1, 2]


def test_a_conflict_between_two_returns_is_warned_and_an_overlap_sets_aside_one_episode(tmp_path):
    """Two returns that disagree, and one return with an overlap: nothing but the overlapping episode goes.

    M1 (b. 01/01/2005): 2015-16 closes 01/05/2015 on 01/12/2015 E8; 2016-17 repeats it closed
      15/12/2015 E8 (a conflict: DEC differs, the later return's 15/12/2015 is used). Warned once,
      naming both files; M1 is kept with its one episode.
    M2 (b. 01/06/2008): 2016-17 has 01/05/2016 to 01/11/2016 (X1) and 01/09/2016, open, which starts
      inside it: only the 01/09/2016 episode is set aside. Its reviews: 20/05/2016 (inside the first
      episode, counted) and 20/12/2016 (inside the set-aside one only, so outside care: kept with a
      warning and counted, as indicators.md counts every review dated in the period).
    By hand: children in care at 31 March 2016 0 (M1 left 15/12/2015), at 31 March 2017 0 (M2's open
    episode is set aside). Reviews held 2015-16: M1 20/05/2015 = 1; 2016-17: M2 20/05/2016 and
    20/12/2016 = 2.
    Children 2, none set aside; episodes 2.
    """
    years = {
        "2015-16": _year(
            [("M1", "01/01/2005")],
            ["M1,01/05/2015,S,C2,N1,U4,PR1,01/12/2015,E8"],
            ["M1,01/01/2005,20/05/2015,PN1"],
        ),
        "2016-17": _year(
            [("M1", "01/01/2005"), ("M2", "01/06/2008")],
            [
                "M1,01/05/2015,S,C2,N1,U4,PR1,15/12/2015,E8",
                "M2,01/05/2016,S,C2,N1,U4,PR1,01/11/2016,X1",
                "M2,01/09/2016,P,C2,N1,U4,PR1,,",
            ],
            ["M2,01/06/2008,20/05/2016,PN1", "M2,01/06/2008,20/12/2016,PN1"],
        ),
    }
    paths = [p for year, files in years.items() for p in write_files(tmp_path / year, files)]
    out = tmp_path / "out"
    report = run_import(paths, out, today=date(2017, 6, 1))
    assert report.ok, report.format_text()
    conflicts = [p for p in report.warnings if p.rule == "conflicting_returns"]
    assert len(conflicts) == 1
    assert conflicts[0].file.endswith("2016-17/episodes.csv") and "2015-16/episodes.csv" in conflicts[0].message
    assert "DEC" in conflicts[0].message
    assert {(e["rule"], e["unit"], e["count"]) for e in report.set_aside} == {
        ("overlapping_episodes", "episodes", 1),
    }
    assert [p.value for p in report.warnings if p.rule == "review_outside_care"] == ["20/12/2016"]
    episodes = pl.read_parquet(out / "episodes.parquet").sort("child_id", "start_date")
    assert episodes.select("child_id", "start_date", "end_date").rows() == [
        ("M1", date(2015, 5, 1), date(2015, 12, 15)),
        ("M2", date(2016, 5, 1), date(2016, 11, 1)),
    ]
    assert pl.read_parquet(out / "children.parquet").height == 2
    assert [_value(out, "children_in_care", y) for y in years] == [0, 0]
    assert [_value(out, "reviews_held", y) for y in years] == [1, 2]
