"""The importer on real-format 903 files nobody on the project wrote (tests/real_903, see SOURCE.md).

The expected counts are worked out here with plain Polars straight from the raw files (the DfE
rules 148 and overlapping episodes set a child aside; a review counts when it lies inside one of
its child's episodes), never with the importer. The CSV tables, a zip of them, the same return as
DfE XML, and the validator's own XML (with its CSV form) give identical indicators.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
from fixtures_903 import xlsx_bytes
from polars.testing import assert_frame_equal

from iro_metrics.dataset import load_dataset
from iro_metrics.importer import import_uploads, run_import
from iro_metrics.indicators import compute_indicators
from iro_metrics.store import imported_root

REAL = Path(__file__).parent / "real_903"
CSV_FOLDER = REAL / "csv"
VALIDATOR_XML = REAL / "xml" / "fake_903.xml"
TODAY = date(2026, 11, 29)
PERIODS = {"2016-17": (date(2016, 4, 1), date(2017, 3, 31)), "2017-18": (date(2017, 4, 1), date(2018, 3, 31))}
CORE = ("header", "episodes", "reviews", "uasc")


# --- the raw files, read with plain Polars / the standard library --------------------------------


def _raw_csv_tables() -> dict[str, pl.DataFrame]:
    return {name: pl.read_csv(CSV_FOLDER / f"{name}.csv", infer_schema=False) for name in CORE}


def _raw_xml_tables(path: Path) -> dict[str, pl.DataFrame]:
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


def _date(column: str) -> pl.Expr:
    """dd/mm/yyyy, or dd/mm/yy (every two-digit year in these files is 20yy)."""
    four_digit = pl.col(column).str.replace(r"^(\d\d/\d\d/)(\d\d)$", "${1}20${2}")
    return four_digit.str.strptime(pl.Date, "%d/%m/%Y", strict=True)


# --- the hand computation ---------------------------------------------------------------------------


def _hand(tables: dict[str, pl.DataFrame]) -> dict[str, object]:
    """Children set aside, what is kept and the counts per period, straight from the raw tables."""
    episodes = tables["episodes"].with_columns(DECOM=_date("DECOM"), DEC=_date("DEC"))
    reviews = tables["reviews"].with_columns(REVIEW=_date("REVIEW"))
    uasc = tables["uasc"].with_columns(DUC=_date("DUC"))
    header_children = set(tables["header"]["CHILD"].to_list())
    # DfE rule 148: DEC and REC both given or both blank
    ceased = set(episodes.filter(pl.col("DEC").is_null() != pl.col("REC").is_null())["CHILD"].to_list())
    ordered = episodes.sort("CHILD", "DECOM").with_columns(
        prev_end=pl.col("DEC").shift(1).over("CHILD"), has_prev=pl.col("DECOM").shift(1).over("CHILD").is_not_null()
    )
    overlap = set(
        ordered.filter(pl.col("has_prev") & (pl.col("prev_end").is_null() | (pl.col("DECOM") < pl.col("prev_end"))))[
            "CHILD"
        ].to_list()
    )
    kept_children = header_children - ceased - overlap
    kept_eps = episodes.filter(pl.col("CHILD").is_in(list(kept_children)))
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
    inside = (
        candidate.join(kept_eps.select("CHILD", "DECOM", "DEC"), on="CHILD")
        .filter((pl.col("DECOM") <= pl.col("REVIEW")) & (pl.col("DEC").is_null() | (pl.col("REVIEW") <= pl.col("DEC"))))
        .select("CHILD", "REVIEW", "REVIEW_CODE")
        .unique(["CHILD", "REVIEW"])
    )
    uasc_children = set(uasc["CHILD"].to_list())
    # indicators leave out short breaks (V3/V4) and the reviews dated inside one or of a child with only those
    short = pl.col("LS").is_in(["V3", "V4"])
    counted_eps = kept_eps.filter(~short)
    in_short_break = inside.join(kept_eps.filter(short).select("CHILD", "DECOM", "DEC"), on="CHILD").filter(
        (pl.col("DECOM") <= pl.col("REVIEW")) & (pl.col("DEC").is_null() | (pl.col("REVIEW") <= pl.col("DEC")))
    )
    counted_reviews = inside.filter(pl.col("CHILD").is_in(counted_eps["CHILD"].to_list())).join(
        in_short_break.select("CHILD", "REVIEW"), on=["CHILD", "REVIEW"], how="anti"
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
        "kept_children": kept_children,
        "episodes": kept_eps.height,
        "reviews": inside.height,
        "uasc_kept": uasc_children & kept_children,
        "uasc_not_in_header": uasc_children - header_children,
        "counts": counts,
    }


# --- the other forms of the same return, written with the standard library ------------------------


def _four_digit(value: str | None) -> str | None:
    if value is None or len(value) != 8:
        return value
    return datetime.strptime(value, "%d/%m/%y").strftime("%d/%m/%Y")


def _as_xml(tables: dict[str, pl.DataFrame]) -> str:
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
            parts += [el("PLACE_PROVIDER", episode["PLACE_PROVIDER"]), el("DEC", _four_digit(episode["DEC"]))]
            parts += [el("REC", episode["REC"]), el("REASON_PLACE_CHANGE", episode["REASON_PLACE_CHANGE"])]
            body.append(f"<EPISODE>{''.join(parts)}</EPISODE>")
        out.append("".join(body) + "</CHILD>")
    out.append("</EXPSSDA903>")
    return "\n".join(out)


_DATE_COLUMNS = {"DOB", "DECOM", "DEC", "REVIEW", "DUC", "MC_DOB"}


def _as_workbook(tables: dict[str, pl.DataFrame]) -> bytes:
    """The CSV tables as an analyst saves them in Excel: one sheet each, dates as real Excel dates."""

    def cell(column: str, value: str | None) -> str | date:
        if value and column in _DATE_COLUMNS:
            return datetime.strptime(_four_digit(value) or value, "%d/%m/%Y").date()
        return value or ""

    return xlsx_bytes(
        {
            name.capitalize(): [frame.columns]
            + [[cell(c, v) for c, v in zip(frame.columns, row, strict=True)] for row in frame.iter_rows()]
            for name, frame in tables.items()
        }
    )


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every form: the CSV folder, a zip of it, its XML form; the validator's XML and its CSV form."""
    folder = tmp_path_factory.mktemp("real903")
    zipped = folder / "return.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in sorted(CSV_FOLDER.iterdir()):
            archive.write(path, f"2017-18/{path.name}")
    csv_as_xml = folder / "csv_as.xml"
    full = {name: pl.read_csv(CSV_FOLDER / f"{name}.csv", infer_schema=False) for name in CORE}
    csv_as_xml.write_text(_as_xml(full), encoding="ascii")
    workbook = folder / "return.xlsx"
    workbook.write_bytes(_as_workbook(full))
    xml_as_csv = folder / "xml_as_csv"
    xml_as_csv.mkdir()
    for name, frame in _raw_xml_tables(VALIDATOR_XML).items():
        frame.write_csv(xml_as_csv / f"{name}.csv")
    return {
        "csv": CSV_FOLDER,
        "zip": zipped,
        "csv_as_xml": csv_as_xml,
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
    return compute_indicators(dataset, period, None, cohort)


def _value(dataset, indicator: str, period: str, cohort: str = "all") -> float | None:
    frame = _indicators(dataset, period, cohort)
    return frame.filter(pl.col("indicator") == indicator)["value"].item()


# --- the tests -------------------------------------------------------------------------------------


def test_hand_worked_figures_of_the_validator_csv_tables():
    """The raw numbers, fixed here so that a change in the hand computation shows too."""
    hand = _hand(_raw_csv_tables())
    assert len(hand["ceased"]) == 62  # every open episode of the validator's data carries a REC
    assert sorted(hand["overlap"]) == ["123954", "475957", "598909", "801974"]
    assert len(hand["kept_children"]) == 127 - 63  # 475957 and 801974 break both rules
    assert hand["episodes"] == 44
    assert hand["reviews"] == 16
    assert sorted(hand["uasc_kept"]) == ["121635", "408489"]
    assert len(hand["uasc_not_in_header"]) == 120
    assert hand["counts"]["2016-17"] == {
        "children_in_care": 24,  # 29 less the 5 on a short break (V3/V4) at 31 March 2017
        "children_in_care_uasc": 1,  # 408489: DUC 23/11/2031, in the future (still UASC)
        "children_starting_care": 1,
        "children_ceasing_care": 0,
        "reviews_held": 8,
        "participation_pct": pytest.approx(100 * 6 / 7),  # one PN0 left out, one PN7
    }
    assert hand["counts"]["2017-18"]["children_ceasing_care"] == 25
    assert hand["counts"]["2017-18"]["reviews_held"] == 4


@pytest.mark.parametrize("form", ["csv", "zip", "csv_as_xml", "xlsx"])
def test_csv_return_counts_match_the_hand_computation(imported, form):
    dataset, _ = imported[form]
    hand = _hand(_raw_csv_tables())
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
    assert aside[("ceased_without_reason", "children")] == len(hand["ceased"])
    assert aside[("overlapping_episodes", "children")] == len(hand["overlap"])


def test_validator_xml_counts_match_the_hand_computation(imported):
    dataset, _ = imported["xml"]
    hand = _hand(_raw_xml_tables(VALIDATOR_XML))
    assert sorted(hand["ceased"]) == ["563324", "693010", "823744", "97318"]
    assert hand["overlap"] == set()
    assert dataset.tables["children"].collect().height == len(hand["kept_children"]) == 9
    assert dataset.tables["episodes"].collect().height == hand["episodes"] == 8
    assert dataset.tables["reviews"].collect().height == hand["reviews"] == 9
    for period, counts in hand["counts"].items():
        assert _value(dataset, "children_in_care", period) == counts["children_in_care"]
        assert _value(dataset, "reviews_held", period) == counts["reviews_held"]
        assert _value(dataset, "children_starting_care", period) == counts["children_starting_care"]
    assert hand["counts"]["2016-17"]["children_in_care"] == 4
    assert hand["counts"]["2016-17"]["reviews_held"] == 2


@pytest.mark.parametrize(
    ("one", "other"), [("csv", "zip"), ("csv", "csv_as_xml"), ("csv", "xlsx"), ("xml", "xml_as_csv")]
)
def test_every_form_gives_identical_indicators(imported, one, other):
    for period in PERIODS:
        for cohort in ("all", "uasc", "citizen"):
            assert_frame_equal(
                _indicators(imported[one][0], period, cohort), _indicators(imported[other][0], period, cohort)
            )


@pytest.mark.parametrize("form", ["csv", "zip", "csv_as_xml", "xlsx", "xml", "xml_as_csv"])
def test_the_report_quotes_no_date_of_birth_upn_or_postcode(imported, form):
    _, report = imported[form]
    frame = report.report_frame()
    raw = _raw_csv_tables() if form in ("csv", "zip", "csv_as_xml", "xlsx") else _raw_xml_tables(VALIDATOR_XML)
    episodes = pl.read_csv(CSV_FOLDER / "episodes.csv", infer_schema=False)
    secret = set(raw["header"]["UPN"].drop_nulls()) | set(episodes["HOME_POST"]) | set(episodes["PL_POST"])
    text = report.csv_bytes().decode()
    assert not [value for value in secret if value in text]
    personal = frame.filter(pl.col("column").is_in(["DOB", "UPN", "HOME_POST", "PL_POST", "MC_DOB"]))
    assert personal.filter(pl.col("value").is_not_null()).height == 0


@pytest.mark.parametrize("form", ["csv", "zip", "xlsx"])
def test_uasc_rows_of_children_missing_from_the_header_are_warned_not_dropped_silently(imported, form):
    dataset, report = imported[form]
    hand = _hand(_raw_csv_tables())
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
    tables = _raw_csv_tables() | {"reviews": pl.read_csv(folder / "reviews.csv", infer_schema=False)}
    hand = _hand(tables)
    assert hand["reviews"] == 15  # 16 less 102139's review of 17/04/2017 (PN0 on row 307, PN3 on row 488)
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
    assert aside[("review_outside_care", "reviews")] == 187  # 408676's review of 21/09/2022 once, not twice


def test_a_review_outside_care_says_why(imported):
    """The message tells the analyst where to look: no episode at all, before the first, or after one ended."""
    _, report = imported["csv"]
    raw = _raw_csv_tables()
    reviews = (
        raw["reviews"]
        .with_row_index("row", offset=2)
        .with_columns(REVIEW=_date("REVIEW"), row=pl.col("row").cast(pl.Int64))
    )
    episodes = raw["episodes"].with_columns(DECOM=_date("DECOM"))
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
    raw = _raw_csv_tables()["episodes"]
    short = raw.filter(pl.col("DEC").str.len_chars() == 8)
    assert short.height == raw["DEC"].drop_nulls().len() == 163  # every DEC is dd/mm/yy, every DECOM dd/mm/yyyy
    (warning,) = report.report_frame().filter(pl.col("rule") == "two_digit_year").rows(named=True)
    assert (warning["column"], warning["row"], warning["value"], warning["action"]) == ("DEC", 2, "24/04/17", "read as")
    assert warning["message"].startswith("163 date(s) in DEC are written dd/mm/yy")
    ends = dataset.tables["episodes"].select("end_date").collect()["end_date"].drop_nulls()
    assert ends.min() >= date(2017, 4, 1) and ends.max() <= date(2018, 3, 31)
