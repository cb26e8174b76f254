"""A vectorised reader for plain 903 XML: the same tables as ``read_xml`` from Polars regexes.

A council's return written by its case-management system is plain: no CDATA, comments,
attributes, namespaces or character references in the records. For such a file the
records are cut out with Polars' (multi-threaded) regular expressions instead of visiting every
element in Python. The file is first checked to be well-formed by the standard library's C parser
(no Python call per element), and any DTD was already refused. Anything not plain returns None
and ``read_xml`` reads it element by element; both give identical tables.
"""

from __future__ import annotations

import re
import xml.parsers.expat

import polars as pl

from iro_metrics.importer.read_csv import ROW, RawTable, field_name

_NOT_PLAIN_TEXT = (b"<![CDATA[", b"<!--", b"&#", b"<SW_ID")
_PREFIX_OR_ATTRIBUTE = re.compile(rb"<[A-Za-z_][\w.-]*(?::|\s+[A-Za-z_])")
_RENAMED = {"PLACE": "PL", "CHILD": "CHILDID"}  # CSV column -> XML element
_SLICE_ROWS = 10_000  # children per slice when cutting out the header fields
_GROUPS = ("AREVIEW", "EPISODE", "OC2", "OC3", "AD_PLACED", "PERMANENCE", "AMISSING", "ADOPTION", "DOLO")


def _value(block: pl.Expr, tag: str) -> pl.Expr:
    """The text of the first <tag>...</tag> in each block (null when absent or written <tag />)."""
    text = block.str.extract(rf"<{tag}>([^<]*)</{tag}>", 1)
    return (
        text.str.replace_all("&lt;", "<", literal=True)
        .str.replace_all("&gt;", ">", literal=True)
        .str.replace_all("&quot;", '"', literal=True)
        .str.replace_all("&apos;", "'", literal=True)
        .str.replace_all("&amp;", "&", literal=True)
    )


def _numbered(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    return frame.select(
        pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias(ROW),
        *[pl.col(c).alias(field_name(i)) for i, c in enumerate(columns)],
    )


def read_plain_xml(
    name: str, data: bytes, tables: dict[str, tuple[str, ...]]
) -> tuple[list[RawTable], set[str]] | None:
    """The tables of a plain 903 XML file, and the unused groups it holds; None if it is not plain."""
    children = _children(data)
    if children is None:
        return None
    ignored = {g for g in _GROUPS[2:] if children.select(pl.col("_child").str.contains(f"<{g}[ />]").any()).item()}
    header = _headers(children, tables["Header"])
    out: list[RawTable] = []
    bad = pl.DataFrame(schema={ROW: pl.Int64, "_fields": pl.Int64})

    def add(table: str, frame: pl.DataFrame) -> None:
        out.append(RawTable(0, list(tables[table]), _numbered(frame, tables[table]), bad, f"{name} ({table})"))

    add("Header", header)
    if header.select(pl.col("_has_uasc").any()).item():
        uasc = header.filter(pl.col("UASC").str.strip_chars().is_in(["1", "Y", "y", "true"])).with_columns(
            _value(pl.col("_head"), "DUC").alias("DUC")
        )
        add("UASC", uasc.select(tables["UASC"]))
    for table, group in (("Reviews", "AREVIEW"), ("Episodes", "EPISODE")):
        records = (
            header.select(
                "_n", "CHILD", "DOB", pl.col("_child").str.extract_all(rf"(?s)<{group}>.*?</{group}>").alias("_r")
            )
            .explode("_r")
            .drop_nulls("_r")
            .sort("_n", maintain_order=True)
        )
        fields = [_value(pl.col("_r"), _RENAMED.get(c, c)).alias(c) for c in tables[table] if c not in ("CHILD", "DOB")]
        add(table, records.with_columns(fields).select(tables[table]))
    return out, ignored


def _children(data: bytes) -> pl.DataFrame | None:
    """Each <CHILD>'s text, numbered (``_n``, ``_child``); None unless the file is plain, well-formed
    UTF-8 XML with at least one child."""
    if any(marker in data for marker in _NOT_PLAIN_TEXT) or _PREFIX_OR_ATTRIBUTE.search(data):
        return None
    for tag in (b"CHILD", b"EPISODE", b"AREVIEW", b"HEADER"):  # every record written <TAG>...</TAG>
        if data.count(b"<" + tag + b">") != len(re.findall(b"<" + tag + rb"[\s/>]", data)):
            return None
    try:
        xml.parsers.expat.ParserCreate().Parse(data, True)  # well-formed? (C only: no handlers set)
    except xml.parsers.expat.ExpatError:
        return None
    # Each child is cut at its end tag in Python (one pass, the pieces about the file's size);
    # a regex over the whole 200 MB of a national return would need five times that.
    pieces = pl.Series("_p", data.split(b"</CHILD>"), dtype=pl.Binary)
    try:
        pieces = pieces.cast(pl.String)  # checks the text is UTF-8
    except pl.exceptions.PolarsError:
        return None
    children = (
        pieces.to_frame()
        .select(pl.col("_p").str.extract(r"(?s)<CHILD>(.*)", 1).alias("_child"))
        .drop_nulls()
        .with_row_index("_n")
    )
    del pieces
    return children if children.height else None


def _headers(children: pl.DataFrame, header_cols: tuple[str, ...]) -> pl.DataFrame:
    """Each child's header fields (``_head``: the child without its groups), CHILD, DOB and UASC."""
    strip = "|".join(rf"<{g}>.*?</{g}>|<{g}\s*/>" for g in _GROUPS)
    # The header fields are what is left of each child without its groups, cut in slices so the
    # regex's working memory stays small beside the file (a national return is 200 MB).
    head = pl.concat(
        [
            part.select(pl.col("_child").str.replace_all(f"(?s){strip}", "").alias("_head"))
            for part in children.iter_slices(_SLICE_ROWS)
        ]
    )
    heads = (
        children.select("_n", "_child")
        .with_columns(head.to_series())
        .with_columns(
            _value(pl.col("_head"), "CHILDID").alias("CHILD"),
            _value(pl.col("_head"), "DOB").alias("DOB"),
            pl.col("_head").str.contains(r"<UASC[ />]").alias("_has_uasc"),
            _value(pl.col("_head"), "UASC").alias("UASC"),
        )
    )
    return heads.with_columns(
        [_value(pl.col("_head"), _RENAMED.get(c, c)).alias(c) for c in header_cols if c not in ("CHILD", "DOB")]
    )
