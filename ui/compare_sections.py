"""The Compare page's five sections: two periods side by side, why counts changed, at last year's
rate, what-if scenarios, and with and without UASC.

Drawn by pages/compare.py (kept short); the figures come from iro_metrics.whatif and
iro_metrics.compare, and every setting is in the URL.
"""

import polars as pl
import streamlit as st

from iro_metrics import compare, whatif
from iro_metrics.charts import changes
from iro_metrics.charts import whatif as whatif_charts
from iro_metrics.selection import Selection
from ui import app_auth, show, widgets

DUMBBELL_ROWS = 15
DEFAULT_EXPLAINED = ("late_notifications", "disputes_formal", "qa_care_plan_inadequate")
# What-if tables' numbers with thousands separators (1,839, not 1839), issue 26 item 8.
SCENARIO_COLUMNS = {c: st.column_config.NumberColumn(format="localized") for c in ("Now", "Scenario", "Change")}


def show_scenarios(selection: Selection, text_b: str) -> None:
    """What if: staffing and UASC arrivals, each led by a sentence, at the end of the selected period."""
    st.subheader(f"What if… (whole service, at the end of {text_b})")
    st.caption("IRO staffing is per team, not per area, so scenarios use the whole service.")
    baseline = whatif.uasc_baseline(selection)
    scenario_fte, target, uasc_change = _scenario_inputs(baseline, text_b)
    _show_staffing_scenario(baseline, scenario_fte, target, text_b)
    _show_uasc_scenario(baseline, scenario_fte, target, uasc_change)


def _scenario_inputs(baseline: whatif.UascBaseline, text_b: str) -> tuple[float, float, float]:
    """The scenario's three inputs (bound to the URL): FTE, caseload target and UASC change in %."""
    current_fte = baseline.fte or 0.0
    left, middle, right = st.columns(3)
    scenario_fte = left.number_input(
        "IRO FTE in the scenario",
        min_value=0.0,
        max_value=1000.0,
        value=float(whatif.scenario_start_fte(baseline)),
        step=0.5,
        key="fte",
        bind="query-params",
        help=f"The establishment at the end of {text_b} was {current_fte:,.1f} FTE."
        if baseline.fte
        else f"IRO staffing is not recorded for the end of {text_b}: the scenario starts at the FTE that would "
        "meet the guideline. Import the staffing template to compare with the establishment.",
    )
    target = middle.number_input(
        "Caseload target (children per FTE IRO)",
        min_value=1.0,
        max_value=500.0,
        value=whatif.DEFAULT_CASELOAD_TARGET,
        step=1.0,
        key="caseload_target",
        bind="query-params",
    )
    uasc_change = right.number_input(
        "UASC arrivals up (+) or down (−), %",
        min_value=-100.0,
        max_value=500.0,
        value=0.0,
        step=5.0,
        key="uasc_change",
        bind="query-params",
    )
    return scenario_fte, target, uasc_change


def _show_staffing_scenario(baseline: whatif.UascBaseline, scenario_fte: float, target: float, text_b: str) -> None:
    """Staffing and caseloads: the sentence, the chart of now against the scenario, the table."""
    current_fte = baseline.fte or 0.0
    st.markdown("#### Staffing and caseloads")
    st.info(
        whatif.staffing_sentence(baseline.children_all, scenario_fte, target, fte_now=baseline.fte),
        icon=":material/lightbulb:",
    )
    caseloads = whatif.caseload_comparison(baseline.children_all, baseline.fte, baseline.children_all, scenario_fte)
    show.chart(
        whatif_charts.caseload_chart(caseloads, target, title="Caseloads: now and with the scenario's FTE"),
        key="staffing_chart",
    )
    st.write(whatif.current_caseload_sentence(baseline.children_all, baseline.fte, text_b, target))
    show.table(
        whatif.scenario_display_table(
            whatif.staffing_scenario(baseline.children_all, current_fte, scenario_fte, target)
        ),
        "staffing_scenario",
        column_config=SCENARIO_COLUMNS,
    )


