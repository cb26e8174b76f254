"""The synthetic Kent: consistent with the data model, the UASC story, and byte-identical on regeneration."""

from __future__ import annotations

import random
import tomllib
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from iro_metrics import codes, periods
from iro_metrics.dataset import load_dataset
from tools.synthetic.__main__ import main as generate_command
from tools.synthetic.dates import add_months, add_working_days, quarter_label
from tools.synthetic.events import weighted_sample
from tools.synthetic.qa_audits import _closest_fraction
from tools.synthetic.review_repair import split_total
from tools.synthetic.review_schedule import due_date

DATA = Path(__file__).resolve().parents[2] / "data"
D = date


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    ds = load_dataset(DATA)  # raises DatasetError if anything breaks the schema or code lists
    return {name: frame.collect() for name, frame in ds.tables.items()}


def age_on(day: pl.Expr, dob: pl.Expr) -> pl.Expr:
    month_day = day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)
    birth_month_day = dob.dt.month().cast(pl.Int32) * 100 + dob.dt.day().cast(pl.Int32)
    return day.dt.year().cast(pl.Int32) - dob.dt.year().cast(pl.Int32) - (month_day < birth_month_day).cast(pl.Int32)


def in_care_on(episodes: pl.DataFrame, day: date) -> pl.DataFrame:
    return episodes.filter(
        (pl.col("start_date") <= day)
        & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
        & ~pl.col("legal_status").is_in(["V3", "V4"])
    )


# --- dataset.toml ----------------------------------------------------------------------------------


def test_dataset_toml_says_plainly_it_is_synthetic():
    meta = tomllib.loads((DATA / "dataset.toml").read_text(encoding="utf-8"))
    assert meta["local_authority"] == "Kent (synthetic)"
    assert meta["synthetic"] is True
    # Issue #18 extended the shipped data to the present (it ended on 31 March 2018 before).
    assert meta["first_day"] == D(2012, 4, 1) and meta["last_day"] == D(2026, 3, 31)
    assert (meta["la_code_old"], meta["la_code_new"]) == ("886", "E10000016")
    assert (
        "synthetic" in meta["description"].lower() and "no record describes a real child" in meta["description"].lower()
    )
    assert meta["produced_by"].startswith("iro_metrics.synthetic.generate")


def test_areas_are_kents_as_reported(tables):
    assert sorted(tables["episodes"]["area"].unique().to_list()) == sorted(codes.KENT_AREAS)
    for name in ("reviews", "qa_grades", "disputes", "iro_contacts", "survey_responses"):
        assert set(tables[name]["area"].unique().to_list()) <= set(codes.KENT_AREAS), name


# --- Episodes: chained periods of care -------------------------------------------------------------------


def test_episodes_chain_into_periods_of_care(tables):
    ep = tables["episodes"].sort("child_id", "start_date")
    chained = ep.with_columns(
        next_start=pl.col("start_date").shift(-1).over("child_id"),
        position=pl.int_range(pl.len()).over("child_id"),
        last=pl.int_range(pl.len()).over("child_id") == pl.len().over("child_id") - 1,
    )
    regular = chained.filter(~pl.col("legal_status").is_in(["V3", "V4"]))
    # Each child's care is one period: an S episode first, then episodes starting the day the last ended.
    assert regular.filter((pl.col("position") == 0) != (pl.col("reason_new_episode") == "S")).height == 0
    inner = regular.filter(~pl.col("last"))
    assert inner.filter(pl.col("end_date") != pl.col("next_start")).height == 0
    assert inner.filter(pl.col("reason_ceased") != "X1").height == 0
    final = regular.filter(pl.col("last"))
    assert final.filter(pl.col("reason_ceased") == "X1").height == 0
    assert final.filter(pl.col("end_date").is_null() != pl.col("reason_ceased").is_null()).height == 0
    assert ep.filter(pl.col("end_date") <= pl.col("start_date")).height == 0


