"""A straightforward pandas implementation of the indicator set, written from spec/indicators.md.

It is a baseline for speed and an independent cross-check of the product's numbers: nothing
here is shared with ``iro_metrics.indicators`` or ``iro_metrics.care``. Dates are pandas
datetimes; working days use numpy's business-day calendar with England and Wales bank holidays;
month arithmetic clamps to the month's last day.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq

from iro_metrics import codes
from iro_metrics.indicator_registry import qa_indicator_id, survey_indicator_id, survey_responses_id
from iro_metrics.periods import bank_holidays
from iro_metrics.tables import DATA_MODEL
from iro_metrics.tables import TABLES as DATA_MODEL_TABLES
from tools.bench.common import (
    FIXED_INDICATORS,
    BenchSelection,
    qa_indicator_ids,
    ratio,
    result_frame,
    survey_pairs_order,
    table_path,
)

# The data model's tables, from the one place they are listed.
TABLES = DATA_MODEL_TABLES


@dataclass
class PandasData:
    """The dataset as pandas frames, plus the selection-independent derived tables."""

    tables: dict[str, pd.DataFrame]
    periods_of_care: pd.DataFrame = field(default_factory=pd.DataFrame)
    schedule: pd.DataFrame = field(default_factory=pd.DataFrame)
    survey_pairs: list[tuple[str, str]] = field(default_factory=list)
    uasc_recorded: bool = True  # dataset.toml's uasc_recorded: false means no UASC table was imported


_CALENDAR = None


def _calendar() -> np.busdaycalendar:
    global _CALENDAR
    if _CALENDAR is None:
        _CALENDAR = np.busdaycalendar(holidays=np.array(bank_holidays(), dtype="datetime64[D]"))
    return _CALENDAR


def add_working_days(dates: pd.Series, n: int) -> pd.Series:
    """The n-th working day after each date, counting from the day after (NaT stays NaT)."""
    out = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ms]")
    ok = dates.notna()
    days = dates[ok].to_numpy().astype("datetime64[D]")
    out[ok] = np.busday_offset(days, n, roll="backward", busdaycal=_calendar()).astype("datetime64[ms]")
    return out


def add_months(dates: pd.Series, n: int) -> pd.Series:
    """Each date plus n calendar months, clamped to the last day of the month."""
    days = dates.to_numpy().astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = days - month.astype("datetime64[D]")
    target = month + n
    last_day = (target + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    result = np.minimum(target.astype("datetime64[D]") + day_of_month, last_day)
    return pd.Series(result.astype("datetime64[ms]"), index=dates.index)


def _read(folder: Path, table: str) -> pd.DataFrame | None:
    path = table_path(folder, table)
    if not path.exists():
        return None
    return pq.read_table(path).to_pandas(date_as_object=False)


def load(folder: Path | str) -> PandasData:
    """Read every table and build periods of care and the review schedule."""
    folder = Path(folder)
    tables = {name: df for name in TABLES if (df := _read(folder, name)) is not None}
    for name, df in tables.items():  # an optional column holding no value at all records nothing
        optional = {c.name for c in DATA_MODEL[name].columns if not c.required}
        if len(df):
            tables[name] = df[[c for c in df.columns if c not in optional or df[c].notna().any()]]
    meta_path = folder / "dataset.toml"
    meta = tomllib.loads(meta_path.read_text()) if meta_path.exists() else {}
    data = PandasData(tables, uasc_recorded=bool(meta.get("uasc_recorded", True)))
    episodes = tables["episodes"]
    short_break = episodes["legal_status"].isin(codes.SHORT_BREAK_LEGAL_STATUSES)
    data.tables["episodes"] = episodes[~short_break]
    data.tables["reviews"] = without_short_break_reviews(tables["reviews"], episodes, short_break)
    data.periods_of_care = periods_of_care(data.tables["episodes"])
    data.schedule = review_schedule(data.tables["reviews"], data.periods_of_care)
    if "survey_responses" in tables:
        pairs = tables["survey_responses"][["survey", "question"]].drop_duplicates()
        data.survey_pairs = survey_pairs_order(zip(pairs["survey"], pairs["question"], strict=True))
    return data


def without_short_break_reviews(reviews: pd.DataFrame, episodes: pd.DataFrame, short_break: pd.Series) -> pd.DataFrame:
    """Reviews less those of children whose every episode is a short break and those dated inside
    a short-break episode (start <= review date <= end, an open episode having no end)."""
    all_short = short_break.groupby(episodes["child_id"]).all()
    only_short_break_children = set(all_short[all_short].index)
    breaks = episodes.loc[short_break, ["child_id", "start_date", "end_date"]]
    pairs = reviews[["review_id", "child_id", "review_date"]].merge(breaks, on="child_id", how="inner")
    inside = (pairs["start_date"] <= pairs["review_date"]) & (
        pairs["end_date"].isna() | (pairs["review_date"] <= pairs["end_date"])
    )
    left_out = set(pairs.loc[inside, "review_id"]) | set(
        reviews.loc[reviews["child_id"].isin(only_short_break_children), "review_id"]
    )
    return reviews[~reviews["review_id"].isin(left_out)]


def periods_of_care(episodes: pd.DataFrame) -> pd.DataFrame:
    """Runs of a child's episodes, each starting the day the last ended; an S episode opens a new one."""
    ep = episodes.sort_values(["child_id", "start_date"], kind="mergesort").reset_index(drop=True)
    previous_end = ep.groupby("child_id", sort=False)["end_date"].shift(1)
    first_of_child = ~ep["child_id"].duplicated()
    new = first_of_child | (ep["start_date"] != previous_end) | (ep["reason_new_episode"] == "S")
    ep["poc_id"] = new.cumsum()
    # The last episode of a run gives its end (null while open): take the last row, not the last non-null.
    last_rows = ep.drop_duplicates("poc_id", keep="last").set_index("poc_id")
    first_rows = ep.drop_duplicates("poc_id", keep="first").set_index("poc_id")
    return pd.DataFrame(
        {
            "child_id": first_rows["child_id"],
            "poc_start": first_rows["start_date"],
            "poc_end": last_rows["end_date"],
            # A period of care the data saw begin (an S episode); one begun before the data has no
            # first review in it.
            "opened_by_s": first_rows["reason_new_episode"] == "S",
        }
    ).reset_index()