def _show_uasc_scenario(baseline: whatif.UascBaseline, scenario_fte: float, target: float, uasc_change: float) -> None:
    """UASC arrivals up or down: the sentence, the chart, the model and the table."""
    st.markdown("#### UASC arrivals")
    st.info(
        whatif.uasc_sentence(baseline, uasc_change, fte=scenario_fte or None, target_caseload=target),
        icon=":material/lightbulb:",
    )
    uasc_caseloads = whatif.uasc_caseload_comparison(baseline, uasc_change, fte=scenario_fte or None)
    show.chart(
        whatif_charts.caseload_chart(uasc_caseloads, target, title="Caseloads: now and with the UASC change"),
        key="uasc_chart",
    )
    st.caption(
        "Model: UASC in care and their reviews change in proportion to arrivals; citizen children do "
        "not change. Reviews a year are the period's reviews scaled to a year. 'Now' is today's "
        "establishment; 'Scenario' the FTE chosen above."
    )
    show.table(
        whatif.scenario_display_table(
            whatif.uasc_scenario(baseline, uasc_change, fte=scenario_fte or None, target_caseload=target)
        ),
        "uasc_scenario",
        column_config=SCENARIO_COLUMNS,
    )


def show_with_and_without_uasc(selection: Selection, text_b: str) -> None:
    """Every indicator for all children, UASC and citizen children, led by the caseload without UASC."""
    st.subheader(f"Every indicator for all children, UASC and citizen children, {text_b}")
    baseline = whatif.uasc_baseline(selection)
    st.info(whatif.without_uasc_sentence(baseline, text_b), icon=":material/lightbulb:")
    table = compare.cohort_table(selection)
    show.table(
        compare.cohort_display_table(table),
        "with_and_without_uasc",
        height=560,
        caption="Caseloads and staffing in the table are whole-service figures, the same for every cohort; "
        "the sentence above works out the caseload without UASC.",
    )


def show_two_periods(base: Selection, other: Selection, text_a: str, text_b: str) -> None:
    """Every indicator in period A (base) and B side by side: the dumbbell charts and the table."""
    st.subheader(f"{text_b} against {text_a}")
    comparison = compare.compare_periods(base, other)
    ranking = compare.change_ranking(comparison)
    st.info(compare.two_periods_summary(ranking, text_a, text_b), icon=":material/lightbulb:")
    show_all = st.toggle("Show every indicator in the charts", key="compare_all", bind="query-params")
    shown = ranking if show_all else ranking.filter(pl.col("rank") <= DUMBBELL_ROWS)
    st.caption(
        "Biggest movement first. Hollow circle: period A; filled mark: period B. A diamond marks a change "
        "that is likely real, a circle one within normal variation, a square one not tested (counts)."
        + ("" if show_all else f" The {DUMBBELL_ROWS} that moved most of each kind; the table has them all.")
    )
    for scale in ("points", "relative"):
        if shown.filter(pl.col("scale") == scale).height:
            show.chart(changes.change_dumbbell(shown, text_a, text_b, scale=scale), key=f"dumbbell_{scale}")
    table = compare.comparison_screen_table(comparison, text_a, text_b)  # key columns only, as text
    show.table(
        table,
        "comparison",
        height=min(560, show.table_height(table.height)),  # no blank rows under a short table
        download=compare.comparison_table(comparison, text_a, text_b),  # the CSV holds every column
        column_config={  # narrow number columns, so "More than chance?" fits a 1024-pixel screen
            "Indicator": st.column_config.TextColumn(width="medium"),
            **{c: st.column_config.TextColumn(width="small") for c in (text_a, text_b, "Change")},
        },
        caption="For percentages and rates per 100 reviews, 'More than chance?' tests whether the change "
        "is bigger than chance alone would often give (p below 0.05: likely a real change). The CSV adds "
        "units, p-values and 95% intervals (the range the true percentage probably lies in).",
    )
    unvalued = compare.unvalued_titles(comparison)
    if unvalued:  # never a row of empty cells: say which figures neither period has
        st.caption(f"No figure in either period (not recorded, or no data): {', '.join(unvalued)}.")
    if app_auth.may("download"):  # viewers cannot download
        st.download_button(
            "Download unrounded figures (CSV)",
            data=comparison.write_csv(),
            file_name=f"comparison_unrounded_{base.period.label}_{other.period.label}_{base.file_suffix}.csv",
            mime="text/csv",
            on_click="ignore",
            key="download_comparison_unrounded",
        )