def test_short_breaks_are_a_few_disabled_children_without_reviews(tables):
    breaks = tables["episodes"].filter(pl.col("legal_status").is_in(["V3", "V4"]))
    children = breaks["child_id"].unique()
    assert 5 <= children.len() <= 60
    assert breaks["area"].unique().to_list() == ["Disabled Children's Service"]
    assert tables["reviews"].filter(pl.col("child_id").is_in(children.implode())).height == 0


def test_notification_dates_only_on_entries(tables):
    ep = tables["episodes"]
    assert ep.filter((pl.col("reason_new_episode") != "S") & pl.col("iro_notified_date").is_not_null()).height == 0
    entries = ep.filter((pl.col("reason_new_episode") == "S") & ~pl.col("legal_status").is_in(["V3", "V4"]))
    assert entries["iro_notified_date"].null_count() == 0
    assert entries.filter(pl.col("iro_notified_date") < pl.col("start_date")).height == 0


def test_children_leave_care_by_18(tables):
    ep = tables["episodes"].join(tables["children"], on="child_id")
    # Still in care on the last day: under 18 then. Left: under 18 on the day before leaving
    # (a 29 February birthday comes of age on 1 March).
    still_in = ep.filter(pl.col("end_date").is_null())
    assert still_in.filter(age_on(pl.lit(D(2018, 3, 31)), pl.col("date_of_birth")) >= 18).height == 0
    left = ep.filter(pl.col("end_date").is_not_null())
    assert left.filter(age_on(pl.col("end_date") - pl.duration(days=1), pl.col("date_of_birth")) >= 18).height == 0
    assert left.filter(pl.col("reason_ceased") == "E17").height > 0  # some stay put


# --- Reviews -----------------------------------------------------------------------------------------------


def test_reviews_fall_inside_periods_of_care(tables):
    care = (
        tables["episodes"]
        .filter(~pl.col("legal_status").is_in(["V3", "V4"]))
        .group_by("child_id")
        .agg(first=pl.col("start_date").min(), last=pl.col("end_date").max(), open=pl.col("end_date").null_count() > 0)
    )
    reviews = tables["reviews"].join(care, on="child_id", how="left")
    assert reviews["first"].null_count() == 0
    outside = reviews.filter(
        (pl.col("review_date") <= pl.col("first")) | (~pl.col("open") & (pl.col("review_date") >= pl.col("last")))
    )
    assert outside.height == 0


def test_pn0_exactly_for_under_fours(tables):
    reviews = tables["reviews"].join(tables["children"], on="child_id")
    under_4 = age_on(pl.col("review_date"), pl.col("date_of_birth")) < 4
    assert reviews.filter(under_4 != (pl.col("participation_code") == "PN0")).height == 0
    assert reviews.filter(under_4).height > 1000  # there are babies and toddlers in care


def test_children_who_chair_are_old_enough_and_speak(tables):
    reviews = tables["reviews"].join(tables["children"], on="child_id").filter(pl.col("child_chaired") != "none")
    assert reviews.filter(age_on(pl.col("review_date"), pl.col("date_of_birth")) < 11).height == 0
    assert set(reviews["participation_code"].unique().to_list()) <= {"PN1", "PN2"}


def test_review_timeliness_dips_in_the_uasc_surge(tables):
    # Reviews per quarter from the schedule: most are on time, fewer in 2015-16 (checked with due dates
    # worked out here, independently of iro_metrics.care).
    reviews = tables["reviews"].sort("child_id", "review_date")
    starts = tables["episodes"].group_by("child_id").agg(poc_start=pl.col("start_date").min())
    rows = reviews.join(starts, on="child_id").select("child_id", "review_date", "poc_start").rows()
    on_time: dict[str, list[int]] = {}
    previous: dict[str, tuple[int, date]] = {}
    for child, day, start in rows:
        number, last = previous.get(child, (0, None))
        number += 1
        due = periods.add_working_days(start, 20) if number == 1 else periods.add_months(last, 3 if number == 2 else 6)
        previous[child] = (number, day)
        if D(2012, 4, 1) <= day <= D(2018, 3, 31):
            year = periods.period_containing(day, "year").label
            on_time.setdefault(year, []).append(day <= due)
    share = {year: 100 * sum(flags) / len(flags) for year, flags in on_time.items()}
    assert share["2013-14"] == pytest.approx(97.2, abs=0.05)
    assert share["2015-16"] < share["2013-14"] - 5
    assert all(share[y] > 80 for y in share)


