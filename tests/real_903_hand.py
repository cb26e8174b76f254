"""Real-format 903 files (tests/real_903): read raw with plain Polars and the standard library, the counts
the importer should give worked out by hand from them, and the same return written in other forms.

Nothing here uses the importer: tests/test_importer_real.py compares the importer with it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import polars as pl

from tests.fixtures_903 import xlsx_bytes

REAL = Path(__file__).parent / "real_903"
CSV_FOLDER = REAL / "csv"
VALIDATOR_XML = REAL / "xml" / "fake_903.xml"
TODAY = date(2026, 11, 29)
PERIODS = {"2016-17": (date(2016, 4, 1), date(2017, 3, 31)), "2017-18": (date(2017, 4, 1), date(2018, 3, 31))}
CORE = ("header", "episodes", "reviews", "uasc")


# --- the raw files, read with plain Polars / the standard library --------------------------------


def raw_csv_tables() -> dict[str, pl.DataFrame]:
    return {name: pl.read_csv(CSV_FOLDER / f"{name}.csv", infer_schema=False) for name in CORE}


def raw_xml_tables(path: Path) -> dict[str, pl.DataFrame]:
    """The four core tables of a 903 XML, as text, with the CSV column names."""
    rows: dict[str, list[dict[str, str | None]]] = {name: [] for name in CORE}
    for child in ET.parse(path).getroot().iter("CHILD"):
        head = child.find("HEADER")
        assert head is not None

        def text(node: ET.Element, tag: str) -> str | None:
            found = node.find(tag)
            return found.text if found is not None and found.text else None

        child_id = text(head, "CHILDID")
        dob = text(head, "DOB")
        rows["header"].append(
            {"CHILD": child_id, "SEX": text(head, "SEX"), "DOB": dob, "ETHNIC": text(head, "ETHNIC")}
            | {"UPN": text(head, "UPN"), "MOTHER": None, "MC_DOB": None}
        )
        if text(head, "UASC") == "1":
            rows["uasc"].append({"CHILD": child_id, "SEX": text(head, "SEX"), "DOB": dob, "DUC": text(head, "DUC")})
        for review in head.iter("AREVIEW"):
            rows["reviews"].append(
                {"CHILD": child_id, "DOB": dob, "REVIEW": text(review, "REVIEW")}
                | {"REVIEW_CODE": text(review, "REVIEW_CODE")}
            )
        for episode in child.iter("EPISODE"):
            values = {tag: text(episode, tag) for tag in ("DECOM", "RNE", "LS", "CIN", "PL", "DEC", "REC")}
            values["PLACE"] = values.pop("PL")
            rows["episodes"].append({"CHILD": child_id} | values)
    return {name: pl.DataFrame(rows[name], schema=_schema(name)) for name in CORE}


def _schema(name: str) -> dict[str, type[pl.String]]:
    columns = {
        "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
        "uasc": ["CHILD", "SEX", "DOB", "DUC"],
        "reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
        "episodes": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "DEC", "REC"],
    }[name]
    return dict.fromkeys(columns, pl.String)


def parse_date(column: str) -> pl.Expr:
    """dd/mm/yyyy, or dd/mm/yy (every two-digit year in these files is 20yy)."""
    four_digit = pl.col(column).str.replace(r"^(\d\d/\d\d/)(\d\d)$", "${1}20${2}")
    return four_digit.str.strptime(pl.Date, "%d/%m/%Y", strict=True)


# --- the hand computation ---------------------------------------------------------------------------


def hand_counts(tables: dict[str, pl.DataFrame]) -> dict[str, object]:
    """Children set aside, what is kept and the counts per period, straight from the raw tables."""
    episodes = tables["episodes"].with_columns(DECOM=parse_date("DECOM"), DEC=parse_date("DEC"))
    reviews = tables["reviews"].with_columns(REVIEW=parse_date("REVIEW"))
    uasc = tables["uasc"].with_columns(DUC=parse_date("DUC"))
    header_children = set(tables["header"]["CHILD"].to_list())
    # An episode with no DEC is open whatever REC says (issue 22): its REC is dropped. An end date
    # without a reason (DfE rule 148, one half) still sets the child aside.
    episodes = episodes.with_columns(REC=pl.when(pl.col("DEC").is_not_null()).then(pl.col("REC")))
    ceased = set(episodes.filter(pl.col("DEC").is_not_null() & pl.col("REC").is_null())["CHILD"].to_list())
    # "overlap": starting before the latest end of any earlier episode of the child (open = never ends)
    ordered = episodes.sort("CHILD", "DECOM").with_columns(
        prev_end=pl.col("DEC").fill_null(date(9999, 12, 31)).cum_max().shift(1).over("CHILD"),
        has_prev=pl.col("DECOM").shift(1).over("CHILD").is_not_null(),
    )
    # An episode starting before the child's previous one ends is set aside on its own (issue 22): the
    # child keeps its other episodes and years.
    overlapping = ordered.filter(
        pl.col("has_prev") & (pl.col("prev_end").is_null() | (pl.col("DECOM") < pl.col("prev_end")))
    ).select("CHILD", "DECOM")
    overlap = set(overlapping["CHILD"].to_list())
    kept_children = header_children - ceased
    kept_eps = episodes.filter(pl.col("CHILD").is_in(list(kept_children))).join(
        overlapping, on=["CHILD", "DECOM"], how="anti"
    )
    # a review given twice with other values is not used; one given twice exactly is counted once
    conflicting = (
        reviews.group_by("CHILD", "REVIEW")
        .agg(pl.col("REVIEW_CODE").n_unique().alias("codes"))
        .filter(pl.col("codes") > 1)
    )
    candidate = (
        reviews.filter(pl.col("CHILD").is_in(list(kept_children)) & (pl.col("REVIEW") <= TODAY))
        .join(conflicting, on=["CHILD", "REVIEW"], how="anti")
        .unique(["CHILD", "REVIEW"])
    )
    # every such review is kept, inside a period of care or not: indicators.md counts every review dated
    # in the period in reviews_held (the importer warns of one outside care, review_outside_care)
    kept_reviews = candidate.select("CHILD", "REVIEW", "REVIEW_CODE")
    uasc_children = set(uasc["CHILD"].to_list())
    # indicators leave out short breaks (V3/V4) and the reviews dated inside one or of a child with only those
    short = pl.col("LS").is_in(["V3", "V4"])
    counted_eps = kept_eps.filter(~short)
    only_short_breaks = set(kept_eps["CHILD"].to_list()) - set(counted_eps["CHILD"].to_list())
    in_short_break = kept_reviews.join(kept_eps.filter(short).select("CHILD", "DECOM", "DEC"), on="CHILD").filter(
        (pl.col("DECOM") <= pl.col("REVIEW")) & (pl.col("DEC").is_null() | (pl.col("REVIEW") <= pl.col("DEC")))
    )
    counted_reviews = kept_reviews.filter(~pl.col("CHILD").is_in(list(only_short_breaks))).join(
        in_short_break.select("CHILD", "REVIEW").unique(), on=["CHILD", "REVIEW"], how="anti"
    )
    counts: dict[str, dict[str, float | int | None]] = {}
    for name, (start, end) in PERIODS.items():
        in_care = counted_eps.filter((pl.col("DECOM") <= end) & (pl.col("DEC").is_null() | (pl.col("DEC") > end)))
        held = counted_reviews.filter(pl.col("REVIEW").is_between(start, end))
        pn1_7 = held.filter(pl.col("REVIEW_CODE").is_in([f"PN{i}" for i in range(1, 8)])).height
        pn1_6 = held.filter(pl.col("REVIEW_CODE").is_in([f"PN{i}" for i in range(1, 7)])).height
        uasc_in_care = in_care.join(uasc, on="CHILD").filter(
            pl.col("DUC").is_null() | (pl.col("DECOM") < pl.col("DUC"))
        )
        counts[name] = {
            "children_in_care": in_care["CHILD"].n_unique(),
            "children_in_care_uasc": uasc_in_care["CHILD"].n_unique(),
            "children_starting_care": counted_eps.filter(
                (pl.col("RNE") == "S") & pl.col("DECOM").is_between(start, end)
            ).height,
            "children_ceasing_care": counted_eps.filter(
                pl.col("DEC").is_between(start, end) & (pl.col("REC") != "X1")
            ).height,
            "reviews_held": held.height,
            "participation_pct": 100 * pn1_6 / pn1_7 if pn1_7 else None,
        }
    return {
        "ceased": ceased,
        "overlap": overlap,
        "overlap_episodes": overlapping.height,
        "kept_children": kept_children,
        "episodes": kept_eps.height,
        "reviews": kept_reviews.height,
        "uasc_kept": uasc_children & kept_children,
        "uasc_not_in_header": uasc_children - header_children,
        "counts": counts,
    }


# --- the other forms of the same return, written with the standard library ------------------------


def four_digit(value: str | None) -> str | None:
    if value is None or len(value) != 8:
        return value
    return datetime.strptime(value, "%d/%m/%y").strftime("%d/%m/%Y")


def as_xml(tables: dict[str, pl.DataFrame]) -> str:
    """A 903 XML of the CSV tables (as the DfE receives it: one CHILD with HEADER, AREVIEW, EPISODE)."""
    uasc = {row["CHILD"]: row["DUC"] for row in tables["uasc"].iter_rows(named=True)}
    reviews = tables["reviews"].group_by("CHILD", maintain_order=True).agg(pl.struct("REVIEW", "REVIEW_CODE"))
    reviews_of = dict(zip(reviews["CHILD"].to_list(), reviews["REVIEW"].to_list(), strict=True))
    episodes = tables["episodes"].group_by("CHILD", maintain_order=True).agg(pl.struct(pl.exclude("CHILD")))
    episodes_of = dict(zip(episodes["CHILD"].to_list(), episodes["DECOM"].to_list(), strict=True))

    def el(tag: str, value: str | None) -> str:
        return f"<{tag}>{value}</{tag}>" if value else f"<{tag} />"

    out = ["<?xml version='1.0' encoding='us-ascii'?>", "<EXPSSDA903>"]
    for row in tables["header"].iter_rows(named=True):
        child = row["CHILD"]
        head = [el("CHILDID", child), el("UPN", row["UPN"]), el("SEX", row["SEX"]), el("DOB", row["DOB"])]
        head.append(el("ETHNIC", row["ETHNIC"]))
        head += [el("UASC", "1"), el("DUC", uasc[child])] if child in uasc else [el("UASC", None)]
        for review in reviews_of.get(child, []):
            head.append(
                f"<AREVIEW>{el('REVIEW', review['REVIEW'])}{el('REVIEW_CODE', review['REVIEW_CODE'])}</AREVIEW>"
            )
        head += [el("MOTHER", None), el("MC_DOB", None)]
        body = [f"<CHILD><HEADER>{''.join(head)}</HEADER>"]
        for episode in episodes_of.get(child, []):
            parts = [el("DECOM", episode["DECOM"]), el("RNE", episode["RNE"]), el("LS", episode["LS"])]
            parts += [el("CIN", episode["CIN"]), el("PL", episode["PLACE"]), el("PL_POST", episode["PL_POST"])]
            parts += [el("HOME_POST", episode["HOME_POST"]), el("URN", episode["URN"])]
            parts += [el("PLACE_PROVIDER", episode["PLACE_PROVIDER"]), el("DEC", four_digit(episode["DEC"]))]
            parts += [el("REC", episode["REC"]), el("REASON_PLACE_CHANGE", episode["REASON_PLACE_CHANGE"])]
            body.append(f"<EPISODE>{''.join(parts)}</EPISODE>")
        out.append("".join(body) + "</CHILD>")
    out.append("</EXPSSDA903>")
    return "\n".join(out)


_DATE_COLUMNS = {"DOB", "DECOM", "DEC", "REVIEW", "DUC", "MC_DOB"}


def as_workbook(tables: dict[str, pl.DataFrame]) -> bytes:
    """The CSV tables as an analyst saves them in Excel: one sheet each, dates as real Excel dates."""

    def cell(column: str, value: str | None) -> str | date:
        if value and column in _DATE_COLUMNS:
            return datetime.strptime(four_digit(value) or value, "%d/%m/%Y").date()
        return value or ""

    return xlsx_bytes(
        {
            name.capitalize(): [frame.columns]
            + [[cell(c, v) for c, v in zip(frame.columns, row, strict=True)] for row in frame.iter_rows()]
            for name, frame in tables.items()
        }
    )
