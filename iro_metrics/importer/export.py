"""Write files in the import formats: blank templates with an example row, and a whole dataset.

``export_903`` writes a dataset as the four SSDA903 CSVs plus every template it has data for, so
that importing the files gives back the same indicators (the round-trip test). It writes child
identifiers and dates of birth, as any 903 return does: it is for moving data between systems,
never offered as a download in the app.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

from iro_metrics.dataset import Dataset
from iro_metrics.importer.file_specs import FileSpec
from iro_metrics.importer.formats import (
    AREA_TEAMS,
    DISPUTES,
    EPISODE_DETAILS,
    EPISODES,
    FILE_SPECS,
    HEADER,
    IRO_ALLOCATIONS,
    IRO_CONTACTS,
    IRO_STAFFING,
    IROS,
    QA_GRADES,
    REVIEW_DETAILS,
    REVIEWS,
    SURVEY_RESPONSES,
    TEMPLATES,
    UASC,
)

EXPORT_FILE_NAMES: dict[str, str] = {
    "header": "header.csv",
    "episodes": "episodes.csv",
    "reviews": "reviews.csv",
    "uasc": "uasc.csv",
    **{spec.kind: spec.template_file for spec in TEMPLATES},
}


def template_csv(kind: str) -> bytes:
    """A blank template (or 903 layout) as CSV: the header row and one example row."""
    return example_csv(FILE_SPECS[kind])


def example_csv(spec: FileSpec) -> bytes:
    """One import file's layout as CSV: the header row and one example row."""
    frame = pl.DataFrame({c.name: [c.example] for c in spec.columns}, schema={c.name: pl.String for c in spec.columns})
    return frame.write_csv().encode("utf-8")


def templates_zip() -> bytes:
    """Every template (with its example row) in one zip, for the Import page's download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for spec in TEMPLATES:
            info = zipfile.ZipInfo(spec.template_file, date_time=(2026, 1, 1, 0, 0, 0))  # same bytes every time
            archive.writestr(info, template_csv(spec.kind), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_templates(out_dir: Path) -> list[Path]:
    """Every template, with its example row, into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in TEMPLATES:
        path = out_dir / spec.template_file
        path.write_bytes(template_csv(spec.kind))
        written.append(path)
    return written


def _dmy(column: str) -> pl.Expr:
    return pl.col(column).dt.to_string("%d/%m/%Y")


def _yn(column: str) -> pl.Expr:
    return pl.when(pl.col(column)).then(pl.lit("Y")).otherwise(pl.lit("N"))


def _write(frame: pl.DataFrame, spec: FileSpec, out_dir: Path, columns: dict[str, pl.Expr]) -> Path:
    """Write ``frame`` in ``spec``'s layout: the given columns in spec order, unused 903 columns blank."""
    exprs = [
        (columns[c.name] if c.name in columns else pl.lit(None, dtype=pl.String)).cast(pl.String).alias(c.name)
        for c in spec.columns
        if c.name in columns or spec.is_903
    ]
    path = out_dir / EXPORT_FILE_NAMES[spec.kind]
    frame.select(exprs).write_csv(path)
    return path


