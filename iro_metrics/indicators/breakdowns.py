"""Breakdowns the pages and the briefing need beside the headline indicators."""

from __future__ import annotations

from typing import Literal

import polars as pl

from iro_metrics import codes
from iro_metrics.dataset import Dataset
from iro_metrics.indicators._engine import Request, as_text
from iro_metrics.indicators.oversight import CASELOAD_GUIDELINE, iro_caseloads
from iro_metrics.periods import working_days_after
from iro_metrics.selection import Selection

Breakdown = Literal["age_band", "sex", "ethnicity_group", "legal_status", "cohort"]


def _not_recorded(ds: Dataset, cohort: str, table: str | None = None, split_by_cohort: bool = False) -> bool:
    """Whether a breakdown's source is absent (not recorded is not zero): the UASC or citizen cohort,
    or the split into them, of a dataset without the UASC table; or an event table not supplied."""
    if (cohort != "all" or split_by_cohort) and not ds.records_uasc:
        return True
    return table is not None and not ds.has_table(table)


def _blank(frame: pl.DataFrame) -> pl.DataFrame:
    """The breakdown's groups with no counts: the data is not recorded, so nothing is 0."""
    blank = [pl.lit(None, frame.schema["count"]).alias("count")]
    if "pct" in frame.columns:
        blank.append(pl.lit(None, pl.Float64).alias("pct"))
    return frame.with_columns(blank)


def _with_share(frame: pl.DataFrame, total_over: list[str] | None = None) -> pl.DataFrame:
    total = pl.col("count").sum().over(total_over) if total_over else pl.col("count").sum()
    return frame.with_columns(pct=pl.when(total > 0).then(100.0 * pl.col("count") / total))


def age_band(age: pl.Expr) -> pl.Expr:
    """The DfE age band for an age in whole years."""
    return (
        pl.when(age < 1)
        .then(pl.lit("Under 1"))
        .when(age < 5)
        .then(pl.lit("1-4"))
        .when(age < 10)
        .then(pl.lit("5-9"))
        .when(age < 16)
        .then(pl.lit("10-15"))
        .when(age < 18)
        .then(pl.lit("16-17"))
        .otherwise(pl.lit("18 and over"))
        .cast(codes.AGE_BAND_ENUM)
    )


def age_on(day: pl.Expr, date_of_birth: pl.Expr) -> pl.Expr:
    """Age in whole years on ``day``."""

    def month_day(d: pl.Expr) -> pl.Expr:
        # Polars gives months and days as Int8: widen before multiplying.
        return d.dt.month().cast(pl.Int32) * 100 + d.dt.day().cast(pl.Int32)

    not_yet = month_day(day) < month_day(date_of_birth)
    return day.dt.year().cast(pl.Int32) - date_of_birth.dt.year().cast(pl.Int32) - not_yet.cast(pl.Int32)


