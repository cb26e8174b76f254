"""The paper in the words of a council's IRO quality assurance report (Kent's, seed 001).

Pure-ish helpers on the paper's context: the rating line in Kent's words, the year so far or the
full year against the year before, the citizen/UASC split of children in care with each one's
change, formal disputes by level in words, and each QA item with its range across areas. The key
headlines are in ``headlines.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from iro_metrics.briefing.context import PaperContext
from iro_metrics.briefing.disclosure import MARKER
from iro_metrics.briefing.wording import change_word, format_amount, format_figure
from iro_metrics.catalogue import IndicatorMeta
from iro_metrics.formatting import number_text, value_text
from iro_metrics.indicators import compute_indicators
from iro_metrics.judgement import GOOD, IMPROVEMENT_REQUIRED, NO_OPTIMUM, POOR, rag
from iro_metrics.periods import Period, financial_quarter, financial_year, previous_period, same_period_last_year
from iro_metrics.selection import coverage

RATING_WORDS: dict[str, str] = {
    GOOD: "Performance is good",
    IMPROVEMENT_REQUIRED: "Further improvement required",
    POOR: "Performance is poor",
    NO_OPTIMUM: "No optimum performance defined",
}
LEVEL_WORDS: dict[int, str] = {
    1: "addressed at the level of Team Manager",
    2: "escalated to Service Managers",
    3: "escalated to the Assistant Director level",
    4: "escalated to the Director level",
    5: "escalated beyond the council (for example to CAFCASS)",
}


LEVEL_NAMES: dict[int, str] = {
    1: "the Team Manager level",
    2: "the Service Manager level",
    3: "the Assistant Director level",
    4: "the Director level",
    5: "beyond the council",
}


def rating_line(meta: IndicatorMeta, value: float | None) -> str | None:
    """The rating in Kent's words ('Performance is good'), or None when there is nothing to judge by."""
    rating = rag(meta, value)
    return None if rating is None else RATING_WORDS.get(rating)


def covered(ctx: PaperContext, period: Period) -> bool:
    first, last = coverage(ctx.ds)
    return period.start >= first and period.end <= last


def _quarters_so_far(period: Period) -> list[Period]:
    return [financial_quarter(period.fy, q) for q in range(1, (period.quarter or 4) + 1)]


def _sum_over(ctx: PaperContext, indicator: str, quarters: Sequence[Period]) -> tuple[float, float | None] | None:
    """The indicator's numerator and denominator summed over quarters; None if any quarter is
    withheld for the selection or not covered (a sum of published figures is itself published)."""
    numerator, denominator = 0.0, 0.0
    has_denominator = False
    for quarter in quarters:
        if not covered(ctx, quarter) or ctx.withheld(indicator, quarter):
            return None
        row = ctx.row(indicator, quarter)
        if row is None or row[0] is None:
            return None
        value, part, whole = row
        numerator += part if part is not None else value
        if whole is not None:
            denominator += whole
            has_denominator = True
    return numerator, (denominator if has_denominator else None)


def _value_of(meta: IndicatorMeta, sums: tuple[float, float | None]) -> float | None:
    numerator, denominator = sums
    if meta.unit == "count":
        return numerator
    if not denominator:
        return None
    return 100.0 * numerator / denominator if meta.unit in ("pct", "per_100") else None


def year_sentence(ctx: PaperContext, indicator: str) -> str | None:
    """'Over a full year period, ... 5,220; a decrease of 176 when compared with 2012-13.' for Q4,
    the year so far against the same quarters last year for Q1 to Q3; None for point figures,
    years, or figures the selection may not publish."""
    meta = ctx.meta(indicator)
    if meta is None or meta.kind == "point" or ctx.period.kind != "quarter" or meta.unit not in ("count", "pct"):
        return None
    quarters = _quarters_so_far(ctx.period)
    before = [same_period_last_year(q) for q in quarters]
    now, then = _sum_over(ctx, indicator, quarters), _sum_over(ctx, indicator, before)
    if now is None:
        return None
    value = _value_of(meta, now)
    if value is None:
        return None
    previous = None if then is None else _value_of(meta, then)
    full_year = ctx.period.quarter == 4
    span = "Over a full year period" if full_year else f"So far this year (April to {ctx.period.end:%B %Y})"
    last = financial_year(ctx.period.fy - 1).label
    against = last if full_year else f"the same months of {last}"
    if indicator == "reviews_held":
        text = f"{span}, the IRO service has chaired {format_figure(meta, value)}"
    elif meta.unit == "pct":
        whole = "for the whole year" if full_year else "for the year so far"
        text = f"Performance {whole} is at {format_figure(meta, value)}"
    else:
        text = f"{span}, the figure is {format_figure(meta, value)}"
    if previous is not None:
        word = change_word(meta, previous, value)
        if word == "unchanged":
            text += f"; unchanged when compared with {against} ({format_figure(meta, previous)})"
        else:
            noun = {"rise": "increase", "fall": "decrease"}.get(word, word)
            article = "an" if noun[0] in "aeiou" else "a"
            joiner = ", which reflects" if meta.unit == "pct" else ";"
            amount = format_amount(meta, value - previous)
            text += f"{joiner} {article} {noun} of {amount} when compared with {against}"
    return text + "."


