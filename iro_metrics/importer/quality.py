"""The data-quality note every page of an imported dataset shows, from what its import set aside."""

from __future__ import annotations

from typing import Any

_SINGULAR = {"children": "child", "reviews": "review", "rows": "row", "episodes": "episode"}


def _reason(entry: dict[str, Any]) -> str:
    description = str(entry.get("description", ""))
    return description.split(" set aside: ", 1)[1] if " set aside: " in description else str(entry.get("rule", ""))


def _part(entry: dict[str, Any]) -> str:
    count = int(entry.get("count", 0))
    unit = str(entry.get("unit", "records"))
    unit_text = unit if count != 1 else _SINGULAR.get(unit, unit)
    return f"{count:,} {unit_text} ({_reason(entry)})"


ALERT_TOTAL_SHARE = 0.02  # children set aside, all rules together, above which the report opens with it
ALERT_RULE_SHARE = 0.01  # the same for any one rule


def children_left_out(set_aside: list[dict[str, Any]], children_read: int | None) -> tuple[int, float | None]:
    """Children set aside whole (every rule) and their share of the children read (None if unknown)."""
    count = sum(int(e.get("count", 0)) for e in set_aside if e.get("unit") == "children")
    share = count / children_read if children_read else None
    return count, share


def _children_text(count: int) -> str:
    return f"{count:,} {'child' if count == 1 else 'children'}"


def set_aside_alert(set_aside: list[dict[str, Any]], children_read: int | None) -> str | None:
    """The plain-words warning an import report opens with when the set-aside changes the picture.

    More than 2% of the children read set aside, or more than 1% by any one rule; None otherwise.
    A rule that sets aside a review or an episode counts the children whose records it changes
    (``children`` in its entry), so 5 reviews of 3 children in 200 alert as 1.5%. E.g. 3 of 100
    children by one rule: 'Warning: 3 of the 100 children read (3.0%) are set aside and left out of
    every figure. By rule ceased_without_reason: 3 children (3.0%, ...)'.
    """
    if not children_read:
        return None
    count, share = children_left_out(set_aside, children_read)
    share = share or 0.0
    whole = [e for e in set_aside if e.get("unit") == "children" and int(e.get("count", 0)) > 0]
    partial = [e for e in set_aside if e.get("unit") != "children" and int(e.get("children", 0) or 0) > 0]
    touched = min(children_read - count, sum(int(e["children"]) for e in partial))
    big = [e for e in whole if int(e["count"]) / children_read > ALERT_RULE_SHARE]
    big += [e for e in partial if int(e["children"]) / children_read > ALERT_RULE_SHARE]
    if (count + touched) / children_read <= ALERT_TOTAL_SHARE and not big:
        return None
    sentences = []
    if count:
        parts = [
            f"rule {e['rule']}: {_children_text(int(e['count']))} "
            f"({100 * int(e['count']) / children_read:.1f}%, {_reason(e)})"
            for e in sorted(whole, key=lambda e: -int(e["count"]))
        ]
        sentences.append(
            f"Warning: {count:,} of the {children_read:,} children read ({100 * share:.1f}%) are set aside and "
            "left out of every figure. By " + "; ".join(parts) + "."
        )
    if partial and (touched / children_read > ALERT_RULE_SHARE or any(e in big for e in partial) or not count):
        parts = [
            f"rule {e['rule']}: {int(e['count']):,} {e.get('unit', 'records')} of {_children_text(int(e['children']))} "
            f"({100 * int(e['children']) / children_read:.1f}%, {_reason(e)})"
            for e in sorted(partial, key=lambda e: -int(e["children"]))
        ]
        opening = "Warning: the records of" if not count else "The records of"
        more = f"{touched:,} more {'child' if touched == 1 else 'children'}" if count else _children_text(touched)
        sentences.append(
            f"{opening} {more} ({100 * touched / children_read:.1f}% of the "
            f"{children_read:,} read) are set aside in part, which changes their figures. By " + "; ".join(parts) + "."
        )
    return " ".join(sentences) + " Check these rules before using the figures."


def data_quality_note(dataset: Any) -> str | None:
    """'Figures exclude ...: see the import report', or None when the import set nothing aside.

    ``dataset`` is a Dataset (its ``set_aside`` entries come from dataset.toml's ``[[set_aside]]``).
    """
    entries = [e for e in getattr(dataset, "set_aside", []) or [] if int(e.get("count", 0)) > 0]
    if not entries:
        return None
    parts = [_part(e) for e in entries]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    meta = getattr(dataset, "meta", {}) or {}
    count, share = children_left_out(entries, meta.get("children_read"))
    left_out = f" ({100 * share:.1f}% of the children read left out)" if share is not None and count else ""
    return f"Figures exclude {listed}{left_out}: see the import report."


def left_out_caption(dataset: Any) -> str | None:
    """The line under each card of an imported dataset that set children aside: the share left out.

    E.g. 'Leaves out 3.0% of the children read (6 of 200, set aside at import)'; None when none were.
    """
    entries = list(getattr(dataset, "set_aside", []) or [])
    read = (getattr(dataset, "meta", {}) or {}).get("children_read")
    count, share = children_left_out(entries, read)
    if not count or share is None:
        return None
    return f"Leaves out {100 * share:.1f}% of the children read ({count:,} of {int(read):,}, set aside at import)"
