"""Streamlit glue shared by app.py and every page: the dataset, the filters, tables, charts, help.

Pages import only this module and ``iro_metrics``. The shared sidebar filters (dataset, financial
year, quarter or whole year, areas, cohort) are widgets bound to the URL's query parameters, so
they survive page changes and a copied link reproduces the view. The loaded dataset is cached
once per folder and version; page aggregates are cached by plain arguments (view name, dataset
version, period label, areas, cohort) so a filter change recomputes only what depends on it.
"""

from __future__ import annotations

import gc
import importlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import app_auth
from iro_metrics import area_answers, charts, codes, store, theme, views
from iro_metrics.catalogue import Catalogue
from iro_metrics.dataset import Dataset, DatasetError, dataset_version, load_dataset
from iro_metrics.importer.quality import data_quality_note
from iro_metrics.indicators import SelectionError
from iro_metrics.periods import Period, bank_holidays, financial_quarter, financial_year, parse_period
from iro_metrics.tables import PERSONAL_COLUMNS
from iro_metrics.wording import period_text

LOG = logging.getLogger("iro_explorer")

# Query-parameter names (the URL is part of the product: keep these stable).
DATASET_KEY = "dataset"
YEAR_KEY = "year"
QUARTER_KEY = "quarter"
AREA_KEY = "area"
COHORT_KEY = "cohort"

WHOLE_YEAR = "Whole year"
QUARTER_OPTIONS: tuple[str, ...] = (WHOLE_YEAR, "Q1", "Q2", "Q3", "Q4")


ERROR_MESSAGE = (
    "Sorry, this view could not be drawn. The problem has been logged; try another selection, or reload the page."
)

_SELECTION_STATE = "_iro_selection"
_EMPTY_SELECTION_STATE = "_iro_selection_empty"  # the chosen areas and cohort hold no children
_DATASET_STATE = "_iro_dataset_ref"
_DATASET_PROBLEM_STATE = "_iro_dataset_problem"


@dataclass(frozen=True)
class Selection:
    """The shared filters: a period, the areas chosen (empty = every area) and a cohort."""

    period: Period
    areas: tuple[str, ...]
    cohort: str

    @property
    def area_text(self) -> str:
        return "all areas" if not self.areas else ", ".join(self.areas)

    @property
    def cohort_text(self) -> str:
        return codes.COHORT_LABELS.get(self.cohort, self.cohort)

    @property
    def description(self) -> str:
        """One line saying what the figures on screen cover."""
        return f"{self.period.long_label} · {self.area_text} · {self.cohort_text}"

    @property
    def file_suffix(self) -> str:
        """A short, file-name-safe description for downloads."""
        areas = "all-areas" if not self.areas else "-".join(self.areas)
        return _slug(f"{self.period.label}_{areas}_{self.cohort}")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-").lower()


# --- Page style ------------------------------------------------------------------------------------

# Card labels wrap instead of being cut. Captions in GOV.UK secondary text (#505A5F, 7:1 on white;
# Streamlit's grey was 3.9:1, below WCAG AA). A keyboard focus ring anyone can see (GOV.UK's:
# yellow with a black edge). Fewer tab stops per chart and table: the toolbar keeps "Show data"
# and "Fullscreen" and drops what the page offers better elsewhere (each table's "Download CSV"
# button) or should not offer (the chart's raw Vega-Lite spec and an unlabelled PNG).
PAGE_STYLE = """<style>
:focus-visible, [data-testid="stSidebar"] :focus-visible {
  outline: 3px solid #FFDD00 !important; outline-offset: 0 !important; box-shadow: 0 0 0 6px #0B0C0C !important;
}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p { color: #505A5F !important; opacity: 1 !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] div, [data-testid="stMetricLabel"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto !important;
}
[data-testid="stElementToolbar"] button[aria-label="Copy Vega-Lite spec"],
[data-testid="stElementToolbar"] button[aria-label="Download as PNG"],
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none !important; }
</style>"""


def page_style() -> None:
    """The app's few style rules (focus ring, slimmer chart and table toolbars), once per run."""
    st.html(PAGE_STYLE)


# --- Entry point ----------------------------------------------------------------------------------


