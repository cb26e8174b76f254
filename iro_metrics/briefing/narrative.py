"""The paper in the words of a council's IRO quality assurance report (Kent's, seed 001).

Pure-ish helpers on the paper's context: the rating line in Kent's words, the year so far or the
full year against the year before, the citizen/UASC split of children in care with each one's
change, formal disputes by level in words, each QA item with its range across areas, and key
headlines whose words come from the data: "steadily" for a move the same way over four quarters,
"significant" only for a change beyond normal variation by the project's significance test
(``iro_metrics.compare``: two-proportion z-test for percentages, Poisson rate test per 100).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from iro_metrics.briefing.context import PaperContext, period_name
from iro_metrics.briefing.disclosure import MARKER
from iro_metrics.briefing.model import BriefingSection
from iro_metrics.briefing.wording import change_word, describe_change, format_amount, format_figure
from iro_metrics.catalogue import IndicatorMeta
from iro_metrics.formatting import number_text, value_text
from iro_metrics.indicator_registry import find_indicator_id, qa_indicator_id
from iro_metrics.indicators import compute_indicators
from iro_metrics.judgement import GOOD, IMPROVEMENT_REQUIRED, NO_OPTIMUM, POOR, rag
from iro_metrics.periods import Period, financial_quarter, financial_year, previous_period, same_period_last_year
from iro_metrics.selection import coverage
from iro_metrics.significance import two_proportion_test, two_rate_test

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


def _covered(ctx: PaperContext, period: Period) -> bool:
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
        if not _covered(ctx, quarter) or ctx.withheld(indicator, quarter):
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
        if _covered(ctx, year_ago) and (
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


def qa_range_lines(ctx: PaperContext, item: str, periods: Sequence[Period]) -> list[str]:
    """'Q4: 91.7% graded adequate or better (range 86.9% to 96.4%)' for each period, newest first;
    the range is across the selection's areas whose figure the period table publishes."""
    indicator = qa_indicator_id(item, "adequate")
    meta = ctx.meta(indicator)
    if meta is None:
        return []
    areas = list(ctx.areas or ctx.all_areas)
    if len(areas) > 1:
        ctx.prefetch_by_area([p for p in periods if _covered(ctx, p)])
    lines = []
    for period in periods:
        if not _covered(ctx, period) or ctx.withheld(indicator, period):
            continue
        row = ctx.row(indicator, period)
        if row is None or row[0] is None:
            continue
        label = f"Q{period.quarter}" if period.kind == "quarter" else period.label
        text = f"{label}: {format_figure(meta, row[0])} graded adequate or better"
        if len(areas) > 1:
            by_area = ctx.by_area(period).filter(indicator=indicator)
            table = ctx.table(period)
            shown = [
                v
                for area, v in by_area.select("area", "value").iter_rows()
                if v is not None and not table.suppressed(indicator, [area], ctx.cohort)
            ]
            if len(shown) > 1:
                text += f" (range {format_figure(meta, min(shown))} to {format_figure(meta, max(shown))})"
        lines.append(text)
    return lines


def qa_periods(period: Period) -> list[Period]:
    """The chosen quarter and the earlier quarters of its year, newest first (a year: itself)."""
    if period.kind != "quarter":
        return [period]
    return list(reversed(_quarters_so_far(period)))


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
    if not _covered(ctx, period):
        return None, None, None
    row = ctx.row(indicator, period)
    return (None, None, None) if row is None else row


def steady_word(ctx: PaperContext, indicator: str) -> str | None:
    """'steadily rising' / 'steadily reducing' when each of the last four periods moved the same way."""
    meta = ctx.meta(indicator)
    if meta is None:
        return None
    periods = [ctx.period]
    for _ in range(4):
        periods.insert(0, previous_period(periods[0]))
    values = []
    for period in periods:
        if not _covered(ctx, period) or ctx.withheld(indicator, period):
            return None
        values.append(_row(ctx, indicator, period)[0])
    if any(v is None for v in values):
        return None
    pairs = list(pairwise(values))
    words = [change_word(meta, a, b) for a, b in pairs]
    ups = [b > a for a, b in pairs]
    if "unchanged" in words:
        return None
    if all(ups):
        return "steadily rising"
    if not any(ups):
        return "steadily reducing"
    return None


