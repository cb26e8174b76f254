"""Drawing: charts (with alt text, and clicks that set the filters) and tables (with downloads)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import altair as alt
import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from iro_metrics.briefing.downloads import internal_csv, publishable_csv
from iro_metrics.charts import bars, common, trends
from iro_metrics.formatting import in_sentence, whole_number_columns
from iro_metrics.pages.areas import SELECTED_MARK
from iro_metrics.periods import parse_period
from iro_metrics.selection import Selection
from iro_metrics.tables import PERSONAL_COLUMNS
from ui import app_auth, state
from ui.widgets import no_data


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-").lower()


def _picked(key: str, param: str) -> None:
    """A click on a chart (its ``on_select``): the area or period it picked becomes the sidebar filter.

    Runs before the rerun, so the filter widgets (bound to the URL) take the new value and the URL
    follows. A click on empty space (no point) changes nothing.
    """
    chart_state = st.session_state.get(key) or {}
    points = (chart_state.get("selection") or {}).get(param) or []
    if param == bars.AREA_PICK:
        # An area chosen already is drawn as "East Kent (selected)": the filter takes its name.
        areas = sorted(
            {str(p["area"]).removesuffix(SELECTED_MARK) for p in points if isinstance(p, dict) and p.get("area")}
        )
        if areas:
            st.session_state[state.AREA_KEY] = areas
    elif param == trends.PERIOD_PICK:
        labels = [p["period"] for p in points if isinstance(p, dict) and p.get("period")]
        if labels:
            period = parse_period(labels[0])
            st.session_state[state.YEAR_KEY] = period.fy_label
            st.session_state[state.QUARTER_KEY] = state.WHOLE_YEAR if period.kind == "year" else f"Q{period.quarter}"


def chart(
    chart: alt.TopLevelMixin | dict,
    alt_text: str | None = None,
    *,
    key: str | None = None,
    pick: str | None = None,
) -> None:
    """Draw a chart (an Altair chart, or a spec from ``charts``) at full width with its alt text.

    The alt text is the chart's description (every ``iro_metrics.charts`` chart writes one, and the
    browser reads it as the chart's accessible name); ``alt_text`` replaces it. ``pick``
    (``bars.AREA_PICK`` or ``trends.PERIOD_PICK``, with a ``key``) makes a click on the chart
    choose that area or period in the sidebar filters.
    """
    # The spec without Altair's schema check (the tests check every chart's spec in full): the
    # check took longer than the rest of a rerun. Chart data are small aggregates, sent inline.
    spec = chart if isinstance(chart, dict) else common.chart_spec(chart)
    _data_as_frames(spec)
    if alt_text:
        spec["description"] = alt_text
    if not spec.get("description"):
        raise ValueError("every chart needs alt text: give the chart a description or pass alt_text")
    if pick is not None and key is not None:
        st.vega_lite_chart(
            spec=spec,
            width="stretch",
            theme=None,
            key=key,
            on_select=lambda: _picked(key, pick),
            selection_mode=pick,
        )
        return
    st.vega_lite_chart(spec=spec, width="stretch", theme=None, key=key)


def _data_as_frames(spec: dict) -> None:
    """Hand a spec's inline data to Streamlit as Polars frames, in place.

    Streamlit sends chart data as Arrow; it converts a list of rows through pandas (about 4 ms a
    chart) but a Polars frame directly.
    """
    data = spec.get("data")
    if isinstance(data, dict) and isinstance(data.get("values"), list) and data["values"]:
        data["values"] = _frame_or_rows(data["values"])
    for name, values in spec.get("datasets", {}).items():
        if isinstance(values, list) and values:
            spec["datasets"][name] = _frame_or_rows(values)


def _frame_or_rows(rows: list) -> pl.DataFrame | list:
    """The rows as a frame, or the rows themselves when a frame would not hold the same values
    (a column mixing text and numbers, say): those take Streamlit's own path."""
    try:
        frame = pl.DataFrame(rows, infer_schema_length=None)
    except (TypeError, ValueError, pl.exceptions.PolarsError):
        return rows
    return frame if frame.to_dicts() == rows else rows


def trend(trend: pl.DataFrame, *, key: str | None = None, **chart_options: Any) -> None:
    """A trend line chart (``trends.trend_chart``), or a clear message when no period has a value."""
    if trend.is_empty() or not trend.get_column("value").is_not_null().any():
        title = chart_options.get("title", "this chart")
        no_data(f"There are no figures for {in_sentence(title)} in the data for this selection.")
        return
    selection = state.selection_or_none()
    if selection is not None:  # mark the selected period (when the chart holds it)
        chart_options.setdefault("highlight", selection.period.label)
    clickable = key is not None  # a click on a period's point selects that period
    drawn = trends.trend_spec(trend, clickable=clickable, **chart_options)
    chart(drawn, key=key, pick=trends.PERIOD_PICK if clickable else None)


SECTION_KEY_PREFIX = "open_"  # the session-state key of a table section: this prefix and its name
TABS_KEY_PREFIX = "tab_"  # of a set of tabs drawn only when chosen (``lazy_tabs``)