def review_schedule(reviews: pd.DataFrame, pocs: pd.DataFrame) -> pd.DataFrame:
    """Reviews inside a period of care, numbered within it, with their due dates and on-time flags."""
    joined = reviews.merge(pocs, on="child_id", how="inner")
    inside = (joined["review_date"] >= joined["poc_start"]) & (
        joined["poc_end"].isna() | (joined["review_date"] <= joined["poc_end"])
    )
    rv = joined[inside].sort_values(["poc_id", "review_date", "review_id"], kind="mergesort").reset_index(drop=True)
    rv["review_number"] = rv.groupby("poc_id", sort=False).cumcount() + 1
    previous = rv.groupby("poc_id", sort=False)["review_date"].shift(1)
    first_due = add_working_days(rv["poc_start"], 20)
    due = first_due.where(rv["review_number"] == 1, add_months(previous.fillna(rv["review_date"]), 6))
    due = due.where(rv["review_number"] != 2, add_months(previous.fillna(rv["review_date"]), 3))
    rv["due_date"] = due
    rv["on_time"] = rv["review_date"] <= rv["due_date"]
    return rv


def _select(df: pd.DataFrame, sel: BenchSelection) -> pd.DataFrame:
    keep = pd.Series(True, index=df.index)
    if sel.areas:
        keep &= df["area"].isin(sel.areas)
    if sel.cohort != "all":
        keep &= df["uasc"] == (sel.cohort == "uasc")
    return df[keep]


def _caseload_teams(t: dict[str, pd.DataFrame], sel: BenchSelection) -> list[str] | None:
    """The IRO teams serving the selected areas when area_teams maps them all, else None (whole service)."""
    if not sel.areas or "area_teams" not in t:
        return None
    mapping = dict(zip(t["area_teams"]["area"], t["area_teams"]["team"], strict=True))
    if not mapping or any(a not in mapping for a in sel.areas):
        return None
    return sorted({mapping[a] for a in sel.areas})


