"""The indicator registry: every id pattern, and the theme each patterned family belongs to.

Each theme module (``iro_metrics/indicators/<theme>.py``, one per name in ``THEMES``) declares its
fixed ids, in spec order, as ``IDS``, the optional tables or columns some of them need as
``SOURCES``, and computes them in ``compute(request)``; ``iro_metrics.indicators.themes`` reads
them (``theme_modules()``, ``fixed_ids``, ``all_ids``, ``parse_indicator_id``, ``theme_of``). The
patterned families are written only here, below the theme modules that use them:
``qa_indicator_id(item, level)``, ``survey_responses_id(survey)`` and
``survey_indicator_id(survey, question)``, read back by ``find_family_id`` (or, on a column of
ids, ``id_part``); ``family_ids(family, ds)`` is every id of one family a dataset gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import polars as pl

from iro_metrics import codes

if TYPE_CHECKING:
    from iro_metrics.dataset import Dataset

Theme = Literal["workload", "reviews", "challenge", "quality", "views"]
THEMES: tuple[Theme, ...] = get_args(Theme)  # spec order: spec/indicators.md's sections
QaLevel = Literal["adequate", "good"]
QA_LEVELS: tuple[QaLevel, ...] = get_args(QaLevel)  # adequate or better; good or better
Family = Literal["fixed", "qa", "survey_responses", "survey_question"]
IdPart = Literal["item", "level", "survey", "question"]
# The theme of each patterned family.
FAMILY_THEMES: dict[Family, Theme] = {"qa": "quality", "survey_responses": "views", "survey_question": "views"}


class UnknownIndicatorError(ValueError):
    """An id that is neither a fixed id nor one of the patterns."""


@dataclass(frozen=True)
class IndicatorId:
    """An indicator id read back into its parts: ``item`` and ``level`` for a QA id, ``survey``
    (and ``question``) for a survey id."""

    id: str
    family: Family
    theme: Theme
    item: str | None = None
    level: QaLevel | None = None
    survey: str | None = None
    question: str | None = None


def qa_indicator_id(item: str, level: QaLevel) -> str:
    """The id of a QA item's adequate-or-better or good-or-better percentage: qa_<item>_<level>_pct."""
    return f"qa_{item}_{level}_pct"


def survey_responses_id(survey: str) -> str:
    """The id of a survey's response count: survey_<survey>_responses."""
    return f"survey_{survey}_responses"


def survey_indicator_id(survey: str, question: str) -> str:
    """The id of a survey question's percentage of yes answers: survey_<survey>_<question>_yes_pct."""
    return f"survey_{survey}_{question}_yes_pct"


def qa_indicator_id_expr(item: pl.Expr, level: pl.Expr) -> pl.Expr:
    """``qa_indicator_id`` on columns: the id of each row's item and level."""
    return pl.format(qa_indicator_id("{}", "{}"), item, level)  # type: ignore[arg-type]


def survey_responses_id_expr(survey: pl.Expr) -> pl.Expr:
    """``survey_responses_id`` on a column of surveys."""
    return pl.format(survey_responses_id("{}"), survey)


def survey_indicator_id_expr(survey: pl.Expr, question: pl.Expr) -> pl.Expr:
    """``survey_indicator_id`` on columns: the id of each row's survey and question."""
    return pl.format(survey_indicator_id("{}", "{}"), survey, question)


def _alternatives(names: Iterable[str]) -> str:
    # Longest first, so that a code which starts another code cannot take its place.
    return "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))


# One regular expression per family, used by parse_indicator_id and id_part alike.
_PATTERNS: dict[Family, str] = {
    "qa": rf"^qa_({_alternatives(codes.QA_ITEMS)})_({_alternatives(QA_LEVELS)})_pct$",
    "survey_responses": rf"^survey_({_alternatives(codes.SURVEYS)})_responses$",
    "survey_question": rf"^survey_({_alternatives(codes.SURVEYS)})_(.+)_yes_pct$",
}
_COMPILED = {family: re.compile(pattern) for family, pattern in _PATTERNS.items()}
_PART_GROUPS: dict[IdPart, tuple[Family, int]] = {
    "item": ("qa", 1),
    "level": ("qa", 2),
    "survey": ("survey_responses", 1),
    "question": ("survey_question", 2),
}


def qa_ids(items: Iterable[str] | None = None) -> tuple[str, ...]:
    """Both QA ids of each item (default: every item in the code list), item by item, adequate first."""
    chosen = codes.QA_ITEMS if items is None else items
    return tuple(qa_indicator_id(item, level) for item in chosen for level in QA_LEVELS)


def survey_questions(ds: Dataset) -> list[tuple[str, str]]:
    """The (survey, question) pairs the dataset holds answers for, in code-list order."""
    if ds.memo.survey_questions is None:
        pairs = (
            ds.table("survey_responses").select("survey", "question").unique().collect().rows()
            if ds.has_table("survey_responses")
            else []
        )
        order = {s: i for i, s in enumerate(codes.SURVEYS)}
        ds.memo.survey_questions = sorted(pairs, key=lambda p: (order.get(p[0], len(order)), p[0], p[1]))
    return ds.memo.survey_questions


def family_ids(family: Family, ds: Dataset) -> tuple[str, ...]:
    """The ids of one patterned family that a dataset gives. QA items and surveys come from the
    code lists (a dataset without them shows them as not recorded); survey questions from the data,
    sorted by id."""
    if family == "qa":
        return qa_ids()
    if family == "survey_responses":
        return tuple(survey_responses_id(s) for s in codes.SURVEYS)
    if family == "survey_question":
        return tuple(sorted(survey_indicator_id(s, q) for s, q in survey_questions(ds)))
    raise ValueError(f"'{family}' is not a family of patterned ids")


def find_family_id(indicator: str) -> IndicatorId | None:
    """An id of one of the patterned families read back into its parts, or None for any other
    (a fixed id too: ``indicators.themes.find_indicator_id`` knows both)."""
    for family, pattern in _COMPILED.items():
        found = pattern.match(indicator)
        if found is None:
            continue
        theme = FAMILY_THEMES[family]
        if family == "qa":
            return IndicatorId(indicator, family, theme, item=found[1], level=found[2])  # type: ignore[arg-type]
        if family == "survey_responses":
            return IndicatorId(indicator, family, theme, survey=found[1])
        return IndicatorId(indicator, family, theme, survey=found[1], question=found[2])
    return None


def id_part(ids: pl.Expr, part: IdPart) -> pl.Expr:
    """One part of each id in a column of ids (null where the id has no such part): the QA item or
    level, or the survey or question of a survey id."""
    if part == "survey":
        return ids.str.extract(_PATTERNS["survey_responses"], 1).fill_null(
            ids.str.extract(_PATTERNS["survey_question"], 1)
        )
    family, group = _PART_GROUPS[part]
    return ids.str.extract(_PATTERNS[family], group)