def table_section(label: str, filename: str, frame: Callable[[], pl.DataFrame], **table_options: Any) -> None:
    """A closed expander ("Table: ...") holding ``table(frame(), filename, **table_options)``,
    drawn, and its frame built, only while it is open.

    A page's tables repeat its charts' figures and are rarely opened, but a closed expander's
    contents are still worked out and sent on every rerun (a grid, its CSV button and checkbox).
    Opening or closing it reruns the page; it stays open while the filters change.
    """
    box = st.expander(label, key=f"{SECTION_KEY_PREFIX}{_slug(filename)}", on_change="rerun")
    if box.open:
        with box:
            table(frame(), filename, **table_options)


def chosen_tab(tabs: Mapping[str, str], name: str) -> str:
    """The key of the tab chosen for this run among ``lazy_tabs(tabs, name)`` (``tabs`` maps each
    key to its label; the first is chosen at first), so that a page works out that tab's figures only."""
    chosen = st.session_state.get(f"{TABS_KEY_PREFIX}{_slug(name)}")
    return next((key for key, label in tabs.items() if label == chosen), next(iter(tabs)))


def lazy_tabs(tabs: Mapping[str, str], name: str) -> DeltaGenerator:
    """Tabs (``tabs`` maps each key to its label) of which only the chosen one (``chosen_tab``) is
    drawn: its container. Choosing another tab reruns the page."""
    containers = st.tabs(list(tabs.values()), key=f"{TABS_KEY_PREFIX}{_slug(name)}", on_change="rerun")
    return containers[list(tabs).index(chosen_tab(tabs, name))]


def table(
    df: pl.DataFrame,
    filename: str,
    *,
    column_config: dict[str, Any] | None = None,
    caption: str | None = None,
    height: int | str = "auto",
    download: pl.DataFrame | None = None,
) -> None:
    """A table with a 'Download CSV' button; child identifiers are never shown or exported.

    ``filename`` is a short name ('reviews_by_quarter'); the selection is added to it.
    ``download`` is the frame the CSV holds when it differs from the one shown (unrounded
    numbers behind a table of display text).
    """
    safe = _without_private(df)
    column_config = {**_thousands(safe), **(column_config or {})}
    grid(safe, filename, column_config=column_config, height=height)
    if not app_auth.may("download"):  # a viewer sees tables but cannot download them
        if caption:
            st.caption(caption)
        return
    exported = safe if download is None else _without_private(download)
    selection = state.selection_or_none()
    suffix = f"_{selection.file_suffix}" if selection else ""
    internal = any(dtype.is_numeric() for dtype in exported.schema.values()) and st.checkbox(
        "Unsuppressed figures: for internal use, not for publication",
        key=f"internal_{_slug(filename)}",
        help="By default the CSV suppresses small numbers below council level exactly as the committee papers "
        "do. Tick this for the unrounded, unsuppressed figures: never publish or share that file.",
    )
    name = f"{_slug(filename)}{suffix}{'_internal-not-for-publication' if internal else ''}.csv"
    st.download_button(
        "Download CSV",
        data=partial(_csv_for_download, exported, selection, internal),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
        key=f"download_{_slug(filename)}",
        icon=":material/download:",
        help=f"Save this table as {name}",
    )
    if caption:
        st.caption(caption)


def grid(data: Any, name: str, *, place: str | None = None, **dataframe_options: Any) -> None:
    """An ``st.dataframe`` with a keyboard user's way past it (issue 26, item 8).

    A grid takes about seven Tab stops (its toolbar, then the cells). Before it sits a link,
    hidden until it has focus, "Skip the <name> table", whose target is a focusable point just
    after the grid: one Tab and Enter move on to what follows. ``name`` says which table ("audit
    log", "reviews_by_quarter"); its slug makes the target's id, unique on a page per name, or
    ``place`` does where one name may come twice (a paper's tables).
    """
    target = f"after-{_slug(place or name)}"
    words = name.replace("_", " ")
    st.html(f'<a class="iro-skip-link" href="#{target}">Skip the {html.escape(words)} table</a>')
    st.dataframe(data, hide_index=True, **dataframe_options)
    st.html(f'<span class="iro-skip-target" id="{target}" tabindex="-1"></span>')


def table_height(rows: int) -> int:
    """The pixel height of an st.dataframe showing ``rows`` rows and its header, with no blank rows."""
    return (rows + 1) * 35 + 3


def _csv_for_download(frame: pl.DataFrame, selection: Selection | None, internal: bool) -> str:
    """The CSV a download button gives (built when clicked): suppressed by the period's disclosure
    table (the same cells as the committee papers), or unsuppressed for internal use; formula-like
    cells neutralised."""
    if internal or selection is None:
        return internal_csv(frame)
    return publishable_csv(frame, selection)


def _thousands(df: pl.DataFrame) -> dict[str, Any]:
    """Whole-number columns (integers, or floats holding only whole numbers) shown with thousands
    separators (2,065, not 2065); a page's own column_config for a column wins."""

    return {name: st.column_config.NumberColumn(format="localized") for name in whole_number_columns(df)}


def _without_private(df: pl.DataFrame) -> pl.DataFrame:
    return df.drop([c for c in df.columns if c in PERSONAL_COLUMNS])
