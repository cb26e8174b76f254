"""Read the 903 as the DfE receives it: one XML file, one <CHILD> per child.

Each child's <HEADER> gives a Header row (and a UASC row when <UASC> is 1), each <AREVIEW> a
Reviews row, each <EPISODE> an Episodes row and any group holding <SW_ID> an SWEpisodes row; the
tables come out with the CSV layout's column names, so they are recognised, typed and checked
exactly as the CSV form is (and give the same indicators). A record's row is its number in its
table counted as the CSV form would (the first child's Header row is row 2, the first <EPISODE>
row 2 of Episodes, and so on), named as ``file (Episodes)``.

The file is untrusted: a DTD (and with it any entity declaration, internal or external) is
refused before parsing, so nothing can be expanded or fetched; the standard library's C parser
then reads it element by element, each child's elements released once read.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET  # the C parser; safe here because any DTD is refused before parsing

import polars as pl

from iro_metrics.importer.read_csv import ROW, RawTable, field_name
from iro_metrics.importer.read_xml_fast import read_plain_xml
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
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


_WIDE = (  # byte-order marks and the first '<' of a BOM-less wide encoding
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_ENCODING_DECLARED = re.compile(rb"""(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def as_utf8(data: bytes) -> bytes:
    """XML in UTF-16 or UTF-32 (with or without a byte-order mark) as UTF-8, its declaration saying so.

    Every check (the DTD refusal, the fast reader) then sees the same bytes whatever the encoding,
    so '<!DOCTYPE' in UTF-16 cannot slip past.
    """
    for mark, encoding in _WIDE:
        if data.startswith(mark):
            text = data.decode(encoding, errors="replace").lstrip("\ufeff")
            return _ENCODING_DECLARED.sub(rb"\1\2utf-8\2", text.encode("utf-8"), count=1)
    return data


def looks_like_xml(data: bytes) -> bool:
    """True when the content starts (after a byte-order mark and spaces, in any Unicode encoding) with '<'."""
    head = as_utf8(data[:4096]) if data[:4].startswith(tuple(m for m, _ in _WIDE)) else data[:4096]
    return head.lstrip(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


_CHUNK_CHILDREN = 20_000  # children read before their rows move into Polars frames


def _frame(rows: list[list[str | None]], columns: tuple[str, ...], before: int) -> pl.DataFrame:
    """Text rows as a frame: ROW (as the CSV form would number them) and one field per column."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    first = before + 2
    return pl.DataFrame(
        {ROW: pl.int_range(first, first + len(rows), dtype=pl.Int64, eager=True)}
        | {field_name(i): pl.Series(list(values[i]), dtype=pl.String) for i in range(len(columns))}
    )


def _ignored_problems(name: str, ignored: set[str]) -> list[ImportProblem]:
    if not ignored:
        return []
    listed = ", ".join(sorted(ignored))
    return [problem("unused_903_table", name, f"The XML holds {listed}: 903 tables this tool does not use: ignored.")]


def _fields(element: ET.Element) -> dict[str, str | None]:
    return {_RENAMED.get(c.tag, c.tag): c.text for c in element}


def read_xml(name: str, data: bytes) -> tuple[list[RawTable], list[ImportProblem]]:
    """The 903 tables in an XML return, as text tables (or the problem that stops it being read)."""
    data = as_utf8(data)
    if _DOCTYPE.search(data):  # without a DTD no entity can be declared, so none can be expanded or fetched
        return [], [
            problem(
                "malformed_xml",
                name,
                "The XML declares a DTD or entities, which a 903 return never needs; it is refused as unsafe.",
            )
        ]
    plain = read_plain_xml(name, data, XML_TABLES)
    if plain is not None:
        return plain[0], _ignored_problems(name, plain[1])
    found = _Found()
    try:
        for _, child in ET.iterparse(io.BytesIO(data), events=("end",)):
            if "}" in child.tag:  # a namespace ("{uri}CHILD"): elements end inner first, so all are bare by CHILD
                child.tag = child.tag.rsplit("}", 1)[1]
            if child.tag != "CHILD":
                continue
            found.add_child(child)
            child.clear()
            if len(found.rows["Header"]) >= _CHUNK_CHILDREN:
                found.flush()
        found.flush()
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        return [], [problem("malformed_xml", name, f"The XML cannot be read ({exc}).", row=line)]
    if not found.counted["Header"]:
        return [], [problem("malformed_xml", name, "The XML holds no <CHILD> records: it is not a 903 return.")]
    tables = []
    for table, columns in XML_TABLES.items():
        if table == "UASC" and not found.has_uasc_element:
            continue  # an XML return without UASC elements does not record UASC status
        if table == "SWEpisodes" and not found.counted[table]:
            continue
        body = pl.concat(found.chunks[table]) if found.chunks[table] else _frame([], columns, 0)
        bad = pl.DataFrame(schema={ROW: pl.Int64, "_fields": pl.Int64})
        tables.append(RawTable(0, list(columns), body, bad, f"{name} ({table})"))
    return tables, _ignored_problems(name, found.ignored)


class _Found:
    """The rows read so far, table by table: the latest as lists, the earlier as compact frames."""

    def __init__(self) -> None:
        self.rows: dict[str, list[list[str | None]]] = {table: [] for table in XML_TABLES}
        self.chunks: dict[str, list[pl.DataFrame]] = {table: [] for table in XML_TABLES}
        self.counted: dict[str, int] = dict.fromkeys(XML_TABLES, 0)
        self.ignored: set[str] = set()
        self.has_uasc_element = False

    def flush(self) -> None:
        """Move the rows read so far into Polars frames (compact), so memory stays bounded."""
        for table, columns in XML_TABLES.items():
            if self.rows[table]:
                self.chunks[table].append(_frame(self.rows[table], columns, self.counted[table]))
                self.counted[table] += len(self.rows[table])
                self.rows[table] = []

    def add_child(self, child: ET.Element) -> None:
        """One <CHILD>'s rows: its header (and UASC row), its reviews, episodes and social worker episodes."""
        head, reviews, episodes, workers = self._parts(child)
        child_id, birth = head.get("CHILD"), head.get("DOB")
        self.rows["Header"].append([head.get(c) for c in XML_TABLES["Header"]])
        if "UASC" in head:
            self.has_uasc_element = True
            if (head.get("UASC") or "").strip() in ("1", "Y", "y", "true"):
                self.rows["UASC"].append([head.get(c) for c in XML_TABLES["UASC"]])
        for table, elements, extra in (
            ("Reviews", reviews, {"CHILD": child_id, "DOB": birth}),
            ("Episodes", episodes, {"CHILD": child_id}),
            ("SWEpisodes", workers, {"CHILD": child_id, "DOB": birth}),
        ):
            for element in elements:
                values = _fields(element) | extra
                self.rows[table].append([values.get(c) for c in XML_TABLES[table]])

    def _parts(
        self, child: ET.Element
    ) -> tuple[dict[str, str | None], list[ET.Element], list[ET.Element], list[ET.Element]]:
        """A <CHILD>'s header fields, and its review, episode and social worker elements (noting
        the 903 tables it holds that are not used)."""
        head: dict[str, str | None] = {}
        reviews: list[ET.Element] = []
        episodes: list[ET.Element] = []
        workers: list[ET.Element] = []
        for part in child:
            if part.tag == "HEADER":
                for item in part:
                    tag = item.tag
                    if tag == "AREVIEW":
                        reviews.append(item)
                    elif tag in IGNORED_ELEMENTS:
                        self.ignored.add(tag)
                    elif len(item):  # a group of fields: social worker episodes, or a table not used
                        (workers if item.find("SW_ID") is not None else []).append(item)
                    else:
                        head[_RENAMED.get(tag, tag)] = item.text
            elif part.tag == "EPISODE":
                episodes.append(part)
            elif part.tag in IGNORED_ELEMENTS:
                self.ignored.add(part.tag)
            elif len(part) and part.find("SW_ID") is not None:
                workers.append(part)
            elif not len(part):
                head.setdefault(_RENAMED.get(part.tag, part.tag), part.text)
        return head, reviews, episodes, workers
