"""The Compare page's two selected-period sections: what-if scenarios, and with and without UASC.

Drawn by pages/compare.py (kept short); the figures come from iro_metrics.whatif and
iro_metrics.compare, and every setting is in the URL.
"""

import streamlit as st

import ui
from iro_metrics import compare, whatif
from iro_metrics.formatting import number_text


def show_scenarios(period: str, text_b: str) -> None:
    """What if: staffing and UASC arrivals, each led by a sentence, at the end of ``period``."""
    st.subheader(f"What if… (whole service, at the end of {text_b})")
    st.caption("IRO staffing is per team, not per area, so scenarios use the whole service.")
    baseline = ui.compute(whatif.uasc_baseline, with_period=False, period=period)
    current_fte = baseline.fte or 0.0
    left, middle, right = st.columns(3)
    scenario_fte = left.number_input(
        "IRO FTE in the scenario",
        min_value=0.0,
        max_value=1000.0,
        value=float(round(current_fte, 1)),
        step=0.5,
        key="fte",
        bind="query-params",
        help=f"The establishment at the end of {text_b} was {number_text(current_fte, 1)} FTE.",
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
    st.markdown("#### Staffing and caseloads")
    st.write(whatif.current_caseload_sentence(baseline.children_all, baseline.fte, text_b, target))
    st.info(
        whatif.staffing_sentence(baseline.children_all, scenario_fte, target, fte_now=baseline.fte),
        icon=":material/lightbulb:",
    )
    ui.show_table(
        whatif.scenario_display_table(
            whatif.staffing_scenario(baseline.children_all, current_fte, scenario_fte, target)
        ),
        "staffing_scenario",
    )
    st.markdown("#### UASC arrivals")
    st.info(
        whatif.uasc_sentence(baseline, uasc_change, fte=scenario_fte or None, target_caseload=target),
        icon=":material/lightbulb:",
    )
    st.caption(
        "Model: UASC in care and their reviews change in proportion to arrivals; citizen children do "
        "not change. Reviews a year are the period's reviews scaled to a year. 'Now' is today's "
        "establishment; 'Scenario' the FTE chosen above."
    )
    ui.show_table(
        whatif.scenario_display_table(
            whatif.uasc_scenario(baseline, uasc_change, fte=scenario_fte or None, target_caseload=target)
        ),
        "uasc_scenario",
    )


def show_with_and_without_uasc(period: str, text_b: str) -> None:
    """Every indicator for all children, UASC and citizen children, led by the caseload without UASC."""
    st.subheader(f"Every indicator for all children, UASC and citizen children, {text_b}")
    baseline = ui.compute(whatif.uasc_baseline, with_period=False, period=period)
    st.info(whatif.without_uasc_sentence(baseline, text_b), icon=":material/lightbulb:")
    table = ui.compute(compare.cohort_table, with_period=False, period=period)
    ui.show_table(
        compare.cohort_display_table(table),
        "with_and_without_uasc",
        height=560,
        caption="Caseloads and staffing in the table are whole-service figures, the same for every cohort; "
        "the sentence above works out the caseload without UASC.",
    )
