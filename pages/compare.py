"""Compare page: two periods side by side, why counts changed, what-if scenarios, with and without UASC.

Every setting is in the URL. The figures come from iro_metrics.compare and iro_metrics.whatif;
this file only reads the settings and draws the results.
"""

import streamlit as st

from iro_metrics import compare
from iro_metrics.formatting import period_text
from iro_metrics.periods import previous_period, same_period_last_year
from iro_metrics.selection import SelectionError
from ui import compare_sections, state, widgets

COMPARE_WITH = {
    "year_earlier": "The same period a year earlier",
    "previous": "The period before",
    "custom": "Two periods I choose",
}
SECTIONS = {
    "periods": "Two periods side by side",
    "why": "Why counts changed",
    "earlier_rate": "At last year's rate",
    "scenarios": "What if… (staffing, UASC)",
    "uasc": "With and without UASC",
}
# The sections that compare two periods; the others look at the selected period only.
TWO_PERIOD_SECTIONS = ("periods", "why", "earlier_rate")

selection = widgets.page_header(
    "Compare periods and try scenarios",
    "How one period compares with another, why counts changed, and what-if questions about staffing and UASC arrivals.",
)
ds = state.current_dataset()

# --- Settings (all in the URL) -----------------------------------------------------------------------
section = st.radio(
    "Question", list(SECTIONS), format_func=SECTIONS.get, key="compare_view", bind="query-params", horizontal=True
)
compare_with = "year_earlier"
if section in TWO_PERIOD_SECTIONS:
    compare_with = st.radio(
        "Compare the selected period with",
        list(COMPARE_WITH),
        format_func=COMPARE_WITH.get,
        key="compare_with",
        bind="query-params",
        horizontal=True,
    )
if compare_with == "custom":
    # The choices are the data's own periods, typed; the widgets (and the URL) hold their labels.
    periods = {p.label: p for p in compare.available_periods(ds)}
    labels = list(periods)
    default_a = same_period_last_year(selection.period).label
    left, right = st.columns(2)
    label_a = left.selectbox(
        "Period A (the base)",
        labels,
        index=labels.index(default_a) if default_a in labels else 0,
        key="period_a",
        bind="query-params",
    )
    label_b = right.selectbox(
        "Period B (compared with A)",
        labels,
        index=labels.index(selection.period.label) if selection.period.label in labels else 0,
        key="period_b",
        bind="query-params",
    )
    period_a, period_b = periods[label_a], periods[label_b]
elif compare_with == "previous":
    period_a, period_b = previous_period(selection.period), selection.period
else:
    period_a, period_b = same_period_last_year(selection.period), selection.period

if section in TWO_PERIOD_SECTIONS:
    st.caption(
        f"Period A: {period_a.long_label}. Period B: {period_b.long_label}. "
        "Changes are B minus A; for percentages they are in percentage points."
    )
text_a, text_b = period_text(period_a), period_text(period_b)

if section == "scenarios":  # the selected period only: no period A to check
    compare_sections.show_scenarios(selection, text_b)
    st.stop()
if section == "uasc":
    compare_sections.show_with_and_without_uasc(selection, text_b)
    st.stop()
try:
    base, other = selection.at(period_a), selection.at(period_b)
except SelectionError as error:
    widgets.no_data(f"That comparison cannot be made: {error}. Choose other periods.")
    st.stop()
if section == "periods":
    compare_sections.show_two_periods(base, other, text_a, text_b)
elif section == "why":
    compare_sections.show_why_counts_changed(base, other, text_a, text_b)
else:
    compare_sections.show_at_earlier_rate(base, other, text_a, text_b)
