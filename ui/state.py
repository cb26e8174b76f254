"""The app's state: the dataset in use and the shared sidebar filters, made into one checked Selection.

The filters (dataset, financial year, quarter or whole year, areas, cohort) are widgets bound to the
URL's query parameters, so they survive page changes and a copied link reproduces the view. The
loaded dataset is cached once per folder and version. The selection is checked here, where it
enters, as ``iro_metrics.selection.Selection``; pages pass it on to ``iro_metrics`` typed.
"""

from __future__ import annotations

import gc
import logging
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

import pandas  # noqa: F401  (Streamlit loads it on a page's first table: here, before gc.freeze below)
import polars as pl
import pyarrow  # noqa: F401  (the same: loaded with this module, so the freeze covers it)
import streamlit as st

from iro_metrics import area_answers, codes, store
from iro_metrics.catalogue import Catalogue
from iro_metrics.dataset import Dataset, DatasetError, dataset_version, load_dataset
from iro_metrics.importer.quality import data_quality_note
from iro_metrics.indicators import breakdowns
from iro_metrics.pages.common import available_quarters, available_years, catalogue
from iro_metrics.periods import Period, bank_holidays, financial_quarter, financial_year, parse_period
from iro_metrics.selection import Selection, SelectionError, parse_cohort
from ui import app_auth, navigation

LOG = logging.getLogger("iro_explorer")
T = TypeVar("T")

DATASET_KEY = "dataset"
YEAR_KEY = "year"
QUARTER_KEY = "quarter"
AREA_KEY = "area"
COHORT_KEY = "cohort"

WHOLE_YEAR = "Whole year"
QUARTER_OPTIONS: tuple[str, ...] = (WHOLE_YEAR, "Q1", "Q2", "Q3", "Q4")

_SELECTION_STATE = "_iro_selection"
_EMPTY_SELECTION_STATE = "_iro_selection_empty"  # the chosen areas and cohort hold no children
_DATASET_STATE = "_iro_dataset_ref"
_DATASET_PROBLEM_STATE = "_iro_dataset_problem"
# What a link asked for that could not be shown: (notes, the year and areas shown instead). Kept
# while the filters still show that fallback (the widgets drop a bad value from the URL at once).
_DROPPED_STATE = "_iro_dropped_filters"

# --- Dataset ---------------------------------------------------------------------------------------


@st.cache_resource(max_entries=4, show_spinner="Loading the dataset…")
def cached_dataset(path: str, version: str) -> Dataset:
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
        ds = cached_dataset(str(path), version)
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
    navigation.ensure_entrypoint()
    ref = st.session_state.get(_DATASET_STATE)
    if ref is None:
        label, problems = st.session_state.get(_DATASET_PROBLEM_STATE, ("The dataset", ["it was not found"]))
        st.error(f"{label} cannot be shown. Problems found:\n\n" + "\n".join(f"- {p}" for p in problems[:20]))
        if len(problems) > 20:
            st.caption(f"… and {len(problems) - 20} more.")
        st.info("Choose another dataset in the sidebar, or import a corrected one on the Import page.")
        st.stop()
    path, version, _key = ref
    return cached_dataset(path, version)


def optional_dataset() -> Dataset | None:
    """The dataset in use, or None when none could be loaded (for pages that work without one)."""
    navigation.ensure_entrypoint()
    ref = st.session_state.get(_DATASET_STATE)
    return None if ref is None else cached_dataset(ref[0], ref[1])


def current_catalogue() -> Catalogue:
    """The indicator catalogue for the dataset in use (with the dataset's own overrides, if any)."""
    return catalogue(optional_dataset())


