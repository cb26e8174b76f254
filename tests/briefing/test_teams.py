"""Team caseloads in a paper (issue 13 item 2, issue 14 item 1), worked by hand.

A council paper states each IRO team's caseload (per FTE in post and per establishment FTE) beside
the whole service's; an area paper gives its team's caseload labelled with the team or, with no
mapping of areas to teams, the whole service's, labelled so and kept out of headlines and ratings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iro_metrics.briefing import build_briefing
from iro_metrics.briefing.figures import figures_csv
from iro_metrics.selection import Selection
from tests.briefing.reading import heading_ratings
from tests.builders import make_dataset

ROOT = Path(__file__).resolve().parents[2]
Q4 = "2013-14-Q4"
MARCH = date(2014, 3, 31)
EAST_SOUTH = "East and South Kent IRO team"
NORTH_WEST = "North and West Kent IRO team"


def paragraphs(briefing) -> list[str]:
    return [p for s in briefing.sections for p in s.paragraphs]


def table(briefing, prefix: str):
    return next(t for s in briefing.sections for t in s.tables if t.title.startswith(prefix))


def ratings(briefing) -> dict[str, list[str]]:
    return heading_ratings(briefing)


# --- the shipped data: each team's children and FTE worked out with plain Polars -----------------


@pytest.fixture(scope="module")
def shipped():
    from iro_metrics.dataset import load_dataset

    return load_dataset(ROOT / "data")


def hand_team(team: str) -> tuple[int, float, float]:
    """Children in care at the end of 31 March 2014 in the team's areas (short breaks left out; an
    episode ending that day is closed), and the team's FTE establishment and in post that month end."""
    teams = pl.read_parquet(ROOT / "data" / "area_teams.parquet")
    areas = teams.filter(pl.col("team") == team)["area"].to_list()
    episodes = pl.read_parquet(ROOT / "data" / "episodes.parquet")
    children = episodes.filter(
        pl.col("area").cast(pl.String).is_in(areas),
        pl.col("start_date") <= MARCH,
        pl.col("end_date").is_null() | (pl.col("end_date") > MARCH),
        ~pl.col("legal_status").cast(pl.String).is_in(["V3", "V4"]),
    )["child_id"].n_unique()
    staffing = pl.read_parquet(ROOT / "data" / "iro_staffing.parquet").filter(
        pl.col("team") == team, pl.col("month_end") == MARCH
    )
    return children, staffing["fte_establishment"].sum(), staffing["fte_in_post"].sum()


def test_hand_worked_team_figures_on_the_shipped_data():
    # The numbers the tests below print, so a change in the data shows here first.
    assert hand_team(EAST_SOUTH) == (1019, 12.0, pytest.approx(11.65))
    assert hand_team(NORTH_WEST) == (823, 10.0, pytest.approx(9.7))


def test_council_paper_states_each_team_beside_the_whole_service(shipped):
    paper = build_briefing(Selection.of(shipped, Q4))
    es, nw = hand_team(EAST_SOUTH), hand_team(NORTH_WEST)
    # 1019 / 11.65 = 87.468 and 1019 / 12 = 84.917; 823 / 9.7 = 84.845 and 823 / 10 = 82.30;
    # the whole service 1,842 / 21.35 = 86.276 and 1,842 / 22 = 83.727.
    assert f"{es[0] / es[2]:.2f}" == "87.47" and f"{es[0] / es[1]:.2f}" == "84.92"
    assert f"{nw[0] / nw[2]:.2f}" == "84.85" and f"{nw[0] / nw[1]:.2f}" == "82.30"
    assert (
        "Team caseloads at 31 March 2014: the East and South Kent IRO team has an average caseload of 87.47 per "
        "FTE in post (84.92 per establishment FTE); the North and West Kent IRO team has an average caseload of "
        "84.85 per FTE in post (82.30 per establishment FTE); across the whole service the caseload is 86.28 per "
        "FTE in post (83.73 per establishment FTE)."
    ) in paragraphs(paper)
    teams = table(paper, "IRO team caseloads")
    assert teams.frame.rows() == [
        (
            EAST_SOUTH,
            "Disabled Children's Service, East Kent, South Kent, UASC Service",
            "11.7",
            "87.47",
            "12.0",
            "84.92",
        ),
        (NORTH_WEST, "16+ Service, North Kent, West Kent", "9.7", "84.85", "10.0", "82.30"),
        ("Whole service", "All areas", "21.4", "86.28", "22.0", "83.73"),
    ]
    csv = figures_csv(paper).splitlines()
    assert f"IRO team caseloads at 31 March 2014,iro team={EAST_SOUTH};Caseload per FTE in post,87.47" in csv