# --- The UASC story --------------------------------------------------------------------------------------


def test_uasc_surge_from_summer_2015(tables):
    ep = tables["episodes"].join(tables["children"], on="child_id")
    arrivals = ep.filter(pl.col("uasc") & (pl.col("reason_new_episode") == "S"))
    surge = arrivals.filter(pl.col("start_date").is_between(D(2015, 6, 1), D(2016, 3, 31)))
    steady = arrivals.filter(pl.col("start_date").is_between(D(2012, 4, 1), D(2014, 3, 31)))
    assert 1000 <= surge.height <= 1200  # "just over 1000"
    assert steady.height / 2 < 250  # a steady cohort of under 250 a year before
    assert surge.filter(pl.col("sex") == "1").height / surge.height > 0.85  # mostly boys
    ages = surge.select(age_on(pl.col("start_date"), pl.col("date_of_birth")).alias("age"))["age"]
    assert ages.is_between(16, 17).mean() > 0.8  # mostly 16-17
    uasc_in_care = {
        d: in_care_on(tables["episodes"], d).filter(pl.col("uasc")).height
        for d in (D(2014, 3, 31), D(2015, 12, 31), D(2016, 3, 31))
    }
    assert uasc_in_care[D(2014, 3, 31)] == 218
    assert uasc_in_care[D(2015, 12, 31)] > 1000 > uasc_in_care[D(2016, 3, 31)] == 883


def test_uasc_leave_at_18_in_january_2016_and_disperse(tables):
    ep = tables["episodes"].join(tables["children"], on="child_id").filter(pl.col("uasc"))
    january_18s = ep.filter(
        pl.col("end_date").is_between(D(2016, 1, 1), D(2016, 1, 31))
        & (pl.col("end_date") == pl.col("date_of_birth").dt.offset_by("18y"))
    )
    assert january_18s.height > 100
    dispersed = ep.filter(
        (pl.col("reason_ceased") == "E3") & pl.col("end_date").is_between(D(2016, 1, 1), D(2016, 6, 30))
    )
    assert dispersed.height > 30


def test_locums_recruited_for_the_surge_then_released(tables):
    staff = tables["iro_staffing"]
    nw = staff.filter(pl.col("team") == "North and West Kent IRO team")

    def over(day):
        row = nw.filter(pl.col("month_end") == day)
        return (row["fte_in_post"] - row["fte_establishment"]).item()

    assert over(D(2015, 6, 30)) < 0 < 6 <= over(D(2016, 3, 31))
    assert over(D(2017, 6, 30)) < 1
    # caseload per FTE in post: 86.3 in March 2014, 65.67 in March 2016
    in_post = staff.filter(pl.col("month_end") == D(2016, 3, 31))["fte_in_post"].sum()
    assert 2427 / in_post == pytest.approx(65.67, abs=0.005)


def test_qa_audits_and_disputes_belong_to_real_reviews_and_children(tables):
    grades = tables["qa_grades"].join(tables["reviews"], on="review_id", how="left", suffix="_review")
    assert grades["review_date"].null_count() == 0
    assert grades.filter(pl.col("audit_date") < pl.col("review_date")).height == 0
    assert grades.filter(pl.col("area") != pl.col("area_review")).height == 0
    disputes = tables["disputes"]
    in_care = (
        tables["episodes"]
        .join(disputes.select("dispute_id", "child_id", "raised_date"), on="child_id")
        .filter(
            (pl.col("start_date") <= pl.col("raised_date"))
            & (pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("raised_date")))
        )
    )
    assert in_care["dispute_id"].n_unique() == disputes.height
    assert disputes.filter((pl.col("route") == "informal") & pl.col("highest_level").is_not_null()).height == 0


