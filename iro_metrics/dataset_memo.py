"""What is worked out once per loaded dataset and kept with it: one named field per owner."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iro_metrics.care_tables import CareTables


@dataclass
class DatasetMemo:
    """The answers a dataset keeps once worked out. Each field is written by the one module named
    beside it; none changes what the dataset's tables hold."""

    care: CareTables | None = None  # dataset (Dataset.care): the derived tables
    areas: list[str] | None = None  # dataset (Dataset.areas)
    date_range: tuple[date, date] | None = None  # dataset (Dataset.date_range)
    coverage: tuple[date, date] | None = None  # selection.coverage
    # indicators: the most recent indicator sets, by (period label, areas, cohort); oldest first
    indicator_sets: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    # indicators: the indicators worked out for a selection when only some were asked for, by the
    # same key: (ids held, their rows); oldest first
    indicator_parts: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    # indicators: the most recent by-area indicator sets, by (period label, areas, cohort); oldest first
    by_area_sets: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    column_recorded: dict[tuple[str, str], bool] = field(default_factory=dict)  # indicators.columns
    first_staffing_month: dict[str, date | None] = field(default_factory=dict)  # indicators.recorded
    whole_service_in_care: dict[tuple[str, int], int] = field(default_factory=dict)  # indicators.workload
    area_team_map: dict[str, str] | None = None  # indicators.workload
    survey_questions: list[tuple[str, str]] | None = None  # indicator_registry
    # indicators.breakdowns: the children's details, row i for child_key i
    children_by_key: Any = None
    # indicators.oversight: each IRO's caseload at the period ends, by (kind, period keys); oldest first
    iro_caseloads: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    trends: OrderedDict[Any, Any] = field(default_factory=OrderedDict)  # pages.common.trend: the recent trends
    every_area: OrderedDict[Any, Any] = field(default_factory=OrderedDict)  # pages.areas, by (period, cohort)
    briefing_areas: list[str] | None = None  # briefing.period_table
    period_tables: OrderedDict[tuple[str, int], Any] = field(
        default_factory=OrderedDict
    )  # briefing.period_table, by (label, threshold): the recent years
    how_we_compare: dict[str, Any] = field(default_factory=dict)  # briefing.how_we_compare
    comparisons: dict[Any, Any] = field(default_factory=dict)  # benchmarks.compare.how_we_compare, by year
    council_figures: dict[tuple[Any, ...], Any] = field(
        default_factory=dict
    )  # benchmarks.compare, by years and population