def test_area_paper_gives_its_team_caseload_labelled_with_the_team(shipped):
    paper = build_briefing(Selection.of(shipped, Q4, ["East Kent"]))
    title = f"Caseload per FTE (establishment), {EAST_SOUTH}"
    assert any(p.startswith(f"{title}: 84.92 at 31 March 2014") for p in paragraphs(paper))
    assert ratings(paper)[title] == ["Performance is poor"]  # 84.92 is above the floor of 80
    # Issue 24: the headline is a conclusion on the team's own caseload, labelled with the team.
    assert any(h.startswith(f"{title} ") and "(84.92 at 31 March 2014" in h for h in paper.headlines)
    assert "caseload_per_fte_in_post,value,87.47" in figures_csv(paper).splitlines()


# --- a tiny council by hand -----------------------------------------------------------------------


def tiny(teams: bool = True, east_children: int = 6):
    """East Kent (east_children), North Kent 5 and West Kent 7 children in care on 31 March 2014.
    The East team serves East Kent (2.0 FTE establishment, 1.5 in post); the North team North and
    West Kent (3.0, 2.0); a shared post (1.0, 1.0) serves no area."""
    episodes = []
    for area, n in (("East Kent", east_children), ("North Kent", 5), ("West Kent", 7)):
        episodes += [dict(child_id=f"{area[0]}{i}", start_date=date(2013, 5, 1), area=area) for i in range(n)]
    staffing = [
        dict(month_end=MARCH, team=team, fte_establishment=est, fte_in_post=post)
        for team, est, post in (("East team", 2.0, 1.5), ("North team", 3.0, 2.0), ("Shared post", 1.0, 1.0))
    ]
    mapping = [
        dict(area="East Kent", team="East team"),
        dict(area="North Kent", team="North team"),
        dict(area="West Kent", team="North team"),
    ]
    extra = {"area_teams": mapping} if teams else {}
    return make_dataset(episodes=episodes, iro_staffing=staffing, **extra)


def test_tiny_council_paper_team_table():
    paper = build_briefing(Selection.of(tiny(), Q4))
    # East: 6 / 1.5 = 4.00 and 6 / 2 = 3.00; North: 12 / 2 = 6.00 and 12 / 3 = 4.00;
    # whole service: 18 / 4.5 = 4.00 and 18 / 6 = 3.00.
    assert table(paper, "IRO team caseloads").frame.rows() == [
        ("East team", "East Kent", "1.5", "4.00", "2.0", "3.00"),
        ("North team", "North Kent, West Kent", "2.0", "6.00", "3.0", "4.00"),
        ("Whole service", "All areas", "4.5", "4.00", "6.0", "3.00"),
    ]


def test_tiny_area_paper_with_a_team():
    paper = build_briefing(Selection.of(tiny(), Q4, ["West Kent"]))
    title = "Caseload per FTE in post, North team"
    assert any(p.startswith(f"{title}: 6.00 at 31 March 2014") for p in paragraphs(paper))
    assert "Caseload per FTE (establishment), North team" in ratings(paper)
    assert ratings(paper)["Caseload per FTE (establishment), North team"] == ["Performance is good"]  # 4.00


def test_tiny_area_paper_without_a_mapping_says_whole_service_and_does_not_rate_it():
    paper = build_briefing(Selection.of(tiny(teams=False), Q4, ["West Kent"]))
    title = "Caseload per FTE (establishment), whole service"
    assert any(p.startswith(f"{title}: 3.00 at 31 March 2014") for p in paragraphs(paper))  # 18 / 6
    assert ratings(paper)[title] == []
    assert not any("Caseload" in h for h in paper.headlines)
    key = table(paper, "Workload at a glance").frame
    assert key.filter(pl.col("Indicator") == title)["Rating"].to_list() == ["–"]
    assert any("whole IRO service" in p and "not rated" in p for p in paragraphs(paper))
    # The council paper has no team table without a mapping.
    assert not any(
        t.title.startswith("IRO team")
        for s in build_briefing(Selection.of(tiny(teams=False), Q4)).sections
        for t in s.tables
    )


def test_a_team_caseload_on_a_suppressed_count_is_withheld():
    # East Kent has 3 children: its team's caseload (3 / 2.0 = 1.50) would give the 3 back.
    ds = tiny(east_children=3)
    council = build_briefing(Selection.of(ds, Q4))
    east = table(council, "IRO team caseloads").frame.row(0)
    assert east[0] == "East team" and east[3] == "c" and east[5] == "c"
    area = build_briefing(Selection.of(ds, Q4, ["East Kent"]))
    assert "1.50" not in " ".join(paragraphs(area))
    assert "caseload_per_establishment_fte,value,c" in figures_csv(area).splitlines()