def test_uasc_status_ends_at_18(tables):
    children = tables["children"]
    assert children.filter(~pl.col("is_uasc") & pl.col("uasc_ceased").is_not_null()).height == 0
    uasc = children.filter(pl.col("is_uasc"))
    ended = uasc.filter(pl.col("uasc_ceased").is_not_null())
    assert (
        ended.filter(pl.col("uasc_ceased") != pl.col("date_of_birth").dt.offset_by("18y"))
        .filter(pl.col("date_of_birth").dt.strftime("%m-%d") != "02-29")
        .height
        == 0
    )
    still = uasc.filter(pl.col("uasc_ceased").is_null())
    assert still.filter(pl.col("date_of_birth").dt.offset_by("18y") <= D(2018, 3, 31)).height == 0
    # episodes carry the child's UASC flag
    flags = tables["episodes"].join(children, on="child_id").filter(pl.col("uasc") != pl.col("is_uasc"))
    assert flags.height == 0


def test_surveys_use_known_questions_and_no_child_ids(tables):
    responses = tables["survey_responses"]
    assert "child_id" not in responses.columns
    assert set(responses["question"].unique().to_list()) <= set(codes.SURVEY_QUESTIONS)


# --- Helpers ----------------------------------------------------------------------------------------------


def test_fast_calendar_helpers_agree_with_iro_metrics_periods():
    rng = random.Random(1)
    for _ in range(3000):
        day = D(2000, 1, 1) + timedelta(days=rng.randrange(7000))
        n = rng.randrange(0, 30)
        assert add_working_days(day, n) == periods.add_working_days(day, n)
        months = rng.randrange(0, 13)
        assert add_months(day, months) == periods.add_months(day, months)
        assert quarter_label(day) == periods.period_containing(day).label


def test_due_dates_follow_regulation_33():
    start = D(2013, 12, 20)  # Christmas and New Year bank holidays inside the 20 working days
    assert due_date(start, 1, None) == D(2014, 1, 22)
    assert due_date(start, 2, D(2014, 1, 20)) == D(2014, 4, 20)
    assert due_date(start, 3, D(2013, 8, 31)) == D(2014, 2, 28)  # 31 Aug + 6 months clamps


def test_split_total_keeps_the_total_and_the_proportions():
    assert split_total(10, ["a", "b", "c"], [1, 1, 2]) == {"a": 2, "b": 3, "c": 5} or split_total(
        10, ["a", "b", "c"], [1, 1, 2]
    ) == {"a": 3, "b": 2, "c": 5}
    assert sum(split_total(1385, list("abcd"), [3, 5, 7, 11]).values()) == 1385
    assert split_total(0, ["a"], [1]) == {"a": 0}


def test_closest_fraction_hits_a_published_share():
    k, n = _closest_fraction(86.9, 120, 70)
    assert abs(100 * k / n - 86.9) < 0.05 and 70 <= n <= 120
    assert _closest_fraction(100.0, 50, 30) == (50, 50)


def test_weighted_sample_is_deterministic_and_without_replacement():
    items = list(range(100))
    first = weighted_sample(random.Random(7), items, [1 + i % 3 for i in items], 30)
    assert first == weighted_sample(random.Random(7), items, [1 + i % 3 for i in items], 30)
    assert len(set(first)) == 30


# --- Byte-identical regeneration ------------------------------------------------------------------------------


@pytest.mark.slow
def test_make_data_regenerates_byte_identical_files(tmp_path):
    assert generate_command(["--out", str(tmp_path)]) == 0  # what make data runs
    shipped = sorted(p.name for p in DATA.iterdir() if p.is_file())
    made = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert made == shipped
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
