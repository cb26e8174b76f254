"""Plain-English wording for figures and their changes.

Pure functions: they take an indicator's metadata (anything with ``title``, ``unit``,
``polarity`` and ``decimals``, normally a catalogue ``IndicatorMeta``) and numbers, and
return phrases such as "a rise of 11 compared with the end of March 2013 (1,831)" or
"an improvement of 0.6 points on Q3". The word follows the unit and the polarity:

==========================  ==============  =====================================
polarity                    unit            words
==========================  ==============  =====================================
none (no optimum)           count           a rise / a fall
none (no optimum)           anything else   an increase / a decrease
higher or lower is better   count           a rise / a fall (an improvement ...)
higher or lower is better   anything else   an improvement / a deterioration
==========================  ==============  =====================================

A change that rounds to zero at the indicator's display precision is "unchanged"; which way
a change goes is ``iro_metrics.judgement.direction``, so the words agree with the scorecard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from iro_metrics.briefing.disclosure import MARKER
from iro_metrics.catalogue import DECIMALS
from iro_metrics.formatting import number_text, value_text
from iro_metrics.judgement import IMPROVING, UNCHANGED, direction

# What a change of one unit is called ("0.6 points", "3.78 children per FTE IRO").
_CHANGE_UNIT: dict[str, tuple[str, str]] = {
    "pct": ("point", "points"),
    "per_fte": ("child per FTE IRO", "children per FTE IRO"),
    "fte": ("FTE", "FTE"),
    "per_100": ("per 100", "per 100"),
}


class MetaLike(Protocol):
    """The parts of an indicator's metadata the wording needs."""

    title: str
    unit: str
    polarity: str
    decimals: int | None


@dataclass(frozen=True)
class Comparison:
    """A figure to compare with: its label ("Q3", "the end of March 2013") and value.

    ``suppressed`` marks a figure withheld by disclosure control: no change is built on it.
    """

    label: str
    value: float | None
    suppressed: bool = False


def decimals_of(meta: MetaLike) -> int:
    """The number of decimal places the indicator is shown with."""
    decimals = getattr(meta, "decimals", None)
    return DECIMALS.get(meta.unit, 1) if decimals is None else int(decimals)


def format_figure(meta: MetaLike, value: float | None) -> str:
    """The figure as a reader sees it: '1,831', '80.7%', '83.72'; 'no figure' when missing."""
    return value_text(value, meta.unit, decimals_of(meta), missing="no figure")


def format_amount(meta: MetaLike, amount: float) -> str:
    """The size of a change in the indicator's unit: '11', '0.6 points', '3.78 children per FTE IRO'."""
    text = number_text(abs(amount), decimals_of(meta))
    if meta.unit not in _CHANGE_UNIT:
        return text
    singular, plural = _CHANGE_UNIT[meta.unit]
    return f"{text} {singular if text in ('1', '1.0', '1.00') else plural}"


def change_word(meta: MetaLike, old: float, new: float) -> str:
    """The one word for a change: rise, fall, increase, decrease, improvement, deterioration, unchanged."""
    judged = direction(meta, old, new)  # type: ignore[arg-type]  # any MetaLike will do
    if judged == UNCHANGED:
        return "unchanged"
    up = new > old
    if meta.unit == "count":
        return "rise" if up else "fall"
    if meta.polarity in ("higher", "lower"):
        return "improvement" if judged == IMPROVING else "deterioration"
    return "increase" if up else "decrease"


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def describe_change(
    meta: MetaLike,
    old: float | None,
    new: float | None,
    against: str,
    *,
    connector: str = "compared with",
    show_old: bool = True,
) -> str:
    """A phrase for the change from ``old`` to ``new`` against a comparison named ``against``.

    For example 'a rise of 11 compared with the end of March 2013 (1,831)' (children in care,
    1,831 to 1,842), or with ``connector="on", show_old=False`` 'an improvement of 0.6 points
    on Q3' (participation, 96.7% to 97.3%).
    """
    if old is None or new is None:
        return f"no figure for {against} to compare with"
    tail = f"{connector} {against}" + (f" ({format_figure(meta, old)})" if show_old else "")
    word = change_word(meta, old, new)
    if word == "unchanged":
        return f"unchanged {tail}"
    phrase = f"{_article(word)} {word} of {format_amount(meta, new - old)}"
    if meta.unit == "count" and meta.polarity in ("higher", "lower"):
        better = direction(meta, old, new) == IMPROVING  # type: ignore[arg-type]
        phrase += " (an improvement)" if better else " (a deterioration)"
    return f"{phrase} {tail}"


def indicator_sentence(
    meta: MetaLike,
    value: float | None,
    when: str,
    comparisons: Sequence[Comparison] = (),
    *,
    suppressed: bool = False,
) -> str:
    """One sentence for an indicator: its figure, when, and its changes against each comparison.

    'Children in care: 1,842 at 31 March 2014, a rise of 11 compared with 31 March 2013 (1,831).'
    A suppressed figure is shown as the marker, and no change is built on a suppressed figure.
    """
    if suppressed:
        return f"{meta.title}: {MARKER} {when} (suppressed; see notes)."
    if value is None:
        return f"{meta.title}: no figure {when}."
    phrases: list[str] = []
    for comparison in comparisons:
        if comparison.suppressed:
            phrases.append(f"the change on {comparison.label} is not shown ({MARKER})")
        elif comparison.value is not None:
            phrases.append(describe_change(meta, comparison.value, value, comparison.label))
    text = f"{meta.title}: {format_figure(meta, value)} {when}"
    if phrases:
        text += ", " + join_phrases(phrases)
    return text + "."


def join_phrases(phrases: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(phrases)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