def export_903(ds: Dataset, out_dir: Path) -> list[Path]:
    """Write ``ds`` as SSDA903 CSVs (Header, Episodes, Reviews, UASC) plus the templates it has data for."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    t = {name: ds.tables[name].collect() for name in ds.tables}
    children = t["children"].sort("child_id")
    episodes = t["episodes"].sort("child_id", "start_date")
    reviews = (
        t["reviews"]
        .sort("child_id", "review_date")
        .join(children.select("child_id", "date_of_birth"), on="child_id", how="left", maintain_order="left")
    )
    return [
        *_the_903_files(children, episodes, reviews, out_dir),
        *_detail_files(ds, episodes, reviews, out_dir),
        *_qa_and_dispute_files(ds, t, out_dir),
        *_staff_and_contact_files(ds, t, out_dir),
        *_survey_and_area_team_files(ds, t, out_dir),
    ]


_PLACE = {"AREA": pl.col("area"), "UASC": _yn("uasc")}


def _the_903_files(children: pl.DataFrame, episodes: pl.DataFrame, reviews: pl.DataFrame, out_dir: Path) -> list[Path]:
    """The Header, Episodes, Reviews and UASC tables in the DfE's layout."""
    return [
        _write(
            children,
            HEADER,
            out_dir,
            {
                "CHILD": pl.col("child_id"),
                "SEX": pl.col("sex"),
                "DOB": _dmy("date_of_birth"),
                "ETHNIC": pl.col("ethnicity"),
            },
        ),
        _write(
            episodes,
            EPISODES,
            out_dir,
            {
                "CHILD": pl.col("child_id"),
                "DECOM": _dmy("start_date"),
                "RNE": pl.col("reason_new_episode"),
                "LS": pl.col("legal_status"),
                "CIN": pl.col("category_of_need"),
                "PLACE": pl.col("placement_type"),
                "DEC": _dmy("end_date"),
                "REC": pl.col("reason_ceased"),
            },
        ),
        _write(
            reviews,
            REVIEWS,
            out_dir,
            {
                "CHILD": pl.col("child_id"),
                "DOB": _dmy("date_of_birth"),
                "REVIEW": _dmy("review_date"),
                "REVIEW_CODE": pl.col("participation_code"),
            },
        ),
        _write(
            children.filter(pl.col("is_uasc")),
            UASC,
            out_dir,
            {
                "CHILD": pl.col("child_id"),
                "SEX": pl.col("sex"),
                "DOB": _dmy("date_of_birth"),
                "DUC": _dmy("uasc_ceased"),
            },
        ),
    ]


def _detail_files(ds: Dataset, episodes: pl.DataFrame, reviews: pl.DataFrame, out_dir: Path) -> list[Path]:
    """The Episode details and Review details templates, with the optional columns the dataset has."""
    written = []
    episode_columns = {"CHILD": pl.col("child_id"), "DECOM": _dmy("start_date"), "AREA": pl.col("area")}
    if ds.has_column("episodes", "iro_notified_date"):
        episode_columns["IRO_NOTIFIED"] = _dmy("iro_notified_date")
    written.append(_write(episodes, EPISODE_DETAILS, out_dir, episode_columns))
    review_columns = {"CHILD": pl.col("child_id"), "REVIEW": _dmy("review_date"), "CHAIRED_BY": pl.col("chaired_by")}
    if ds.has_column("reviews", "child_chaired"):
        review_columns["CHILD_CHAIRED"] = pl.col("child_chaired")
    if ds.has_column("reviews", "minutes_issued_date"):
        review_columns["MINUTES_ISSUED"] = _dmy("minutes_issued_date")
    if ds.has_column("reviews", "first_set_date"):
        review_columns["FIRST_SET"] = _dmy("first_set_date")
    written.append(_write(reviews, REVIEW_DETAILS, out_dir, review_columns))
    return written


def _qa_and_dispute_files(ds: Dataset, t: dict[str, pl.DataFrame], out_dir: Path) -> list[Path]:
    """The QA grades (each on its review's child and date) and disputes templates, when the dataset has them."""
    written = []
    place = _PLACE
    if ds.has_table("qa_grades"):
        grades = (
            t["qa_grades"]
            .join(t["reviews"].select("review_id", "child_id", "review_date"), on="review_id", how="left")
            .sort("audit_id", "item")
        )
        written.append(
            _write(
                grades,
                QA_GRADES,
                out_dir,
                {
                    "AUDIT_ID": pl.col("audit_id"),
                    "CHILD": pl.col("child_id"),
                    "REVIEW": _dmy("review_date"),
                    "AUDIT_DATE": _dmy("audit_date"),
                    "ITEM": pl.col("item"),
                    "GRADE": pl.col("grade"),
                    **place,
                },
            )
        )
    if ds.has_table("disputes"):
        dispute_columns = {
            "DISPUTE_ID": pl.col("dispute_id"),
            "CHILD": pl.col("child_id"),
            "RAISED": _dmy("raised_date"),
            "ROUTE": pl.col("route"),
            "CATEGORY": pl.col("category"),
            "HIGHEST_LEVEL": pl.col("highest_level"),
            **place,
        }
        if ds.has_column("disputes", "resolved_date"):
            dispute_columns["RESOLVED"] = _dmy("resolved_date")
        written.append(_write(t["disputes"].sort("dispute_id"), DISPUTES, out_dir, dispute_columns))
    return written