def children_in_care_by(selection: Selection, by: Breakdown) -> pl.DataFrame:
    """Children in care at the period end by age band, sex, ethnicity group, legal status or cohort.

    Columns: group, count, pct (of children in care in the selection). Every group in the code
    list appears, zeros included.
    """
    request = Request.of(selection)
    ds, cohort = selection.ds, selection.cohort
    open_now = request.open_at_period_ends("child_key", "start_date", "legal_status", "uasc", "end").collect()
    # A child counts once, by the episode open at the period end (the latest started, should two be
    # open at once). By child_key, a whole number: it sorts and joins sooner than the text id.
    if open_now.height != open_now.get_column("child_key").n_unique():
        open_now = open_now.sort(["child_key", "start_date"]).unique("child_key", keep="last")
    if by in ("age_band", "sex", "ethnicity_group"):
        open_now = open_now.hstack(_children_by_key(ds).select(pl.all().gather(open_now["child_key"])))
    # Counted by the recorded value first (an age in years, a code), then grouped: the groups are
    # worked out for a few dozen values instead of every child.
    recorded = {
        "age_band": age_on(pl.col("end"), pl.col("date_of_birth")).alias("age"),
        "sex": pl.col("sex"),
        "ethnicity_group": pl.col("ethnicity"),
        "legal_status": pl.col("legal_status"),
        "cohort": pl.col("uasc"),
    }[by]
    group = {
        "age_band": age_band(pl.col("age")).cast(pl.String),
        "sex": pl.col("sex").replace_strict(codes.SEX, default="Not recorded"),
        "ethnicity_group": pl.col("ethnicity").replace_strict(codes.ETHNICITY_GROUP, default="Not known"),
        "legal_status": pl.col("legal_status").replace_strict(codes.LEGAL_STATUS_GROUP, default="Other"),
        "cohort": pl.when(pl.col("uasc")).then(pl.lit("UASC")).otherwise(pl.lit("Citizen children")),
    }[by]
    counted = (
        open_now.group_by(recorded)
        .agg(count=pl.len())
        .group_by(group.alias("group"))
        .agg(pl.col("count").sum().cast(pl.UInt32))
    )
    counted = as_text(counted)
    all_groups = {
        "age_band": list(codes.AGE_BANDS),
        "sex": [*codes.SEX.values()],
        "ethnicity_group": list(codes.ETHNICITY_GROUP_ORDER),
        "legal_status": list(dict.fromkeys(v for k, v in codes.LEGAL_STATUS_GROUP.items() if k not in ("V3", "V4"))),
        "cohort": ["Citizen children", "UASC"],
    }[by]
    extra = [g for g in counted["group"].to_list() if g not in all_groups]
    skeleton = pl.DataFrame({"group": all_groups + sorted(extra)}).with_row_index("_order")
    frame = skeleton.join(counted, on="group", how="left").with_columns(pl.col("count").fill_null(0))
    frame = _with_share(frame.sort("_order").drop("_order")).select("group", "count", "pct")
    return _blank(frame) if _not_recorded(ds, cohort, split_by_cohort=by == "cohort") else frame


def _children_by_key(ds: Dataset) -> pl.DataFrame:
    """Each child's sex, date of birth and ethnicity, row i for ``child_key`` i (the keys number the
    episodes' children from 0; null where the children table has no row for the child, its first
    row where it has two), joined once per dataset."""
    if ds.memo.children_by_key is None:
        children = (
            ds.table("children")
            .select("child_id", "sex", "date_of_birth", "ethnicity")
            .unique("child_id", keep="first", maintain_order=True)
            .collect()
        )
        ds.memo.children_by_key = (
            ds.care.child_keys.join(children, on="child_id", how="left").sort("child_key").drop("child_id", "child_key")
        )
    return ds.memo.children_by_key


def disputes_by_category_level(selection: Selection) -> pl.DataFrame:
    """Formal disputes raised in the period by category and highest level reached.

    Columns: category, category_label, level, level_label, count; every category x level 1-5.
    """
    request = Request.of(selection)
    ds, cohort = selection.ds, selection.cohort
    counted = (
        request.events("disputes")
        .filter(pl.col("route") == "formal")
        .group_by("category", pl.col("highest_level").alias("level"))
        .agg(count=pl.len())
        .collect()
        .pipe(as_text)
    )
    grid = pl.DataFrame(
        [
            (category, category_label, level, level_label)
            for category, category_label in codes.DISPUTE_CATEGORIES.items()
            for level, level_label in codes.DISPUTE_LEVELS.items()
        ],
        schema={"category": pl.String, "category_label": pl.String, "level": pl.Int64, "level_label": pl.String},
        orient="row",
    ).with_row_index("_order")
    frame = (
        grid.join(counted, on=["category", "level"], how="left")
        .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
        .sort("_order")
        .drop("_order")
    )
    return _blank(frame) if _not_recorded(ds, cohort, "disputes") else frame