def headline(ctx: PaperContext, indicator: str) -> str | None:
    """A key headline: the figure, its change on the previous period and on the same period last
    year ('significant' only beyond normal variation), 'steadily ...' over four periods, and the
    rating in Kent's words."""
    meta = ctx.meta(indicator)
    value = ctx.current.value(indicator)
    if meta is None or value is None or not ctx.rated(indicator):
        return None
    ctx.mentioned[indicator] = None
    when = f"at {ctx.period.end_label}" if meta.kind == "point" else f"in {period_name(ctx.period)}"
    if ctx.current.suppressed(indicator):
        ctx.any_suppressed = True
        return f"{meta.title}: {MARKER} {when} (suppressed; see notes)."
    _, x2, n2 = _row(ctx, indicator, ctx.period)
    phrases = []
    for figures in ctx.comparisons:
        comparison = figures.comparison(meta)
        if comparison.suppressed:
            ctx.any_suppressed = True
            phrases.append(f"the change on {comparison.label} is not shown ({MARKER})")
            continue
        if comparison.value is None:
            continue
        connector = "since" if meta.kind == "point" else "on"
        phrase = describe_change(meta, comparison.value, value, comparison.label, connector=connector)
        _, x1, n1 = _row(ctx, indicator, figures.period)
        if _is_significant(meta, (x1, n1), (x2, n2)) and not phrase.startswith("unchanged"):
            phrase = "a significant " + phrase.split(" ", 1)[1]
        phrases.append(phrase)
    text = f"{meta.title}: {format_figure(meta, value)} {when}"
    if phrases:
        text += ", " + " and ".join(phrases)
    if ctx.period.kind == "quarter" and (steady := steady_word(ctx, indicator)):
        text += f"; {steady} over the last four quarters"
    rating = rating_line(meta, value)
    if rating is not None and rating != RATING_WORDS[NO_OPTIMUM]:
        text += f". {rating}"
    return text + "."


SECTION_TITLES: tuple[str, ...] = (
    "Section 1: Workload",
    "Section 2: IRO practice and performance",
    "Section 3: Social work practice and performance",
    "Section 4: Children and young people's views",
)


def _dispute_totals(section: BriefingSection) -> dict[str, str]:
    table = next((t for t in section.tables if t.title.startswith("Formal disputes by category")), None)
    if table is None or table.frame.is_empty():
        return {}
    return {k: ("" if v is None else str(v)) for k, v in table.frame.row(-1, named=True).items()}


def _with_detail(ctx: PaperContext, section: BriefingSection, disputes: dict[str, str]) -> BriefingSection:
    """Each indicator sentence under its heading and rating line, followed by its year sentence and,
    for children in care, formal disputes and QA items, the report's extra detail."""
    out = BriefingSection(section.title, tables=section.tables, charts=section.charts)
    for paragraph in section.paragraphs:
        indicator = ctx.sentence_indicator.get(paragraph)
        meta = None if indicator is None else ctx.meta(indicator)
        if meta is None or indicator is None:
            out.paragraphs.append(paragraph)
            continue
        rated = ctx.rated(indicator) and not ctx.current.suppressed(indicator)
        rating = rating_line(meta, ctx.current.value(indicator)) if rated else None
        out.subheadings[len(out.paragraphs)] = [meta.title, *([rating] if rating else [])]
        out.paragraphs.append(paragraph)
        extra: list[str | None] = [year_sentence(ctx, indicator)]
        if indicator == "children_in_care":
            extra.append(cohort_split_sentence(ctx))
        if indicator == "disputes_formal":
            extra.append(disputes_by_level_sentence(disputes))
        parts = find_indicator_id(indicator)
        if parts is not None and parts.item is not None and parts.level == "adequate":
            extra += qa_range_lines(ctx, parts.item, qa_periods(ctx.period))
        out.paragraphs += [text for text in extra if text]
    return out


def arrange(ctx: PaperContext, workload, reviews, quality, challenge, views) -> list[BriefingSection]:
    """The five theme sections laid out as the report's four: workload (with the reviews chaired),
    IRO practice, social work practice (late notifications, escalations, quality of practice) and
    children's views."""
    held = [p for p in reviews.paragraphs if ctx.sentence_indicator.get(p) == "reviews_held"]
    reviews.paragraphs = [p for p in reviews.paragraphs if p not in held]
    workload.paragraphs += held
    disputes = _dispute_totals(challenge)
    social_work = BriefingSection(
        SECTION_TITLES[2],
        paragraphs=[*challenge.paragraphs, *quality.paragraphs],
        tables=[*challenge.tables, *quality.tables],
        charts=[*challenge.charts, *quality.charts],
    )
    parts = [workload, reviews, social_work, views]
    for title, part in zip(SECTION_TITLES, parts, strict=True):
        part.title = title
    return [_with_detail(ctx, part, disputes) for part in parts]