def _staff_and_contact_files(ds: Dataset, t: dict[str, pl.DataFrame], out_dir: Path) -> list[Path]:
    """The IRO staffing, IRO contacts, IRO allocations and IROs templates, when the dataset has them."""
    written = []
    place = _PLACE
    if ds.has_table("iro_staffing"):
        staffing_columns = {
            "MONTH_END": _dmy("month_end"),
            "TEAM": pl.col("team"),
            "FTE_ESTABLISHMENT": pl.col("fte_establishment"),
            "FTE_IN_POST": pl.col("fte_in_post"),
        }
        if ds.has_column("iro_staffing", "fte_agency"):
            staffing_columns["FTE_AGENCY"] = pl.col("fte_agency")
        written.append(_write(t["iro_staffing"].sort("team", "month_end"), IRO_STAFFING, out_dir, staffing_columns))
    if ds.has_table("iro_contacts"):
        written.append(
            _write(
                t["iro_contacts"].sort("child_id", "contact_date"),
                IRO_CONTACTS,
                out_dir,
                {
                    "CHILD": pl.col("child_id"),
                    "CONTACT_DATE": _dmy("contact_date"),
                    **place,
                    **({"TYPE": pl.col("type")} if ds.has_column("iro_contacts", "type") else {}),
                },
            )
        )
    if ds.has_table("iro_allocations"):
        allocation_columns = {
            "CHILD": pl.col("child_id"),
            "IRO_ID": pl.col("iro_id"),
            "START_DATE": _dmy("start_date"),
            "END_DATE": _dmy("end_date"),
            "CHANGE_REASON": pl.col("change_reason"),
        }
        allocations = t["iro_allocations"].sort("child_id", "start_date", "iro_id")
        written.append(_write(allocations, IRO_ALLOCATIONS, out_dir, allocation_columns))
    if ds.has_table("iros"):
        iro_columns = {
            "IRO_ID": pl.col("iro_id"),
            "TEAM": pl.col("team"),
            "FTE": pl.col("fte"),
            "AGENCY": pl.when(pl.col("agency").is_null()).then(None).otherwise(_yn("agency")),
        }
        written.append(_write(t["iros"].sort("iro_id"), IROS, out_dir, iro_columns))
    return written


def _survey_and_area_team_files(ds: Dataset, t: dict[str, pl.DataFrame], out_dir: Path) -> list[Path]:
    """The survey responses and area teams templates, when the dataset has them."""
    written = []
    place = _PLACE
    if ds.has_table("survey_responses"):
        written.append(
            _write(
                t["survey_responses"].sort("response_id", "question"),
                SURVEY_RESPONSES,
                out_dir,
                {
                    "RESPONSE_ID": pl.col("response_id"),
                    "SURVEY": pl.col("survey"),
                    "RESPONSE_DATE": _dmy("response_date"),
                    "QUESTION": pl.col("question"),
                    "ANSWER": pl.col("answer"),
                    **place,
                },
            )
        )
    if ds.has_table("area_teams"):
        area_teams = {"AREA": pl.col("area"), "TEAM": pl.col("team")}
        written.append(_write(t["area_teams"].sort("area"), AREA_TEAMS, out_dir, area_teams))
    return written