def cohort_split_sentence(ctx: PaperContext) -> str | None:
    """'Of these 1,842 children and young people, 1,624 were UK citizens and 218 were unaccompanied
    asylum seeking children (UASC). Compared to the end of March 2013, ...' (all children only)."""
    if ctx.cohort != "all" or not ctx.ds.records_uasc:
        return None
    total = ctx.current.value("children_in_care")
    if total is None or ctx.current.suppressed("children_in_care"):
        return None
    year_ago = ctx.last_year.period if ctx.period.kind == "quarter" else previous_period(ctx.period)
    figures = {}
    for cohort in ("citizen", "uasc"):
        if ctx.below and not ctx.table().measure_shown("children_in_care", "value", ctx.areas, cohort):
            figures[cohort] = None
            continue
        now = compute_indicators(ctx.selection.for_cohort(cohort)).filter(indicator="children_in_care")
        then = None
        if covered(ctx, year_ago) and (
            not ctx.below or ctx.table(year_ago).measure_shown("children_in_care", "value", ctx.areas, cohort)
        ):
            then = compute_indicators(ctx.selection.at(year_ago).for_cohort(cohort)).filter(
                indicator="children_in_care"
            )
        figures[cohort] = (now["value"][0], None if then is None or then.is_empty() else then["value"][0])
    citizen, uasc = figures["citizen"], figures["uasc"]

    def count(pair: tuple[float, float | None] | None) -> str:
        if pair is None:
            ctx.any_suppressed = True
            return MARKER
        return number_text(pair[0])

    text = (
        f"Of these {number_text(total)} children and young people, {count(citizen)} were UK citizens and "
        f"{count(uasc)} were unaccompanied asylum seeking children (UASC)."
    )
    changes = []
    for label, pair in (("UK citizen children in care", citizen), ("UASC in care", uasc)):
        if pair is None or pair[1] is None:
            continue
        now, then = pair
        if round(now) == round(then):
            changes.append(f"the number of {label} was unchanged")
        else:
            verb = "increased" if now > then else "decreased"
            changes.append(f"the number of {label} had {verb} by {number_text(abs(round(now - then)))}")
    if changes:
        text += f" Compared to the end of {year_ago.end:%B %Y}, " + " and ".join(changes) + "."
    return text


def disputes_by_level_sentence(total_row: dict[str, str]) -> str | None:
    """'Of the 91 formal disputes, 78 (85.7%) were addressed at the level of Team Manager, 12 were
    escalated to Service Managers, and 1 was escalated to the Assistant Director level before a
    resolution was achieved.' from the disputes table's (already suppressed) total row."""
    total = total_row.get("Total")
    if total in (None, "", "0", "–"):
        return None
    parts, none_beyond = [], []
    for level, words in LEVEL_WORDS.items():
        shown = total_row.get(f"Level {level}")
        if shown is None:
            continue
        if shown == "0":
            none_beyond.append(level)
            continue
        verb = "was" if shown == "1" else "were"
        share = ""
        if level == 1 and shown != MARKER and total != MARKER:
            share = f" ({value_text(100 * int(shown.replace(',', '')) / int(total.replace(',', '')), 'pct')})"
        parts.append(f"{shown}{share} {verb} {words}")
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    text = f"Of the {total} formal disputes, {listed} before a resolution was achieved."
    highest = max((lvl for lvl in LEVEL_WORDS if lvl not in none_beyond), default=0)
    above = [lvl for lvl in none_beyond if lvl > highest]
    if above:
        lowest = min(above)
        if lowest == 5:
            text += " No cases were escalated beyond the council."
        else:
            text += f" No cases required being raised formally to {LEVEL_NAMES[lowest]} or higher."
    return text


def qa_range(ctx: PaperContext, indicator: str, period: Period) -> tuple[float, float | None, float | None] | None:
    """The selection's figure for a QA item in a period with its lowest and highest area (the range
    across the selection's areas whose figure the period table publishes; None for one area);
    None when the period has no published figure."""
    if not covered(ctx, period) or ctx.withheld(indicator, period):
        return None
    row = ctx.row(indicator, period)
    if row is None or row[0] is None:
        return None
    areas = list(ctx.areas or ctx.all_areas)
    if len(areas) < 2:
        return row[0], None, None
    by_area = ctx.by_area(period).filter(indicator=indicator)
    table = ctx.table(period)
    shown = [
        v
        for area, v in by_area.select("area", "value").iter_rows()
        if v is not None and not table.suppressed(indicator, [area], ctx.cohort)
    ]
    if len(shown) < 2:
        return row[0], None, None
    return row[0], min(shown), max(shown)


def qa_range_text(meta: IndicatorMeta, figure: tuple[float, float | None, float | None] | None) -> str:
    """'91.7% (86.9–96.4%)': the figure and its range across areas; '–' for no figure."""
    if figure is None:
        return "–"
    value, low, high = figure
    text = format_figure(meta, value)
    if low is not None and high is not None:
        text += f" ({format_figure(meta, low).rstrip('%')}–{format_figure(meta, high)})"
    return text


def qa_periods(period: Period) -> list[Period]:
    """The chosen quarter and the earlier quarters of its year, newest first (a year: itself)."""
    if period.kind != "quarter":
        return [period]
    return list(reversed(_quarters_so_far(period)))


SECTION_TITLES: tuple[str, ...] = (
    "Section 1: Workload",
    "Section 2: IRO practice and performance",
    "Section 3: Social work practice and performance",
    "Section 4: Children and young people's views",
)
