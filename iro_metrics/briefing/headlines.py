"""Key headlines as conclusions whose words come from the data: "steadily" for a move the same way
over four quarters, "significant" only for a change beyond normal variation by the project's
significance test (``iro_metrics.compare``: two-proportion z-test for percentages, Poisson rate
test per 100), "stabilised", and a move against the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from iro_metrics.briefing.bands import Band
from iro_metrics.briefing.context import PaperContext, period_name
from iro_metrics.briefing.disclosure import MARKER
from iro_metrics.briefing.narrative import covered
from iro_metrics.briefing.wording import change_word, format_figure
from iro_metrics.catalogue import SMALL_BASE, IndicatorMeta
from iro_metrics.judgement import GOOD, IMPROVEMENT_REQUIRED, POOR, rag
from iro_metrics.periods import Period, previous_period
from iro_metrics.significance import two_proportion_test, two_rate_test


def _is_significant(meta: IndicatorMeta, old: tuple[float | None, float | None], new: tuple) -> bool:
    (x1, n1), (x2, n2) = old, new
    if None in (x1, n1, x2, n2):
        return False
    test = None
    if meta.unit == "pct":
        test = two_proportion_test(x1, n1, x2, n2)
    elif meta.unit == "per_100":
        test = two_rate_test(x1, n1, x2, n2)
    return test is not None and test.p_value < 0.05


def _row(ctx: PaperContext, indicator: str, period: Period) -> tuple[float | None, float | None, float | None]:
    if not covered(ctx, period):
        return None, None, None
    row = ctx.row(indicator, period)
    return (None, None, None) if row is None else row


def steady_word(meta: IndicatorMeta, values: Sequence[float | None]) -> str | None:
    """'steadily rising' / 'steadily reducing' when every step of ``values`` (oldest first, at
    least four steps) moved the same way by more than rounding; None otherwise."""
    if len(values) < 5 or any(v is None for v in values):
        return None
    pairs = list(pairwise(values))
    if any(change_word(meta, a, b) == "unchanged" for a, b in pairs):
        return None
    ups = [b > a for a, b in pairs]
    if all(ups):
        return "steadily rising"
    if not any(ups):
        return "steadily reducing"
    return None


def _last_values(ctx: PaperContext, indicator: str, steps: int = 4) -> list[float | None]:
    """The indicator's published values over the last ``steps`` periods before the chosen one and
    the chosen one, oldest first (None where not covered or withheld)."""
    periods = [ctx.period]
    for _ in range(steps):
        periods.insert(0, previous_period(periods[0]))
    out: list[float | None] = []
    for period in periods:
        if not covered(ctx, period) or ctx.withheld(indicator, period):
            out.append(None)
        else:
            out.append(_row(ctx, indicator, period)[0])
    return out


@dataclass(frozen=True)
class Point:
    """One period's figure for a headline rule: its label ("Q4 2012-13", "31 March 2013"), value,
    and the counts a percentage or rate is built on (None for a count)."""

    label: str
    value: float
    numerator: float | None = None
    denominator: float | None = None


# The smallest change on a year earlier that the "against target" rule calls a move (percentage
# points, or per 100): a change smaller than this and not significant is no headline.
MIN_MOVE: dict[str, float] = {"pct": 0.5, "per_100": 0.5}


def small_base(meta: IndicatorMeta, *points: Point | None) -> bool:
    """Whether any of the points is a percentage or rate on fewer than SMALL_BASE cases: such a
    change is never a headline, and the paper always prints its base."""
    if meta.unit not in ("pct", "per_100"):
        return False
    return any(p is not None and (p.denominator is None or p.denominator < SMALL_BASE) for p in points)


def _significant(meta: IndicatorMeta, old: Point, new: Point) -> bool:
    return _is_significant(meta, (old.numerator, old.denominator), (new.numerator, new.denominator))


def _subject(meta: IndicatorMeta) -> str:
    return meta.title[0].upper() + meta.title[1:]


def conclusion(
    meta: IndicatorMeta,
    now: Point,
    year_ago: Point | None,
    recent: Sequence[float | None] = (),
    *,
    point_in_time: bool = False,
) -> str | None:
    """A key headline as a conclusion drawn from the figures, or None when no rule applies.

    The rules, in order (each tested in tests/briefing/test_headlines.py):

    - a percentage or rate on a base under SMALL_BASE (now or a year ago) is never a headline;
    - **steadily**: every one of the last four steps of ``recent`` (five values, oldest first)
      moved the same way: "... has been steadily reducing";
    - **significant**: the change on the same period a year earlier is beyond normal variation by
      the two-proportion z-test (percentages) or the Poisson rate test (per 100): "There has been a
      significant improvement in ...";
    - **stabilised**: a count at a point in time within 1% of a year earlier: "... numbers have
      stabilised over the year";
    - **against target**: a rated figure that moved on a year earlier (by at least MIN_MOVE points
      for a percentage or rate): "... is improving but further improvement is required" / "... has
      declined and performance is poor".

    A headline that only restates a figure is not written.
    """
    if small_base(meta, now, year_ago):
        return None
    rating = rag(meta, now.value)
    standing = {
        GOOD: "performance is good",
        IMPROVEMENT_REQUIRED: "further improvement is required",
        POOR: "performance is poor",
    }.get(rating or "")
    since = f" ({format_figure(meta, now.value)} {now.label}"
    since += f", from {format_figure(meta, year_ago.value)} {year_ago.label})" if year_ago is not None else ")"
    steady = steady_word(meta, recent)
    if steady is not None:
        text = f"{_subject(meta)} has been {steady} over the last four quarters{since}"
        return text + (f"; {standing}." if standing else ".")
    if year_ago is None:
        return None
    word = change_word(meta, year_ago.value, now.value)
    if word != "unchanged" and _significant(meta, year_ago, now):
        noun = {"rise": "rise", "fall": "fall", "increase": "rise", "decrease": "drop"}.get(word, word)
        return f"There has been a significant {noun} in {meta.title[0].lower() + meta.title[1:]} over the year{since}."
    if point_in_time and meta.unit == "count" and year_ago.value and abs(now.value / year_ago.value - 1) <= 0.01:
        return f"{_subject(meta)} numbers have stabilised over the year{since}."
    moved_enough = abs(now.value - year_ago.value) >= MIN_MOVE.get(meta.unit, 0)
    if standing is not None and word != "unchanged" and moved_enough and meta.polarity in ("higher", "lower"):
        moved = "is improving" if _better(meta, year_ago, now) else "has declined"
        joiner = " but" if (moved == "is improving") != (rating == GOOD) else " and"
        return f"{_subject(meta)} {moved}{joiner} {standing}{since}."
    return None


def _better(meta: IndicatorMeta, old: Point, new: Point) -> bool:
    return (new.value > old.value) == (meta.polarity == "higher")


def suppressed_headline(meta: IndicatorMeta, when: str) -> str:
    """The key headline of a figure withheld for disclosure control (the one place its words are
    made, so a banded wording can replace them)."""
    return f"{meta.title}: {MARKER} {when} (suppressed; see notes)."


def banded_headline(meta: IndicatorMeta, band: Band, base: str | None, when: str) -> str:
    """The key headline of a hidden percentage stated as a band ("more than 95% of 163")."""
    of = f" of {base}" if base else ""
    return f"{meta.title}: {band.words()}{of} {when} (a band: the exact figure is suppressed; see notes)."


def _point(ctx: PaperContext, indicator: str, period: Period, label: str) -> Point | None:
    if ctx.withheld(indicator, period):
        return None
    value, numerator, denominator = _row(ctx, indicator, period)
    return None if value is None else Point(label, value, numerator, denominator)


def headline(ctx: PaperContext, indicator: str) -> str | None:
    """The key headline for an indicator: a conclusion (see ``conclusion``) or None."""
    meta = ctx.meta(indicator)
    value = ctx.current.value(indicator)
    if meta is None or value is None or not ctx.rated(indicator):
        return None
    point = meta.kind == "point"
    when = f"at {ctx.period.end_label}" if point else f"in {period_name(ctx.period)}"
    if ctx.current.suppressed(indicator):
        ctx.any_suppressed = True
        ctx.mentioned[indicator] = None
        banded = ctx.band(indicator) if meta.unit == "pct" else None
        return banded_headline(meta, *banded, when) if banded else suppressed_headline(meta, when)
    now = _point(ctx, indicator, ctx.period, when)
    before = ctx.last_year.period
    then_label = f"at {before.end_label}" if point else f"in {period_name(before)}"
    year_ago = _point(ctx, indicator, before, then_label) if covered(ctx, before) else None
    recent = _last_values(ctx, indicator) if ctx.period.kind == "quarter" else []
    if now is None:
        return None
    text = conclusion(meta, now, year_ago, recent, point_in_time=point)
    if text is not None:
        ctx.mentioned[indicator] = None
    return text


def key_headlines(ctx: PaperContext, indicators: Sequence[str]) -> list[str]:
    """The paper's key headlines: one conclusion for each indicator a rule applies to."""
    return [h for i in indicators if (h := headline(ctx, i))]