def _ensure_entrypoint() -> None:
    """Make sure this run went through app.py (navigation and the shared filters).

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until the first
    ``st.navigation`` call, and until then runs a page file on its own (a deep link opened just
    after the server starts, or every AppTest run). A page that finds itself run that way
    switches the legacy mode off and reruns, so app.py draws the sidebar and runs the page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# --- Dataset ---------------------------------------------------------------------------------------


@st.cache_resource(max_entries=4, show_spinner="Loading the dataset…")
def _load_dataset(path: str, version: str) -> Dataset:
    """Load a dataset folder once per (path, version); a new version loads afresh."""
    del version  # part of the cache key only
    ds = load_dataset(Path(path))
    _freeze_long_lived_objects()
    return ds


def _freeze_long_lived_objects() -> None:
    """Take the modules and the dataset out of the garbage collector's sight.

    Streamlit runs a full garbage collection after every script run (runner.postScriptGC). With
    pandas, pyarrow, Altair and Polars loaded, that pass walks some 150,000 long-lived objects
    and took 90-120 ms of every rerun. Objects made after the freeze are collected as before.
    """
    import pandas  # noqa: F401  (Streamlit imports pandas and pyarrow on a page's first table)
    import pyarrow  # noqa: F401

    bank_holidays()  # the holidays package builds its calendars on first use
    gc.collect()
    gc.freeze()


def dataset_selector() -> Dataset | None:
    """Draw the dataset choice in the sidebar, load it (cached) and say which dataset is in use.

    Returns None, after showing why, when the dataset cannot be loaded.
    """
    choices = {choice.key: choice for choice in store.available_datasets()}
    keys = list(choices)
    key = st.sidebar.selectbox(
        "Dataset",
        keys,
        index=0,
        key=DATASET_KEY,
        bind="query-params",
        help="The shipped synthetic dataset, a dataset imported on the Import page, or the folder named by "
        "IRO_DATASET when the app was started with it.",
    )
    choice = choices.get(key) or choices[keys[0]]
    path = choice.path
    st.session_state.pop(_DATASET_PROBLEM_STATE, None)
    try:
        version = dataset_version(path) if path.is_dir() else "missing"
        ds = _load_dataset(str(path), version)
    except DatasetError as error:
        st.session_state[_DATASET_PROBLEM_STATE] = (choice.label, [str(p) for p in error.problems])
        st.session_state.pop(_DATASET_STATE, None)
        st.session_state.pop(_SELECTION_STATE, None)
        st.sidebar.error(f"{choice.label} cannot be read.")
        return None
    except Exception as error:  # a folder that is not a dataset at all, unreadable files ...
        LOG.exception("loading dataset %s", path)
        st.session_state[_DATASET_PROBLEM_STATE] = (choice.label, [f"{path}: {error}"])
        st.session_state.pop(_DATASET_STATE, None)
        st.session_state.pop(_SELECTION_STATE, None)
        st.sidebar.error(f"{choice.label} cannot be read.")
        return None
    st.session_state[_DATASET_STATE] = (str(path), version, key)
    kind = "synthetic data" if ds.is_synthetic else "imported data"
    st.sidebar.caption(f"In use: **{ds.name}** · {kind}")
    note = data_quality_note(ds)  # what the import set aside: every page of the dataset says so
    if note:
        st.sidebar.caption(f":material/info: {note}")
    return ds


def current_dataset() -> Dataset:
    """The dataset chosen in the sidebar (loaded once, cached by path and version).

    When it cannot be loaded, shows every problem found and stops the page.
    """
    _ensure_entrypoint()
    ref = st.session_state.get(_DATASET_STATE)
    if ref is None:
        label, problems = st.session_state.get(_DATASET_PROBLEM_STATE, ("The dataset", ["it was not found"]))
        st.error(f"{label} cannot be shown. Problems found:\n\n" + "\n".join(f"- {p}" for p in problems[:20]))
        if len(problems) > 20:
            st.caption(f"… and {len(problems) - 20} more.")
        st.info("Choose another dataset in the sidebar, or import a corrected one on the Import page.")
        st.stop()
    path, version, _key = ref
    return _load_dataset(path, version)


def optional_dataset() -> Dataset | None:
    """The dataset in use, or None when none could be loaded (for pages that work without one)."""
    _ensure_entrypoint()
    ref = st.session_state.get(_DATASET_STATE)
    return None if ref is None else _load_dataset(ref[0], ref[1])


def current_catalogue() -> Catalogue:
    """The indicator catalogue for the dataset in use (with the dataset's own overrides, if any)."""
    return views.catalogue(optional_dataset())


@st.cache_data(max_entries=16, show_spinner=False)
def _filter_options(path: str, version: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The years, each year's quarters and the areas a dataset offers (cached per version)."""
    ds = _load_dataset(path, version)
    try:
        years = [p.label for p in views.available_years(ds)]
    except SelectionError:  # no reviews, so no period the data covers
        years = []
    quarters = {y: [f"Q{q.quarter}" for q in views.available_quarters(ds, y)] for y in years}
    return years, quarters, ds.areas()


def current_dataset_key() -> str:
    """The key of the dataset in use (``shipped``, ``(IRO_DATASET)`` or an imported folder's name)."""
    _ensure_entrypoint()
    ref = st.session_state.get(_DATASET_STATE)
    return ref[2] if ref else store.available_datasets()[0].key


# --- Shared filters -------------------------------------------------------------------------------


def selection_filters() -> Selection:
    """Draw the shared sidebar filters (bound to the URL) for the dataset in use; return the selection."""
    path, version, _key = st.session_state[_DATASET_STATE]
    years, quarters, areas_offered = _filter_options(path, version)
    areas_offered = app_auth.visible_areas(areas_offered)  # an area-restricted viewer's own areas only
    if not years:
        years = [financial_year(2013).label]
    year = st.sidebar.selectbox(
        "Financial year",
        years,
        index=len(years) - 1,
        key=YEAR_KEY,
        bind="query-params",
        help="April to March.",
    )
    covered = set(quarters.get(year or years[-1], []))
    quarter = st.sidebar.radio(
        "Quarter or whole year",
        [q for q in QUARTER_OPTIONS if q == WHOLE_YEAR or q in covered],
        index=0,
        key=QUARTER_KEY,
        bind="query-params",
        horizontal=True,
        help="Q1 April to June, Q2 July to September, Q3 October to December, Q4 January to March.",
    )
    # Which area and cohort combinations hold no children at the period's end (East Kent has no
    # UASC), said before they are chosen. (Option labels cannot carry counts: the URL holds labels.)
    counts = _option_counts(path, version, make_selection(year or years[-1], quarter or WHOLE_YEAR, [], "all"))
    areas = st.sidebar.multiselect(
        "Areas",
        areas_offered,
        default=[],
        key=AREA_KEY,
        bind="query-params",
        placeholder="All areas",
        help="Leave empty for the whole council. Staffing and caseloads always cover the whole service.",
    )
    cohort = st.sidebar.radio(
        "Children",
        codes.COHORTS,
        index=0,
        key=COHORT_KEY,
        bind="query-params",
        format_func=lambda c: codes.COHORT_LABELS[c],
        help="UASC: unaccompanied asylum-seeking children. Citizen: every other child.",
    )
    selection = make_selection(year or years[-1], quarter or WHOLE_YEAR, areas, cohort or "all")
    st.sidebar.caption(f"Showing {selection.period.long_label}.")
    chosen_count = area_answers.children_in(counts, selection.areas, selection.cohort)
    st.session_state[_EMPTY_SELECTION_STATE] = chosen_count == 0
    if chosen_count == 0:
        st.sidebar.warning(
            f"No {area_answers.COHORT_WORDS[selection.cohort]} were in care in {selection.area_text} at the end "
            "of this period: choose another area or cohort.",
            icon=":material/warning:",
        )
    empty = area_answers.empty_combinations_text(counts)
    if empty:
        st.sidebar.caption(f"At the end of this period: {empty}")
    st.session_state[_SELECTION_STATE] = selection
    return selection


@st.cache_data(max_entries=64, show_spinner=False)
def _option_counts_cached(path: str, version: str, period: str) -> pl.DataFrame:
    ds = _load_dataset(path, version)
    if not ds.records_uasc:  # no UASC table: cohort counts would say "no UASC" wrongly
        return pl.DataFrame(schema={"area": pl.String, "all": pl.Int64, "uasc": pl.Int64, "citizen": pl.Int64})
    try:
        return area_answers.area_cohort_counts(ds, period)
    except SelectionError:
        return pl.DataFrame(schema={"area": pl.String, "all": pl.Int64, "uasc": pl.Int64, "citizen": pl.Int64})


def _option_counts(path: str, version: str, selection: Selection) -> pl.DataFrame:
    """Children in care at the period's end by area and cohort (cached), for the empty-combination note."""
    return _option_counts_cached(path, version, selection.period.label)


def make_selection(year: str, quarter: str, areas: Iterable[str], cohort: str) -> Selection:
    """A Selection from the filters' values (year label, 'Whole year' or 'Q1'..'Q4', areas, cohort)."""
    fy = parse_period(year).fy
    period = financial_year(fy) if quarter == WHOLE_YEAR else financial_quarter(fy, int(quarter[1]))
    return Selection(period, tuple(sorted(areas)), cohort)


def current_selection() -> Selection:
    """The shared sidebar filters as they stand in this run."""
    _ensure_entrypoint()
    selection = st.session_state.get(_SELECTION_STATE)
    if selection is None:
        current_dataset()  # explains why no dataset could be loaded, and stops
        st.info("Choose a dataset in the sidebar first.")
        st.stop()
    return selection


def page_header(title: str, intro: str | None = None, *, say_when_empty: bool = True) -> Selection:
    """The page title, what the page answers and what the figures cover; returns the selection.

    When the chosen areas and cohort hold no children at the period's end (East Kent has no
    UASC), the page says so above its zeros and dashes (``say_when_empty=False`` for a page that
    says it in its own words)."""
    st.title(title)
    selection = current_selection()
    if intro:
        st.write(intro)
    st.caption(f"Figures for {selection.description}.")
    if say_when_empty and st.session_state.get(_EMPTY_SELECTION_STATE):
        st.info(
            f"No {area_answers.COHORT_WORDS[selection.cohort]} were in care in {selection.area_text} at the end of "
            f"{period_text(selection.period.label)}: counts below are zero and a rate with nothing to count "
            "shows –. Choose another area or cohort in the sidebar.",
            icon=":material/info:",
        )
    return selection


# --- Cached aggregates ----------------------------------------------------------------------------


@st.cache_data(max_entries=512, show_spinner="Working out the figures…")
def _cached_call(
    module: str,
    name: str,
    dataset_path: str,
    dataset_version_key: str,
    period: str | None,
    areas: tuple[str, ...],
    cohort: str,
    options: tuple[tuple[str, Any], ...],
) -> Any:
    ds = _load_dataset(dataset_path, dataset_version_key)
    func = getattr(importlib.import_module(module), name)
    kwargs = dict(options)
    if period is None:
        return func(ds, areas=list(areas) or None, cohort=cohort, **kwargs)
    return func(ds, period, areas=list(areas) or None, cohort=cohort, **kwargs)


def compute(func: Callable[..., Any], *, with_period: bool = True, **options: Any) -> Any:
    """Call an ``iro_metrics`` function for the current dataset and selection, cached.

    ``func(ds, period_label, areas=..., cohort=..., **options)`` (or without the period when
    ``with_period`` is False). The cache key is plain values only: the function's name, the
    dataset's path and version, the period label, the areas, the cohort and the options.
    """
    ds_ref = st.session_state.get(_DATASET_STATE)
    if ds_ref is None:
        current_dataset()  # explains and stops
    path, version, _key = ds_ref
    selection = current_selection()
    try:
        result = _cached_call(
            func.__module__,
            func.__name__,
            path,
            version,
            selection.period.label if with_period else None,
            selection.areas,
            selection.cohort,
            tuple(sorted(options.items())),
        )
        return app_auth.restrict(result, _filter_options(path, version)[2])  # nothing about others' areas
    except SelectionError as error:
        no_data(f"This selection cannot be shown: {error}. Choose another period, area or cohort.")
        st.stop()


# --- Drawing --------------------------------------------------------------------------------------


def _picked(key: str, param: str) -> None:
    """A click on a chart (its ``on_select``): the area or period it picked becomes the sidebar filter.

    Runs before the rerun, so the filter widgets (bound to the URL) take the new value and the URL
    follows. A click on empty space (no point) changes nothing.
    """
    state = st.session_state.get(key) or {}
    points = (state.get("selection") or {}).get(param) or []
    if param == charts.AREA_PICK:
        areas = sorted({p["area"] for p in points if isinstance(p, dict) and p.get("area")})
        if areas:
            st.session_state[AREA_KEY] = areas
    elif param == charts.PERIOD_PICK:
        labels = [p["period"] for p in points if isinstance(p, dict) and p.get("period")]
        if labels:
            period = parse_period(labels[0])
            st.session_state[YEAR_KEY] = period.fy_label
            st.session_state[QUARTER_KEY] = WHOLE_YEAR if period.kind == "year" else f"Q{period.quarter}"


def show_chart(
    chart: alt.TopLevelMixin | dict,
    alt_text: str | None = None,
    *,
    key: str | None = None,
    pick: str | None = None,
) -> None:
    """Draw a chart (an Altair chart, or a spec from ``charts``) at full width with its alt text.

    The alt text is the chart's description (every ``iro_metrics.charts`` chart writes one, and the
    browser reads it as the chart's accessible name); ``alt_text`` replaces it. ``pick``
    (``charts.AREA_PICK`` or ``charts.PERIOD_PICK``, with a ``key``) makes a click on the chart
    choose that area or period in the sidebar filters.
    """
    # The spec without Altair's schema check (the tests check every chart's spec in full): the
    # check took longer than the rest of a rerun. Chart data are small aggregates, sent inline.
    spec = chart if isinstance(chart, dict) else charts.chart_spec(chart)
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


def show_trend(trend: pl.DataFrame, *, key: str | None = None, **chart_options: Any) -> None:
    """A trend line chart (``charts.trend_chart``), or a clear message when no period has a value."""
    if trend.is_empty() or not trend.get_column("value").is_not_null().any():
        title = chart_options.get("title", "this chart")
        no_data(f"There are no figures for {title[:1].lower() + title[1:]} in the data for this selection.")
        return
    selection = st.session_state.get(_SELECTION_STATE)
    if selection is not None:  # mark the selected period (when the chart holds it)
        chart_options.setdefault("highlight", selection.period.label)
    clickable = key is not None  # a click on a period's point selects that period
    chart = charts.trend_chart(trend, clickable=clickable, **chart_options)
    show_chart(chart, key=key, pick=charts.PERIOD_PICK if clickable else None)


def show_table(
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
    st.dataframe(safe, hide_index=True, column_config=column_config, height=height)
    if not app_auth.may("download"):  # a viewer sees tables but cannot download them
        if caption:
            st.caption(caption)
        return
    exported = safe if download is None else _without_private(download)
    selection = st.session_state.get(_SELECTION_STATE)
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
        data=partial(_csv_for_download, exported, optional_dataset(), selection, internal),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
        key=f"download_{_slug(filename)}",
        icon=":material/download:",
        help=f"Save this table as {name}",
    )
    if caption:
        st.caption(caption)


def table_height(rows: int) -> int:
    """The pixel height of an st.dataframe showing ``rows`` rows and its header, with no blank rows."""
    return (rows + 1) * 35 + 3


def _csv_for_download(frame: pl.DataFrame, ds: Dataset | None, selection: Selection | None, internal: bool) -> str:
    """The CSV a download button gives (built when clicked): suppressed by the period's disclosure
    table (the same cells as the committee papers), or unsuppressed for internal use; formula-like
    cells neutralised."""
    from iro_metrics.briefing.downloads import internal_csv, publishable_csv

    if internal or ds is None or selection is None:
        return internal_csv(frame)
    return publishable_csv(ds, frame, selection.period, selection.areas or None, selection.cohort)


def _thousands(df: pl.DataFrame) -> dict[str, Any]:
    """Whole-number columns (integers, or floats holding only whole numbers) shown with thousands
    separators (2,065, not 2065); a page's own column_config for a column wins."""

    def whole(name: str, dtype: pl.DataType) -> bool:
        if dtype.is_integer():
            return True
        if not dtype.is_float():
            return False
        values = df.get_column(name).drop_nulls().drop_nans()
        return values.len() > 0 and bool((values == values.round(0)).all()) and bool(values.abs().max() >= 1000)

    return {
        name: st.column_config.NumberColumn(format="localized")
        for name, dtype in df.schema.items()
        if whole(name, dtype)
    }


def _without_private(df: pl.DataFrame) -> pl.DataFrame:
    return df.drop([c for c in df.columns if c in PERSONAL_COLUMNS])


def no_data(message: str) -> None:
    """Say clearly that the selection has nothing to show (instead of an empty chart)."""
    st.info(message, icon=":material/info:")


def no_data_message(what: str, selection: Selection | None = None) -> str:
    """'There are no <what> for <selection>.' with a hint to widen the filters."""
    selection = selection or current_selection()
    return f"There are no {what} for {selection.description}. Try another period, more areas or all children."


def indicator_help(ids: Sequence[str], *, label: str = "Definitions") -> None:
    """A popover with each indicator's title and definition from the catalogue (one click away)."""
    catalogue = current_catalogue()
    known = [i for i in ids if i in catalogue]
    if not known:
        return
    with st.popover(label, icon=":material/help:"):
        for indicator in known:
            meta = catalogue[indicator]
            st.markdown(f"**{meta.title}** (`{meta.id}`)\n\n{meta.definition}\n\n*{views.judging_text(meta)}*")


def change_lines(row: dict[str, Any], previous_label: str, last_year_label: str) -> list[str]:
    """A card's comparison lines ('vs Q3 2013-14: +0.6 pts ↑ Improving performance'), from a row
    holding previous/last-year change texts and directions (the Overview's scorecard or
    ``cards.card_changes``). A year's previous period is last year already: one line then."""
    comparisons = [(previous_label, row["previous_change_text"], row["direction_vs_previous"])]
    if last_year_label != previous_label:
        comparisons.append((last_year_label, row["last_year_change_text"], row["direction_vs_last_year"]))
    lines = []
    for label, change_text, direction in comparisons:
        label = period_text(label)
        if direction is None:
            lines.append(f"<small>vs {label}: no figure to compare</small>")
        else:
            mark = theme.direction_mark(direction)
            # On a card the rating line already says "no optimum defined": the direction need not.
            words = mark.label.removesuffix(" (no optimum defined)")
            lines.append(f"<small>vs {label}: {change_text} {mark_html(mark, words)}</small>")
    return lines


def metric_row(
    view: views.PageView,
    indicators: Sequence[str],
    *,
    per_row: int = 3,
    changes: pl.DataFrame | None = None,
) -> None:
    """One st.metric per indicator (the period's value as displayed), with its definition as help.

    ``changes`` (``cards.card_changes``) adds the Overview's lines under each value: the change
    against the previous period and the same period last year, with its direction in symbol and
    words.
    """
    change_rows = {r["indicator"]: r for r in changes.iter_rows(named=True)} if changes is not None else {}
    catalogue = current_catalogue()
    shown = [i for i in indicators if not view.figures.filter(pl.col("indicator") == i).is_empty()]
    titles = [catalogue[i].title if i in catalogue else i for i in shown]
    labels = {
        i: f"{t} (%)" if titles.count(t) > 1 and i in catalogue and catalogue[i].unit == "pct" else t
        for i, t in zip(shown, titles, strict=True)
    }
    for start in range(0, len(shown), per_row):
        columns = st.columns(per_row)
        for column, indicator in zip(columns, shown[start : start + per_row], strict=False):
            meta = catalogue.get(indicator)
            missing, base, scope = view.not_recorded(indicator), view.base(indicator), view.scope(indicator)
            row = change_rows.get(indicator)
            with column, st.container(border=True):
                st.metric(
                    labels[indicator],
                    view.display(indicator),
                    help=f"{meta.definition} {views.judging_text(meta)}" if meta else None,
                )
                if missing:  # not recorded is not zero: say why, and what to import to get it
                    st.caption(missing)
                elif base:  # a percentage on a small base shows its base
                    st.caption(f"Small base: {base}")
                if scope and not missing:  # what a staffing or caseload figure covers
                    st.caption(f"Covers: {scope}")
                if row is not None:
                    lines = change_lines(row, row["previous_period"], row["last_year_period"])
                    st.markdown("<br>".join(lines), unsafe_allow_html=True)


def mark_html(mark: theme.Mark, text: str | None = None) -> str:
    """A rating or direction as coloured symbol plus words (colour is never the only cue)."""
    words = text if text is not None else mark.label
    return f'<span style="color:{mark.colour};font-weight:600">{mark.symbol} {words}</span>'


def legend() -> None:
    """The legend the seed reports use: directions and RAG ratings, symbol and words together."""
    directions = " &nbsp; ".join(mark_html(theme.DIRECTION[k]) for k in ("improving", "unchanged", "declining"))
    ratings = " &nbsp; ".join(mark_html(m) for m in theme.RAG.values())
    st.markdown(
        f"<small>**Direction:** {directions}<br>**Rating:** {ratings}</small>",
        unsafe_allow_html=True,
    )


@contextmanager
def friendly_errors(what: str = "this page") -> Iterator[None]:
    """Turn any unexpected error into a plain message (the details go to the server log)."""
    try:
        yield
    except Exception:
        LOG.exception("error drawing %s", what)
        st.error(ERROR_MESSAGE, icon=":material/error:")
