"""A dataset's description (dataset.toml) written as TOML text."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from iro_metrics.validation import DatasetError, Problem

DATASET_TOML = "dataset.toml"

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes are all valid TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v, where) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v, where)}" for k, v in value.items()) + "}"
    raise DatasetError(
        Path(DATASET_TOML),
        [Problem(DATASET_TOML, f"value of type {type(value).__name__} cannot be written to TOML", column=where)],
    )


def to_toml(meta: Mapping[str, Any]) -> str:
    """``meta`` as TOML text: plain keys first, then one [section] per nested table.

    TOML has no null, so keys whose value is None are left out.
    """
    lines: list[str] = []

    def is_array_of_tables(value: Any) -> bool:
        return isinstance(value, list | tuple) and bool(value) and all(isinstance(v, Mapping) for v in value)

    def write(table: Mapping[str, Any], prefix: str) -> None:
        nested = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
        arrays = [(k, v) for k, v in table.items() if is_array_of_tables(v)]  # e.g. [[set_aside]]
        for key, value in table.items():
            if value is not None and not isinstance(value, Mapping) and not is_array_of_tables(value):
                lines.append(f"{_toml_key(str(key))} = {_toml_value(value, prefix + str(key))}")
        for key, value in nested:
            name = f"{prefix}{_toml_key(str(key))}"
            lines.append("")
            lines.append(f"[{name}]")
            write(value, name + ".")
        for key, entries in arrays:
            name = f"{prefix}{_toml_key(str(key))}"
            for entry in entries:
                lines.append("")
                lines.append(f"[[{name}]]")
                write(entry, name + ".")

    write(meta, "")
    return "\n".join(lines).lstrip("\n") + "\n"
