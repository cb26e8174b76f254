"""Compare page: two periods side by side, why counts changed, what-if scenarios, with and without UASC.

Every setting is in the URL. The figures come from iro_metrics.compare and iro_metrics.whatif;
this file only reads the settings and draws the results.
"""

import polars as pl
import streamlit as st

import app_auth
import compare_sections
import ui
from iro_metrics import compare, whatif
from iro_metrics.charts import changes
from iro_metrics.formatting import period_text
from iro_metrics.indicators import SelectionError
from iro_metrics.periods import parse_period, previous_period, same_period_last_year

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
DUMBBELL_ROWS = 15
DEFAULT_EXPLAINED = ("late_notifications", "disputes_formal", "qa_care_plan_inadequate")

selection = ui.page_header(
    "Compare periods and try scenarios",
    "How one period compares with another, why counts changed, and what-if questions about staffing and UASC arrivals.",
)
ds = ui.current_dataset()

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
    labels = [p.label for p in compare.available_periods(ds)]
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
    period_a, period_b = parse_period(label_a), parse_period(label_b)
elif compare_with == "previous":
    period_a, period_b = previous_period(selection.period), selection.period
else:
    period_a, period_b = same_period_last_year(selection.period), selection.period

if section in TWO_PERIOD_SECTIONS:
    st.caption(
        f"Period A: {period_a.long_label}. Period B: {period_b.long_label}. "
        "Changes are B minus A; for percentages they are in percentage points."
    )
text_a, text_b = period_text(period_a.label), period_text(period_b.label)
labels_ab = (period_a.label, period_b.label)

try:
    if section == "periods":
        st.subheader(f"{text_b} against {text_a}")
        comparison = ui.compute(
            compare.compare_periods, with_period=False, period_a=period_a.label, period_b=period_b.label
        )
        ranking = compare.change_ranking(comparison)
        show_all = st.toggle("Show every indicator in the charts", key="compare_all", bind="query-params")
        shown = ranking if show_all else ranking.filter(pl.col("rank") <= DUMBBELL_ROWS)
        st.caption(
            "Biggest movement first. Hollow circle: period A; filled mark: period B. A diamond marks a change "
            "that is likely real, a circle one within normal variation, a square one not tested (counts)."
            + ("" if show_all else f" The {DUMBBELL_ROWS} that moved most of each kind; the table has them all.")
        )
        for scale in ("points", "relative"):
            if shown.filter(pl.col("scale") == scale).height:
                ui.show_chart(changes.change_dumbbell(shown, text_a, text_b, scale=scale), key=f"dumbbell_{scale}")
        table = compare.comparison_table(comparison, text_a, text_b)
        ui.show_table(
            table,
            "comparison",
            height=min(560, ui.table_height(table.height)),  # no blank rows under a short table
            column_config={  # key columns only on screen; the CSV holds them all
                **{c: st.column_config.NumberColumn(format="localized") for c in (text_a, text_b, "Change")},
                "Unit": None,
                f"Change (% of {text_a})": None,
                "p-value": None,
                f"95% interval {text_a}": None,
                f"95% interval {text_b}": None,
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
                file_name=f"comparison_unrounded_{period_a.label}_{period_b.label}_{selection.file_suffix}.csv",
                mime="text/csv",
                on_click="ignore",
                key="download_comparison_unrounded",
            )

    elif section == "why":
        st.subheader("Why counts changed: more cases, or a different rate?")
        st.write(
            "Each count here is a volume times a rate (late notifications = children starting care × the "
            "late rate). The change is split into the part from the volume and the part from the rate; "
            "the two parts add up to the change."
        )
        decompositions = ui.compute(
            compare.count_decompositions, with_period=False, period_a=period_a.label, period_b=period_b.label
        )
        if decompositions.is_empty():
            ui.no_data(ui.no_data_message("counts to explain"))
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
                    ui.show_chart(chart, key=f"waterfall_{count}")
            ui.show_table(compare.decomposition_table(decompositions, text_a, text_b), "why_counts_changed")

    elif section == "earlier_rate":
        st.subheader(f"What would {text_b} have looked like at {text_a}'s rate?")
        st.write(
            f"Each count is {text_b}'s volume (children starting care, reviews held …) times {text_a}'s rate: "
            "the count there would have been had the rate not changed."
        )
        decompositions = ui.compute(
            compare.count_decompositions, with_period=False, period_a=period_a.label, period_b=period_b.label
        )
        if decompositions.is_empty():
            ui.no_data(ui.no_data_message("counts to explain"))
        else:
            at_rate = whatif.at_earlier_rate_from(decompositions)
            st.markdown("\n".join(f"- {line}" for line in whatif.at_earlier_rate_sentences(at_rate, *labels_ab)))
            ui.show_table(
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

    elif section == "scenarios":
        compare_sections.show_scenarios(period_b.label, text_b)
    else:
        compare_sections.show_with_and_without_uasc(period_b.label, text_b)
except SelectionError as error:
    ui.no_data(f"That comparison cannot be made: {error}. Choose other periods.")
