"""Read the 903 as the DfE receives it: one XML file, one <CHILD> per child.

Each child's <HEADER> gives a Header row (and a UASC row when <UASC> is 1), each <AREVIEW> a
Reviews row, each <EPISODE> an Episodes row and any element holding <SW_ID> an SWEpisodes row; the
tables come out with the CSV layout's column names, so they are recognised, typed and checked
exactly as the CSV form is (and give the same indicators). A record's row is the line of the XML
file its element starts on.

The file is untrusted: a DTD (and with it any entity, external or not) is refused before parsing,
and lxml runs with entity resolution, network access and huge trees off.
"""

from __future__ import annotations

import io
import re

import polars as pl
from lxml import etree

from iro_metrics.importer.read_csv import ROW, RawTable, field_name
from iro_metrics.importer.report import ImportProblem, problem

XML_TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}
_RENAMED = {"PL": "PLACE", "CHILDID": "CHILD"}  # XML element names that differ from the CSV columns
# Parts of a child's record this tool does not use (reported once per file as ignored).
IGNORED_ELEMENTS: tuple[str, ...] = ("OC2", "OC3", "AD_PLACED", "PERMANENCE", "AMISSING", "ADOPTION", "DOLO")
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def looks_like_xml(data: bytes) -> bool:
    """True when the content starts (after a byte-order mark and spaces) with '<'."""
    return data.lstrip(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def _fields(element: etree._Element) -> dict[str, str | None]:
    return {_RENAMED.get(c.tag, c.tag): c.text for c in element if isinstance(c.tag, str)}


def read_xml(name: str, data: bytes) -> tuple[list[RawTable], list[ImportProblem]]:
    """The 903 tables in an XML return, as text tables (or the problem that stops it being read)."""
    if _DOCTYPE.search(data[:65536]):  # a DTD comes before the root element
        return [], [
            problem(
                "malformed_xml",
                name,
                "The XML declares a DTD or entities, which a 903 return never needs; it is refused as unsafe.",
            )
        ]
    rows: dict[str, list[list[str | None]]] = {table: [] for table in XML_TABLES}
    lines: dict[str, list[int]] = {table: [] for table in XML_TABLES}
    ignored: set[str] = set()
    has_uasc_element = False
    context = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag="CHILD",
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    header_cols, uasc_cols = XML_TABLES["Header"], XML_TABLES["UASC"]
    review_cols, episode_cols, sw_cols = XML_TABLES["Reviews"], XML_TABLES["Episodes"], XML_TABLES["SWEpisodes"]
    try:
        for _, child in context:
            header = child.find("HEADER")
            head = _fields(header) if header is not None else {}
            head.setdefault("CHILD", _fields(child).get("CHILD"))
            child_id, birth = head.get("CHILD"), head.get("DOB")
            rows["Header"].append([head.get(c) for c in header_cols])
            lines["Header"].append(child.sourceline or 0)
            if "UASC" in head:
                has_uasc_element = True
                if (head.get("UASC") or "").strip() in ("1", "Y", "y", "true"):
                    rows["UASC"].append([head.get(c) for c in uasc_cols])
                    lines["UASC"].append(header.sourceline or 0)
            for review in child.iter("AREVIEW"):
                values = _fields(review) | {"CHILD": child_id, "DOB": birth}
                rows["Reviews"].append([values.get(c) for c in review_cols])
                lines["Reviews"].append(review.sourceline or 0)
            for episode in child.iterfind("EPISODE"):
                values = _fields(episode) | {"CHILD": child_id}
                rows["Episodes"].append([values.get(c) for c in episode_cols])
                lines["Episodes"].append(episode.sourceline or 0)
            for worker in child.iter("SW_ID"):
                values = _fields(worker.getparent()) | {"CHILD": child_id, "DOB": birth}
                rows["SWEpisodes"].append([values.get(c) for c in sw_cols])
                lines["SWEpisodes"].append(worker.getparent().sourceline or 0)
            ignored.update(tag for tag in IGNORED_ELEMENTS if child.find(f".//{tag}") is not None)
            child.clear()
            while child.getprevious() is not None:
                del child.getparent()[0]
    except etree.XMLSyntaxError as exc:
        return [], [problem("malformed_xml", name, f"The XML cannot be read ({exc.msg}).", row=exc.lineno)]
    if not rows["Header"]:
        return [], [problem("malformed_xml", name, "The XML holds no <CHILD> records: it is not a 903 return.")]
    tables = []
    for table, columns in XML_TABLES.items():
        if table == "UASC" and not has_uasc_element:
            continue  # an XML return without UASC elements does not record UASC status
        if table == "SWEpisodes" and not rows[table]:
            continue
        values = list(zip(*rows[table], strict=True)) if rows[table] else [()] * len(columns)
        body = pl.DataFrame(
            {ROW: pl.Series(lines[table], dtype=pl.Int64)}
            | {field_name(i): pl.Series(list(values[i]), dtype=pl.String) for i in range(len(columns))}
        )
        bad = pl.DataFrame(schema={ROW: pl.Int64, "_fields": pl.Int64})
        tables.append(RawTable(0, list(columns), body, bad, f"{name} ({table})"))
    problems = (
        [
            problem(
                "unused_903_table",
                name,
                f"The XML holds {', '.join(sorted(ignored))}: 903 tables this tool does not use: ignored.",
            )
        ]
        if ignored
        else []
    )
    return tables, problems
