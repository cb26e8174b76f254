"""How an import file is described (``FileSpec``, one ``ColumnSpec`` per column), and a template
written from the declaration of the table it fills."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl

from iro_metrics.tables import Column, Table

ValueKind = Literal["text", "code", "date", "number", "level", "flag"]


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import file."""

    name: str
    kind: ValueKind
    description: str
    example: str = ""
    required: bool = True  # the column must be in the file
    mandatory: bool = True  # every row must have a value (when the column is there)
    codes: tuple[str, ...] | None = None  # allowed values of a coded column, as written in the file
    upper: bool = True  # codes are compared in upper case (903) or lower case (local templates)
    used: bool = True  # False: a 903 column this tool does not need (read, then ignored)
    # How a two-digit year is resolved: "birth" (not after the import), "event" (in or before the
    # collection year), "until" (an end date that may lie years ahead, e.g. DUC: the 18th birthday).
    dates: Literal["birth", "event", "until"] = "event"


@dataclass(frozen=True)
class FileSpec:
    """One kind of import file."""

    kind: str  # short name, e.g. "episodes" or "episode_details"
    title: str
    description: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]  # columns identifying one record (duplicates are an error); () = none
    is_903: bool
    template_file: str = ""  # file name of the blank template (templates only)
    used: bool = True  # False: a 903 table this tool recognises but does not use (ignored, with a warning)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns if c.required)

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @property
    def date_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.kind == "date" and c.used)


def _value_kind(column: Column) -> ValueKind:
    """How a template's cell is read, from the column's declared type."""
    if column.dtype == pl.Date:
        return "date"
    if column.dtype == pl.Boolean:
        return "flag"
    if column.dtype == pl.Float64:
        return "number"
    if column.dtype.is_integer():
        return "level"
    return "code" if column.codes is not None else "text"


def template_column(column: Column) -> ColumnSpec:
    """The template column that fills a declared column as it is (``Column.source``)."""
    kind = _value_kind(column)
    return ColumnSpec(
        column.source,
        kind,
        column.description,
        column.example,
        required=column.required,
        mandatory=not column.nullable,
        codes=tuple(str(code) for code in column.codes) if column.codes is not None else None,
        # a template's codes are lower case, unless its code list is upper case (the SSD's change reasons)
        upper=kind != "code" or (column.codes is not None and all(str(c).isupper() for c in column.codes)),
    )


def template_from_table(
    table: Table,
    *,
    title: str,
    description: str,
    key: tuple[str, ...],
    template_file: str,
    instead: Mapping[str, tuple[ColumnSpec, ...]] | None = None,
) -> FileSpec:
    """The template of one table, written from its declaration: one file column per declared
    column with a ``source``, in declaration order; ``instead`` gives the file columns that stand
    for a declared column the importer fills otherwise (a review named by CHILD and REVIEW, an
    area taken from the child's episode)."""
    instead = instead or {}
    columns: list[ColumnSpec] = []
    for column in table.columns:
        if column.name in instead:
            columns.extend(instead[column.name])
        elif column.source:
            columns.append(template_column(column))
    return FileSpec(
        kind=table.name,
        title=title,
        description=description,
        columns=tuple(columns),
        key=key,
        is_903=False,
        template_file=template_file,
    )
