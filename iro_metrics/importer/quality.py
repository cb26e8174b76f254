"""The data-quality note every page of an imported dataset shows, from what its import set aside."""

from __future__ import annotations

from typing import Any

_SINGULAR = {"children": "child", "reviews": "review", "rows": "row", "episodes": "episode"}


def _part(entry: dict[str, Any]) -> str:
    count = int(entry.get("count", 0))
    unit = str(entry.get("unit", "records"))
    unit_text = unit if count != 1 else _SINGULAR.get(unit, unit)
    description = str(entry.get("description", ""))
    reason = description.split(" set aside: ", 1)[1] if " set aside: " in description else str(entry.get("rule", ""))
    return f"{count:,} {unit_text} ({reason})"


def data_quality_note(dataset: Any) -> str | None:
    """'Figures exclude ...: see the import report', or None when the import set nothing aside.

    ``dataset`` is a Dataset (its ``set_aside`` entries come from dataset.toml's ``[[set_aside]]``).
    """
    entries = [e for e in getattr(dataset, "set_aside", []) or [] if int(e.get("count", 0)) > 0]
    if not entries:
        return None
    parts = [_part(e) for e in entries]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Figures exclude {listed}: see the import report."