def participation_mix(selection: Selection) -> pl.DataFrame:
    """Reviews held in the period by participation code. Columns: code, label, count, pct."""
    request = Request.of(selection)
    ds, cohort = selection.ds, selection.cohort
    counted = (
        request.events("reviews")
        .group_by(pl.col("participation_code").alias("code"))
        .agg(count=pl.len())
        .collect()
        .pipe(as_text)
    )
    skeleton = pl.DataFrame(
        {"code": list(codes.PARTICIPATION), "label": list(codes.PARTICIPATION.values())}
    ).with_row_index("_order")
    frame = skeleton.join(counted, on="code", how="left").with_columns(pl.col("count").fill_null(0))
    frame = _with_share(frame.sort("_order").drop("_order")).select("code", "label", "count", "pct")
    return _blank(frame) if _not_recorded(ds, cohort) else frame


def qa_grade_mix(selection: Selection) -> pl.DataFrame:
    """QA grades in the period by item and grade. Columns: item, item_label, grade, grade_label,
    count, pct (of that item's grades)."""
    request = Request.of(selection)
    ds, cohort = selection.ds, selection.cohort
    counted = as_text(request.events("qa_grades").group_by("item", "grade").agg(count=pl.len()).collect())
    grid = pl.DataFrame(
        [
            (item, item_label, grade, grade_label)
            for item, item_label in codes.QA_ITEMS.items()
            for grade, grade_label in codes.QA_GRADES.items()
        ],
        schema={"item": pl.String, "item_label": pl.String, "grade": pl.String, "grade_label": pl.String},
        orient="row",
    ).with_row_index("_order")
    frame = grid.join(counted, on=["item", "grade"], how="left").with_columns(pl.col("count").fill_null(0))
    frame = _with_share(frame.sort("_order").drop("_order"), total_over=["item"])
    return _blank(frame) if _not_recorded(ds, cohort, "qa_grades") else frame


def area_cohort_counts(selection: Selection) -> pl.DataFrame:
    """Children in care at the end of the selection's period in each area, by cohort (whatever the
    selection's areas and cohort), for the sidebar's note on empty combinations.

    Columns: area, all, uasc, citizen (counts; zeros included), one row per area of the dataset,
    sorted by area. One pass over the episodes open at the period's end (the same ones
    ``children_in_care_by`` counts), grouped by area and UASC status: cheap at any scale.
    """
    # The breakdowns' own request: the same open episodes, short breaks left out, as every count.
    ds = selection.ds
    request = Request.of(selection.whole_council().for_cohort("all"))
    grouped = (
        request.open_at_period_ends("area", "child_id", "uasc")
        .group_by(pl.col("area").cast(pl.String))
        .agg(
            pl.col("child_id").n_unique().alias("all"),
            pl.col("child_id").filter(pl.col("uasc")).n_unique().alias("uasc"),
            pl.col("child_id").filter(~pl.col("uasc")).n_unique().alias("citizen"),
        )
        .collect()
    )
    areas = pl.DataFrame({"area": ds.areas()}, schema={"area": pl.String})
    return (
        areas.join(grouped, on="area", how="left")
        .with_columns(pl.col("all", "uasc", "citizen").fill_null(0).cast(pl.Int64))
        .sort("area")
    )