@st.cache_data(max_entries=16, show_spinner=False)
def filter_options(path: str, version: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The years, each year's quarters and the areas a dataset offers (cached per version)."""
    ds = cached_dataset(path, version)
    try:
        years = [p.label for p in available_years(ds)]
    except SelectionError:  # no reviews, so no period the data covers
        years = []
    quarters = {y: [f"Q{q.quarter}" for q in available_quarters(ds, parse_period(y))] for y in years}
    return years, quarters, ds.areas()


def current_dataset_key() -> str:
    """The key of the dataset in use (``shipped``, ``(IRO_DATASET)`` or an imported folder's name)."""
    navigation.ensure_entrypoint()
    ref = st.session_state.get(_DATASET_STATE)
    return ref[2] if ref else store.available_datasets()[0].key


# --- Shared filters -------------------------------------------------------------------------------


def period_chosen(year: str, quarter: str) -> Period:
    """The period the year and quarter filters choose ('2013-14' and 'Q4', or 'Whole year')."""
    fy = parse_period(year).fy
    return financial_year(fy) if quarter == WHOLE_YEAR else financial_quarter(fy, int(quarter[1]))


def _cohort_from_url() -> None:
    """Read a cohort written by hand in the URL in any case ('cohort=uasc') as its option."""
    raw = st.query_params.get(COHORT_KEY)
    labels = set(codes.COHORT_LABELS.values())
    if raw and raw not in labels:
        with suppress(SelectionError):  # not a cohort at all: the radio drops it and shows all children
            st.session_state[COHORT_KEY] = parse_cohort(raw)


def selection_filters(ds: Dataset) -> Selection | None:
    """Draw the shared sidebar filters (bound to the URL) for the dataset in use and check what they
    choose, once, into a Selection (None, after saying why, when the data covers no period)."""
    path, version, _key = st.session_state[_DATASET_STATE]
    years, quarters, known_areas = filter_options(path, version)
    areas_offered = app_auth.visible_areas(known_areas)  # an area-restricted viewer's own areas only
    asked_year = st.query_params.get(YEAR_KEY)  # read before the widgets drop what they cannot show
    asked_areas = st.query_params.get_all(AREA_KEY)
    if not years:
        st.sidebar.error("This dataset has no reviews, so it covers no period to show.")
        st.session_state.pop(_SELECTION_STATE, None)
        return None
    period = _period_filter(years, quarters)
    # Which area and cohort combinations hold no children at the period's end (East Kent has no
    # UASC), said before they are chosen. (Option labels cannot carry counts: the URL holds labels.)
    counts = option_counts(path, version, period.label)
    areas = _area_filter(areas_offered)
    _note_dropped_filters(
        area_answers.dropped_filter_notes(
            asked_year=asked_year,
            years=years,
            asked_areas=asked_areas,
            known_areas=known_areas,
            visible_areas=areas_offered,
        ),
        period.fy_label,
        areas,
    )
    cohort = _cohort_filter()
    try:
        selection = Selection.of(ds, period, areas, cohort)
    except SelectionError as error:
        st.sidebar.error(f"This choice cannot be shown: {error}. Choose another period, area or cohort.")
        st.session_state.pop(_SELECTION_STATE, None)
        return None
    _say_what_is_shown(selection, counts)
    st.session_state[_SELECTION_STATE] = selection
    return selection


def _period_filter(years: list[str], quarters: dict[str, list[str]]) -> Period:
    """The financial year and quarter (or whole year) widgets, read as one Period."""
    year = (
        st.sidebar.selectbox(
            "Financial year",
            years,
            index=len(years) - 1,
            key=YEAR_KEY,
            bind="query-params",
            help="April to March.",
        )
        or years[-1]
    )
    covered = set(quarters.get(year, []))
    quarter = (
        st.sidebar.radio(
            "Quarter or whole year",
            [q for q in QUARTER_OPTIONS if q == WHOLE_YEAR or q in covered],
            index=0,
            key=QUARTER_KEY,
            bind="query-params",
            horizontal=True,
            help="Q1 April to June, Q2 July to September, Q3 October to December, Q4 January to March.",
        )
        or WHOLE_YEAR
    )
    return period_chosen(year, quarter)


def _area_filter(areas_offered: list[str]) -> list[str]:
    """The areas widget (empty: the whole council)."""
    return st.sidebar.multiselect(
        "Areas",
        areas_offered,
        default=[],
        key=AREA_KEY,
        bind="query-params",
        placeholder="All areas",
        help="Leave empty for the whole council. Staffing and caseloads cover the IRO team serving the chosen "
        "areas where staffing is recorded per team, else the whole service.",
    )


def _cohort_filter() -> str:
    """The cohort widget (all children, UASC or citizen), reading a hand-written URL value in any case."""
    _cohort_from_url()
    cohort = st.sidebar.radio(
        "Children",
        codes.COHORTS,
        index=0,
        key=COHORT_KEY,
        bind="query-params",
        format_func=lambda c: codes.COHORT_LABELS[c],
        help="UASC: unaccompanied asylum-seeking children. Citizen: every other child.",
    )
    return cohort or "all"


def _say_what_is_shown(selection: Selection, counts: pl.DataFrame) -> None:
    """Under the filters: the period shown, a warning when the choice holds no children, and which
    area and cohort combinations are empty at the period's end."""
    st.sidebar.caption(f"Showing {selection.period.long_label}.")
    chosen_count = area_answers.children_in(counts, selection.areas, selection.cohort)
    st.session_state[_EMPTY_SELECTION_STATE] = chosen_count == 0
    if chosen_count == 0:
        st.sidebar.warning(
            f"No {area_answers.COHORT_WORDS[selection.cohort]} were in care in {selection.area_text} at the end "
            "of this period: choose another area or cohort.",
            icon=":material/warning:",
        )
    empty = area_answers.empty_combinations_text(shown(counts))  # only the areas this person may see
    if empty:
        st.sidebar.caption(f"At the end of this period: {empty}")


@st.cache_data(max_entries=64, show_spinner=False)
def option_counts(path: str, version: str, period: str) -> pl.DataFrame:
    """Children in care at the period's end by area and cohort (cached), for the empty-combination note."""
    ds = cached_dataset(path, version)
    if not ds.records_uasc:  # no UASC table: cohort counts would say "no UASC" wrongly
        return pl.DataFrame(schema={"area": pl.String, "all": pl.Int64, "uasc": pl.Int64, "citizen": pl.Int64})
    try:
        return breakdowns.area_cohort_counts(Selection.of(ds, period))
    except SelectionError:
        return pl.DataFrame(schema={"area": pl.String, "all": pl.Int64, "uasc": pl.Int64, "citizen": pl.Int64})


def _note_dropped_filters(notes: list[str], year: str, areas: list[str]) -> None:
    """Say, in the sidebar, what the link asked for that cannot be shown (kept until the filters change)."""
    if notes:
        st.session_state[_DROPPED_STATE] = (notes, year, list(areas))
    kept = st.session_state.get(_DROPPED_STATE)
    if kept is None:
        return
    if (kept[1], kept[2]) != (year, list(areas)):  # the person chose again: the note no longer applies
        st.session_state.pop(_DROPPED_STATE, None)
        return
    for note in kept[0]:
        st.sidebar.warning(note, icon=":material/filter_alt_off:")


def dropped_filter_notes() -> list[str]:
    """The notes on filters a link asked for that cannot be shown (empty when none), for the page."""
    kept = st.session_state.get(_DROPPED_STATE)
    return list(kept[0]) if kept else []


def selection_or_none() -> Selection | None:
    """The selection of this run, or None when the filters could not make one."""
    return st.session_state.get(_SELECTION_STATE)


def current_selection() -> Selection:
    """The shared sidebar filters as they stand in this run."""
    navigation.ensure_entrypoint()
    selection = st.session_state.get(_SELECTION_STATE)
    if selection is None:
        current_dataset()  # explains why no dataset could be loaded, and stops
        st.info("Choose a dataset in the sidebar first.")
        st.stop()
    return selection


def shown(result: T) -> T:
    """A computed result without anything about areas the signed-in person may not see."""
    ref = st.session_state.get(_DATASET_STATE)
    if ref is None:
        return result
    return app_auth.restrict(result, filter_options(ref[0], ref[1])[2])


def is_empty_selection() -> bool:
    """Whether the chosen areas and cohort hold no children at the period's end."""
    return bool(st.session_state.get(_EMPTY_SELECTION_STATE))