def _in_period(dates: pd.Series, sel: BenchSelection) -> pd.Series:
    return (dates >= pd.Timestamp(sel.period.start)) & (dates <= pd.Timestamp(sel.period.end))


def _in_care_at(episodes: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    return episodes[(episodes["start_date"] <= day) & (episodes["end_date"].isna() | (episodes["end_date"] > day))]


def compute(data: PandasData, sel: BenchSelection) -> pl.DataFrame:
    """Every indicator for one selection: indicator, value, numerator, denominator."""
    t = data.tables
    day = pd.Timestamp(sel.period.end)
    rows: dict[str, tuple[float | None, float | None, float | None]] = {}

    def count(name: str, n: float | None) -> None:
        rows[name] = (n, n, None)

    def pct(name: str, num: float | None, den: float | None, scale: float = 100.0) -> None:
        rows[name] = (ratio(num, den, scale), num, den)

    # Workload
    episodes = _select(t["episodes"], sel)
    in_care = _in_care_at(episodes, day)
    in_care_children = pd.Index(in_care["child_id"].unique())
    count("children_in_care", len(in_care_children))
    starts = episodes[(episodes["reason_new_episode"] == "S") & _in_period(episodes["start_date"], sel)]
    count("children_starting_care", len(starts))
    ceased = episodes[
        _in_period(episodes["end_date"], sel) & episodes["reason_ceased"].notna() & (episodes["reason_ceased"] != "X1")
    ]
    count("children_ceasing_care", len(ceased))
    establishment = in_post = None
    teams = _caseload_teams(t, sel)
    if "iro_staffing" in t:
        staffing = t["iro_staffing"][t["iro_staffing"]["month_end"] <= day]
        if teams is not None:
            staffing = staffing[staffing["team"].isin(teams)]
        if len(staffing):
            latest = staffing[staffing["month_end"] == staffing["month_end"].max()]
            establishment = float(latest["fte_establishment"].sum())
            in_post = float(latest["fte_in_post"].sum())
    count("iro_fte_establishment", establishment)
    count("iro_fte_in_post", in_post)
    caseload_episodes = t["episodes"]
    if teams is not None:  # the children of every area the selected areas' teams serve, any cohort
        team_areas = t["area_teams"].loc[t["area_teams"]["team"].isin(teams), "area"]
        caseload_episodes = caseload_episodes[caseload_episodes["area"].isin(team_areas)]
    whole_service = _in_care_at(caseload_episodes, day)["child_id"].nunique()
    pct("caseload_per_establishment_fte", whole_service if establishment is not None else None, establishment, 1.0)
    pct("caseload_per_fte_in_post", whole_service if in_post is not None else None, in_post, 1.0)

    # Reviews
    reviews = _select(t["reviews"], sel)
    reviews = reviews[_in_period(reviews["review_date"], sel)]
    held = len(reviews)
    count("reviews_held", held)
    if "chaired_by" in reviews.columns:
        pct("reviews_chaired_by_iro_pct", int((reviews["chaired_by"] == "iro").sum()), held)
    else:
        rows["reviews_chaired_by_iro_pct"] = (None, None, None)
    scheduled = _select(data.schedule, sel)
    scheduled = scheduled[_in_period(scheduled["review_date"], sel)]
    pct("reviews_on_time_pct", int(scheduled["on_time"].sum()), len(scheduled))
    count("reviews_overdue", _reviews_overdue(data, in_care_children, day))
    eligible = reviews["participation_code"].isin(codes.PARTICIPATION_ELIGIBLE).sum()
    pct("participation_pct", int(reviews["participation_code"].isin(codes.PARTICIPATED).sum()), int(eligible))
    pct(
        "participation_in_person_pct",
        int(reviews["participation_code"].isin(codes.PARTICIPATED_IN_PERSON).sum()),
        int(eligible),
    )
    has_chair = "child_chaired" in reviews.columns
    count("child_chaired_full", int((reviews["child_chaired"] == "full").sum()) if has_chair else None)
    count("child_chaired_part", int((reviews["child_chaired"] == "part").sum()) if has_chair else None)
    if "minutes_issued_date" in reviews.columns:
        deadline = add_working_days(reviews["review_date"], 15)
        on_time = reviews["minutes_issued_date"].notna() & (reviews["minutes_issued_date"] <= deadline)
        pct("minutes_on_time_pct", int(on_time.sum()), held)
    else:
        rows["minutes_on_time_pct"] = (None, None, None)
    qa = None
    if "qa_grades" in t:
        qa = _select(t["qa_grades"], sel)
        qa = qa[_in_period(qa["audit_date"], sel)]
        pct("qa_audit_rate_pct", qa["audit_id"].nunique(), held)
    else:
        rows["qa_audit_rate_pct"] = (None, None, None)

    # Social work practice and IRO challenge
    if "iro_notified_date" in starts.columns:
        deadline = add_working_days(starts["start_date"], 2)
        late = int((starts["iro_notified_date"].isna() | (starts["iro_notified_date"] >= deadline)).sum())
        count("late_notifications", late)
        pct("late_notifications_pct", late, len(starts))
    else:
        rows["late_notifications"] = rows["late_notifications_pct"] = (None, None, None)
    if "disputes" in t:
        disputes = _select(t["disputes"], sel)
        disputes = disputes[_in_period(disputes["raised_date"], sel)]
        formal = disputes[disputes["route"] == "formal"]
        informal = int((disputes["route"] == "informal").sum())
        count("disputes_formal", len(formal))
        count("disputes_informal", informal)
        pct("disputes_formal_per_100_reviews", len(formal), held)
        pct("disputes_informal_per_100_reviews", informal, held)
        pct("disputes_resolved_at_level_1_pct", int((formal["highest_level"] == 1).sum()), len(formal))
    else:
        for name in FIXED_INDICATORS:
            if name.startswith("disputes_"):
                rows[name] = (None, None, None)

    # Quality assurance
    if qa is not None:
        by_item = (
            qa.assign(adequate=qa["grade"] != "inadequate", good=qa["grade"].isin(codes.QA_GOOD_OR_BETTER))
            .groupby("item")[["adequate", "good"]]
            .agg(["sum", "count"])
        )
    for item in codes.QA_ITEMS:
        if qa is None:
            rows[qa_indicator_id(item, "adequate")] = rows[qa_indicator_id(item, "good")] = (None, None, None)
            continue
        if item in by_item.index:
            line = by_item.loc[item]
            n, adequate, good = (
                int(line[("adequate", "count")]),
                int(line[("adequate", "sum")]),
                int(line[("good", "sum")]),
            )
        else:
            n = adequate = good = 0
        pct(qa_indicator_id(item, "adequate"), adequate, n)
        pct(qa_indicator_id(item, "good"), good, n)

    # IRO contact and children's views
    if "iro_contacts" in t:
        contacts = t["iro_contacts"]  # child-centred: whatever area or cohort the contact row carries
        contacted = contacts.loc[_in_period(contacts["contact_date"], sel), "child_id"].unique()
        pct("iro_contact_pct", int(in_care_children.isin(contacted).sum()), len(in_care_children))
    else:
        rows["iro_contact_pct"] = (None, None, None)
    survey_rows = []
    if "survey_responses" in t:  # a response count for every survey in the code list
        answers = _select(t["survey_responses"], sel)
        answers = answers[_in_period(answers["response_date"], sel)]
        responses = answers.groupby("survey")["response_id"].nunique().to_dict()
        yes_counts = (
            answers.assign(yes=answers["answer"] == "yes").groupby(["survey", "question"])["yes"].agg(["sum", "count"])
        )
        for survey in codes.SURVEYS:
            n = int(responses.get(survey, 0))
            survey_rows.append((survey_responses_id(survey), n, n, None))
        for survey, question in data.survey_pairs:
            if (survey, question) in yes_counts.index:
                yes, n = (int(x) for x in yes_counts.loc[(survey, question)])
            else:
                yes = n = 0
            survey_rows.append((survey_indicator_id(survey, question), ratio(yes, n), yes, n))

    _oversight(data, sel, day, episodes, reviews, count, pct, rows)

    order = [*FIXED_INDICATORS, *qa_indicator_ids()]
    # An id this baseline does not compute is left out, for run.compare_results to report.
    result = [(name, *rows[name]) for name in order if name in rows] + survey_rows
    if sel.cohort != "all" and not data.uasc_recorded:  # no UASC table: the cohort is not recorded
        result = [(name, None, None, None) for name, *_ in result]
    return result_frame(result)


def _reviews_overdue(data: PandasData, children: pd.Index, day: pd.Timestamp) -> int:
    """Children in care at ``day`` whose next review was due before ``day``."""
    pocs = data.periods_of_care
    open_at = pocs[
        pocs["child_id"].isin(children)
        & (pocs["poc_start"] <= day)
        & (pocs["poc_end"].isna() | (pocs["poc_end"] > day))
    ]
    held = data.schedule[(data.schedule["review_date"] <= day) & data.schedule["poc_id"].isin(open_at["poc_id"])]
    last = held.sort_values(["poc_id", "review_number"]).drop_duplicates("poc_id", keep="last")
    merged = open_at.merge(last[["poc_id", "review_number", "review_date"]], on="poc_id", how="left")
    next_due = add_working_days(merged["poc_start"], 20)
    has_review = merged["review_number"].notna()
    after_first = add_months(merged["review_date"].fillna(merged["poc_start"]), 3)
    after_later = add_months(merged["review_date"].fillna(merged["poc_start"]), 6)
    next_due = next_due.where(~has_review, after_first.where(merged["review_number"] == 1, after_later))
    return int(merged.loc[next_due < day, "child_id"].nunique())


SEEN_TYPES = ("visit", "conversation")


def _oversight(data: PandasData, sel: BenchSelection, day: pd.Timestamp, episodes, reviews, count, pct, rows) -> None:
    """The 12 oversight indicators of spec/indicators.md (issue 25), from the spec's definitions."""
    t = data.tables
    none = (None, None, None)
    # Disputes: formal ones, resolved within 20 working days of being raised.
    if "disputes" in t:
        formal = _select(t["disputes"], sel)
        formal = formal[formal["route"] == "formal"]
        if "resolved_date" not in formal.columns:  # none resolved yet: the optional column holds nothing
            formal = formal.assign(resolved_date=pd.Series(pd.NaT, index=formal.index, dtype="datetime64[ms]"))
        due = add_working_days(formal["raised_date"], 20)
        resolved = _in_period(formal["resolved_date"], sel) & formal["resolved_date"].notna()
        pct(
            "disputes_resolved_in_20wd_pct",
            int((resolved & (formal["resolved_date"] <= due)).sum()),
            int(resolved.sum()),
        )
        open_ = (formal["raised_date"] <= day) & (formal["resolved_date"].isna() | (formal["resolved_date"] > day))
        count("disputes_open_at_end", int(open_.sum()))
        count("disputes_open_over_20wd", int((open_ & (due < day)).sum()))
    else:
        for name in ("disputes_resolved_in_20wd_pct", "disputes_open_at_end", "disputes_open_over_20wd"):
            rows[name] = none
    # First reviews of a period of care the data saw begin.
    scheduled = _select(data.schedule, sel)
    scheduled = scheduled[_in_period(scheduled["review_date"], sel)]
    first = scheduled[(scheduled["review_number"] == 1) & scheduled["opened_by_s"].astype(bool)]
    pct("first_reviews_on_time_pct", int(first["on_time"].sum()), len(first))
    # Agency FTE at the last month end on or before d that gives an agency figure (whole service).
    staffing = t.get("iro_staffing")
    if staffing is not None and "fte_agency" in staffing.columns:
        given = staffing[(staffing["month_end"] <= day)]
        given = given[given.groupby("month_end")["fte_agency"].transform(lambda c: c.notna().any())]
        if len(given):
            latest = given[given["month_end"] == given["month_end"].max()]
            pct("iro_agency_fte_pct", float(latest["fte_agency"].sum()), float(latest["fte_in_post"].sum()))
        else:
            rows["iro_agency_fte_pct"] = none
    else:
        rows["iro_agency_fte_pct"] = none
    # Caseloads per IRO at d (whole service) and children whose IRO changed in the period.
    if "iro_allocations" in t:
        alloc = t["iro_allocations"]
        open_alloc = alloc[(alloc["start_date"] <= day) & (alloc["end_date"].isna() | (alloc["end_date"] > day))]
        in_care_all = set(_in_care_at(t["episodes"], day)["child_id"])
        open_alloc = open_alloc.assign(counted=open_alloc["child_id"].where(open_alloc["child_id"].isin(in_care_all)))
        per_iro = open_alloc.groupby("iro_id")["counted"].nunique()
        fte = t["iros"].set_index("iro_id")["fte"] if "iros" in t and "fte" in t["iros"].columns else pd.Series()
        iro_fte = fte.reindex(per_iro.index).astype(float)
        caseload = (per_iro / iro_fte).where(iro_fte > 0, per_iro.astype(float))
        for name, value in (("iro_caseload_median", caseload.median()), ("iro_caseload_max", caseload.max())):
            rows[name] = (None, None, None) if pd.isna(value) else (float(value), float(value), None)
        count("iros_over_guideline", int((caseload > 70).sum()))
        ended = alloc[_in_period(alloc["end_date"], sel) & alloc["end_date"].notna()][["child_id", "start_date"]]
        began = alloc[_in_period(alloc["start_date"], sel)][["child_id", "start_date"]]
        pairs = ended.merge(began, on="child_id", suffixes=("_ended", ""))
        changed = set(pairs.loc[pairs["start_date_ended"] < pairs["start_date"], "child_id"])
        in_care_sel = pd.Index(_in_care_at(episodes, day)["child_id"].unique())
        pct("iro_changes_pct", int(in_care_sel.isin(changed).sum()), len(in_care_sel))
    else:
        for name in ("iro_caseload_median", "iro_caseload_max", "iros_over_guideline", "iro_changes_pct"):
            rows[name] = none
    # Contacts by type: seen in the 20 working days before the review; a midway review between two.
    contacts = t.get("iro_contacts")
    if contacts is not None and "type" in contacts.columns:
        held = reviews[["review_id", "child_id", "review_date"]]
        days = held["review_date"].to_numpy().astype("datetime64[D]")
        since = np.busday_offset(days, -20, roll="forward", busdaycal=_calendar()).astype("datetime64[ms]")
        held = held.assign(since=since)
        seen = held.merge(contacts[contacts["type"].isin(SEEN_TYPES)][["child_id", "contact_date"]], on="child_id")
        seen = seen[(seen["contact_date"] >= seen["since"]) & (seen["contact_date"] < seen["review_date"])]
        pct("seen_before_review_pct", seen["review_id"].nunique(), len(held))
        previous = data.schedule[["review_id", "poc_id", "review_date"]].sort_values(
            ["poc_id", "review_date"], kind="mergesort"
        )
        previous = previous.assign(previous_date=previous.groupby("poc_id")["review_date"].shift(1))
        following = held.merge(previous[["review_id", "previous_date"]], on="review_id")
        following = following[following["previous_date"].notna()]
        mid = following.merge(contacts[contacts["type"] == "midway"][["child_id", "contact_date"]], on="child_id")
        mid = mid[(mid["contact_date"] > mid["previous_date"]) & (mid["contact_date"] < mid["review_date"])]
        pct("midway_reviews_pct", mid["review_id"].nunique(), len(following))
    else:
        rows["seen_before_review_pct"] = rows["midway_reviews_pct"] = none
    if "first_set_date" in reviews.columns:
        with_first = reviews[reviews["first_set_date"].notna()]
        pct(
            "reviews_rescheduled_pct",
            int((with_first["first_set_date"] != with_first["review_date"]).sum()),
            len(with_first),
        )
    else:
        rows["reviews_rescheduled_pct"] = none