def open_disputes_by_age_level(selection: Selection) -> pl.DataFrame:
    """Formal disputes open at the period end by highest level so far and age in working days.

    Open at d: raised on or before d and not resolved by d (as ``disputes_open_at_end``). The age
    band follows ``disputes_open_over_20wd``: 0-20 while d is on or before the 20th working day
    after raising, 21-40 until the 40th, then over 40. Columns: level, level_label, age_band
    (``pl.Enum`` of ``codes.DISPUTE_AGE_BANDS``), count; every level x band, zeros included.
    """
    end = selection.period.end
    bands = pl.Enum(list(codes.DISPUTE_AGE_BANDS))
    raised = pl.col("raised_date")
    frame = (
        Request.of(selection).select_rows(selection.ds.table("disputes"))
        if selection.ds.has_table("disputes")
        else None
    )
    grid = pl.DataFrame(
        [(level, label, band) for level, label in codes.DISPUTE_LEVELS.items() for band in codes.DISPUTE_AGE_BANDS],
        schema={"level": pl.Int64, "level_label": pl.String, "age_band": bands},
        orient="row",
    ).with_row_index("_order")
    if frame is None:
        return _blank(grid.with_columns(count=pl.lit(0, pl.Int64)).drop("_order"))
    counted = (
        frame.filter(
            (pl.col("route") == "formal")
            & (raised <= end)
            & (pl.col("resolved_date").is_null() | (pl.col("resolved_date") > end))
        )
        .select(
            level=pl.col("highest_level").cast(pl.Int64),
            age_band=pl.when(working_days_after(raised, 20) >= end)
            .then(pl.lit(codes.DISPUTE_AGE_BANDS[0]))
            .when(working_days_after(raised, 40) >= end)
            .then(pl.lit(codes.DISPUTE_AGE_BANDS[1]))
            .otherwise(pl.lit(codes.DISPUTE_AGE_BANDS[2]))
            .cast(bands),
        )
        .group_by("level", "age_band")
        .agg(count=pl.len())
        .collect()
    )
    result = (
        grid.join(counted, on=["level", "age_band"], how="left")
        .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
        .sort("_order")
        .drop("_order")
    )
    return _blank(result) if _not_recorded(selection.ds, selection.cohort, "disputes") else result


def iro_caseload_distribution(selection: Selection) -> pl.DataFrame:
    """Each IRO's caseload at the period end, without the IRO: a distribution for a chart.

    Whole service (as ``iro_caseload_median``): children in care at d allocated to the IRO per FTE
    where the IROs table gives it, else per head. Columns: caseload (sorted), over_guideline.
    Empty when the allocations are not recorded. The per-IRO table (with ids) is not given here.
    """
    return caseload_distribution_of(iro_caseload_table(selection))


def caseload_distribution_of(table: pl.DataFrame) -> pl.DataFrame:
    """``iro_caseload_table`` without the IROs: caseload (sorted) and over_guideline."""
    return table.select(caseload=pl.col("Caseload"), over_guideline=pl.col("Above guideline")).sort("caseload")


def iro_caseload_table(selection: Selection) -> pl.DataFrame:
    """Each IRO's caseload at the period end, naming the IRO: staff data for the importer role only.

    Whole service, as ``iro_caseload_distribution``. Columns: IRO (the pseudonymous iro_id), Team,
    FTE, Agency (from the IROs table where given), Children (in care, allocated), Caseload (per FTE
    where given, else per head), Above guideline. Largest caseload first. Empty when allocations
    are not recorded.
    """
    schema = {
        "IRO": pl.String,
        "Team": pl.String,
        "FTE": pl.Float64,
        "Agency": pl.Boolean,
        "Children": pl.Int64,
        "Caseload": pl.Float64,
        "Above guideline": pl.Boolean,
    }
    if not selection.ds.has_table("iro_allocations"):
        return pl.DataFrame(schema=schema)
    per_iro = iro_caseloads(Request.of(selection)).drop("fte")
    if selection.ds.has_table("iros"):
        details = selection.ds.table("iros").select(
            pl.col("iro_id").cast(pl.String),
            pl.col("team").cast(pl.String),
            pl.col("fte").cast(pl.Float64),
            pl.col("agency").cast(pl.Boolean),
        )
        per_iro = per_iro.join(details, on="iro_id", how="left")
    else:
        per_iro = per_iro.with_columns(
            team=pl.lit(None, pl.String), fte=pl.lit(None, pl.Float64), agency=pl.lit(None, pl.Boolean)
        )
    return (
        per_iro.select(
            pl.col("iro_id").alias("IRO"),
            pl.col("team").alias("Team"),
            pl.col("fte").alias("FTE"),
            pl.col("agency").alias("Agency"),
            pl.col("children").cast(pl.Int64).alias("Children"),
            pl.col("caseload").cast(pl.Float64).alias("Caseload"),
            (pl.col("caseload") > CASELOAD_GUIDELINE).alias("Above guideline"),
        )
        .collect()
        .sort(["Caseload", "IRO"], descending=[True, False])
        .cast(schema)
    )
