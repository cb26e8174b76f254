"""The theme modules in spec order, and the fixed ids each declares: the registry's ids by theme.

``iro_metrics.indicator_registry`` writes and reads the patterned ids; the theme modules use it, so
it cannot read them. This module can: it lists the theme modules (``theme_modules()``), takes the
fixed ids from their ``IDS`` (``fixed_ids``), and with the registry's families gives every id a
dataset has (``all_ids``) and reads any id back (``parse_indicator_id``, ``find_indicator_id``,
``theme_of``). Nothing else writes or slices an id.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from iro_metrics.indicator_registry import (
    FAMILY_THEMES,
    THEMES,
    IndicatorId,
    Theme,
    UnknownIndicatorError,
    family_ids,
    find_family_id,
)
from iro_metrics.indicators import challenge, quality, reviews, views, workload

if TYPE_CHECKING:
    from iro_metrics.dataset import Dataset


def theme_modules() -> tuple[ModuleType, ...]:
    """The module that computes each theme, in spec order (each has ``IDS``, ``SOURCES`` and ``compute``)."""
    return (workload, reviews, challenge, quality, views)


@cache
def _fixed_themes() -> dict[str, Theme]:
    themes: dict[str, Theme] = {}
    for theme, module in zip(THEMES, theme_modules(), strict=True):
        for indicator in module.IDS:
            if indicator in themes or find_family_id(indicator) is not None:
                raise ValueError(f"indicator id '{indicator}' is declared twice, or is one of a family's ids")
            themes[indicator] = theme
    return themes


def fixed_ids(theme: Theme | None = None) -> tuple[str, ...]:
    """The fixed ids (those not made from a pattern) of one theme, or of every theme, in spec order."""
    return tuple(i for i, t in _fixed_themes().items() if theme is None or t == theme)


def theme_ids(theme: Theme, ds: Dataset) -> tuple[str, ...]:
    """Every id of one theme that a dataset gives: its fixed ids, then its families'."""
    families = (f for f, t in FAMILY_THEMES.items() if t == theme)
    return (*fixed_ids(theme), *(i for family in families for i in family_ids(family, ds)))


def all_ids(ds: Dataset) -> list[str]:
    """Every indicator id the dataset gives, in spec order (theme by theme)."""
    return [i for theme in THEMES for i in theme_ids(theme, ds)]


def find_indicator_id(indicator: str) -> IndicatorId | None:
    """``parse_indicator_id``, or None for an id that is not one."""
    if indicator in _fixed_themes():
        return IndicatorId(indicator, "fixed", _fixed_themes()[indicator])
    return find_family_id(indicator)


def parse_indicator_id(indicator: str) -> IndicatorId:
    """An id read back into its family, theme and parts, e.g. qa_care_plan_good_pct: family qa,
    theme quality, item care_plan, level good. Raises UnknownIndicatorError for anything else."""
    found = find_indicator_id(indicator)
    if found is None:
        raise UnknownIndicatorError(f"'{indicator}' is not an indicator id")
    return found


def theme_of(indicator: str) -> Theme:
    """The theme an id belongs to."""
    return parse_indicator_id(indicator).theme