def show_why_counts_changed(base: Selection, other: Selection, text_a: str, text_b: str) -> None:
    """Each rate x volume count's change split into the part from the volume and the part from the rate."""
    st.subheader("Why counts changed: more cases, or a different rate?")
    st.write(
        "Each count here is a volume times a rate (late notifications = children starting care × the "
        "late rate). The change is split into the part from the volume and the part from the rate; "
        "the two parts add up to the change."
    )
    decompositions = compare.count_decompositions(base, other)
    if decompositions.is_empty():
        widgets.no_data(widgets.no_data_message("counts to explain"))
    else:
        titles = dict(zip(decompositions["count"], decompositions["title"], strict=True))
        explained = st.multiselect(
            "Counts to chart",
            list(titles),
            default=[c for c in DEFAULT_EXPLAINED if c in titles],
            format_func=titles.get,
            key="explain",
            bind="query-params",
        )
        columns = st.columns(3)
        for n, count in enumerate(explained):
            with columns[n % 3]:
                chart = changes.decomposition_waterfall(decompositions, count, text_a, text_b)
                show.chart(chart, key=f"waterfall_{count}")
        show.table(compare.decomposition_table(decompositions, text_a, text_b), "why_counts_changed")


def show_at_earlier_rate(base: Selection, other: Selection, text_a: str, text_b: str) -> None:
    """Period B's counts at period A's rates, led by a sentence each."""
    st.subheader(f"What would {text_b} have looked like at {text_a}'s rate?")
    st.write(
        f"Each count is {text_b}'s volume (children starting care, reviews held …) times {text_a}'s rate: "
        "the count there would have been had the rate not changed."
    )
    decompositions = compare.count_decompositions(base, other)
    if decompositions.is_empty():
        widgets.no_data(widgets.no_data_message("counts to explain"))
    else:
        at_rate = whatif.at_earlier_rate_from(decompositions)
        st.info(whatif.at_earlier_rate_summary(at_rate, base.period, other.period), icon=":material/lightbulb:")
        if at_rate.filter(pl.col("at_earlier_rate").is_not_null()).height:
            show.chart(whatif_charts.at_earlier_rate_chart(at_rate, text_a, text_b), key="at_earlier_rate_chart")
        with st.expander("Each count in a sentence"):
            st.markdown(
                "\n".join(f"- {line}" for line in whatif.at_earlier_rate_sentences(at_rate, base.period, other.period))
            )
        show.table(
            at_rate,
            "at_earlier_rate",
            column_config={
                "count": None,
                "title": "Count",
                "actual_b": st.column_config.NumberColumn(f"Actual {text_b}", format="localized"),
                "at_earlier_rate": st.column_config.NumberColumn(f"At {text_a}'s rate", format="%.1f"),
                "difference": st.column_config.NumberColumn("Difference", format="%+.1f"),
                "volume_title": "Volume",
                "volume_b": st.column_config.NumberColumn(f"Volume {text_b}", format="localized"),
                "rate_a": st.column_config.NumberColumn(f"Rate per 100 {text_a}", format="%.1f"),
                "rate_b": st.column_config.NumberColumn(f"Rate per 100 {text_b}", format="%.1f"),
            },
        )
