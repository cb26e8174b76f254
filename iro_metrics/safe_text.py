"""Neutralise text that a spreadsheet would run as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (an area named ``=cmd|' /C calc'!A0`` would run a
command when the CSV is opened). Every CSV, Markdown and Word writer passes its text through
``neutralise``, which puts an apostrophe in front, as OWASP recommends. Columns of numbers stay
numbers (a spreadsheet reads -3 as minus three, not a formula), and so does a text cell that is
a plain number ("-0.2", "-3%"); every other text cell is checked.
"""

from __future__ import annotations

import re

import polars as pl

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = r"^-?\d+(\.\d+)?%?$"  # a number to a spreadsheet, never a formula


def neutralise(text: str) -> str:
    """The text with an apostrophe in front when it starts like a formula; other text unchanged."""
    formula = text and text.startswith(FORMULA_STARTS) and not re.match(PLAIN_NUMBER, text)
    return "'" + text if formula else text


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text cell and every column name neutralised (numbers and dates are left as they are)."""
    starts = "^[" + "".join("\\" + c if c in "-^]\\" else c for c in "=+-@") + "\t\r]"
    renamed = frame.rename({c: neutralise(c) for c in frame.columns if neutralise(c) != c})
    text_columns = [c for c, dtype in renamed.schema.items() if dtype == pl.String]
    return renamed.with_columns(
        pl.when(pl.col(c).str.contains(starts) & ~pl.col(c).str.contains(PLAIN_NUMBER))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text_columns
    )
