"""The first page prepared while the server starts (``serve.py``), not while its first visitor waits.

Importing this module loads what the first page needs (serve.py imports it before the server
starts); ``warm_up`` fills the same caches a session fills on its first run: the dataset the app
opens first (loaded once per server by ``state``), its sidebar options, the Overview's figures and
trend chart for the selection the app opens on (the newest financial year, every area, all
children) and its "How we compare" figures. A session then finds them ready. Nothing here decides
a figure: it calls the functions the page calls, with the page's default choices.
"""

from __future__ import annotations

import logging
import time

from iro_metrics import store
from iro_metrics.benchmarks.compare import how_we_compare
from iro_metrics.briefing.period_table import keep_decision, year_tables
from iro_metrics.charts import trends
from iro_metrics.dataset import dataset_version
from iro_metrics.pages.areas import areas_figures, prepare_areas_tables
from iro_metrics.pages.challenge import challenge_figures
from iro_metrics.pages.children import BREAKDOWNS, children_figures
from iro_metrics.pages.childrens_views import childrens_views_figures
from iro_metrics.pages.overview import overview_figures
from iro_metrics.pages.quality import quality_figures
from iro_metrics.pages.reviews import reviews_figures
from iro_metrics.selection import Selection
from ui import app_auth, how_we_compare_panel, navigation, show, state, widgets  # noqa: F401  (app.py's and the first page's imports, loaded before the server answers)

LOG = logging.getLogger("iro_explorer")


def warm_up() -> float:
    """Prepare the first page; return the seconds it took. A dataset that cannot be loaded is left
    for the page to explain (its problem is logged here)."""
    started = time.perf_counter()

    choice = store.available_datasets()[0]
    try:
        path, version = str(choice.path), dataset_version(choice.path)
        ds = state.cached_dataset(path, version)
        years, _quarters, _areas = state.filter_options(path, version)
        if years:
            period = state.period_chosen(years[-1], state.WHOLE_YEAR)
            state.option_counts(path, version, period.label)
            view = overview_figures(Selection.of(ds, period))
            trends.sparkline_grid_spec(view.trend, view.trend_panels, highlight=period.label, clickable=True)
        how_we_compare(ds)  # the Overview's "How we compare": whole-council figures, kept with the dataset
    except Exception:  # the page says what is wrong with the dataset when it is opened
        LOG.exception("preparing the first page of %s", choice.path)
    return time.perf_counter() - started


# How long the background warm-up waits for visitors' runs to finish before each step, at most: it
# gives way to a click, but a stream of clicks does not stop it for good.
GIVE_WAY_S = 10.0
_GIVE_WAY_POLL_S = 0.02


def give_way(longest: float = GIVE_WAY_S) -> None:
    """Wait while a visitor's script run is under way (``navigation.runs_under_way``), up to
    ``longest`` seconds: the warm-up's steps (0.1-17 s each at national scale) share the server's
    cores with the runs, and a click made meanwhile took twice as long."""
    deadline = time.monotonic() + longest
    while navigation.runs_under_way() and time.monotonic() < deadline:
        time.sleep(_GIVE_WAY_POLL_S)


def topic_pages(selection: Selection) -> None:
    """Each topic page's figures for ``selection`` with the page's first choices (the Children
    page's first breakdown tab, no IRO named): above all their yearly and quarterly trends, which
    the first visit to a page, or its first quarter chosen, would otherwise wait for (national
    scale: 1-2 s a page). Each gives way to visitors' runs first."""
    for figures_of in (
        lambda: children_figures(selection, breakdowns=(next(iter(BREAKDOWNS)),)),
        lambda: reviews_figures(selection),
        lambda: quality_figures(selection),
        lambda: challenge_figures(selection),
        lambda: childrens_views_figures(selection),
    ):
        give_way()
        figures_of()


def warm_up_quarters() -> float:
    """After the server answers: the Overview of the default selection's newest quarter (the
    headline indicators' quarterly trend, kept per areas and cohort), so that the first quarter a
    visitor picks finds it ready; then the topic pages' figures (``topic_pages``) for the newest
    year and its newest quarter; then the newest year's disclosure decision, which the Areas
    page, every download below council level and the committee paper ask (at national scale it
    takes most of the Areas page's first 15 s), and the Areas page's every-area tables of that
    year, both kept in the dataset's derived/ folder so a restart reads them back; then the earlier
    years' decisions, newest first; then the Areas page's tables of every period for all children,
    newest first. Each step first gives way to visitors' runs (``give_way``). Return the seconds
    it took; a failure is only logged."""
    started = time.perf_counter()
    choice = store.available_datasets()[0]
    try:
        path, version = str(choice.path), dataset_version(choice.path)
        ds = state.cached_dataset(path, version)
        years, quarters, _areas = state.filter_options(path, version)
        if years and quarters.get(years[-1]):
            give_way()
            overview_figures(Selection.of(ds, state.period_chosen(years[-1], quarters[years[-1]][-1])))
        if years:  # the topic pages opened on the newest year, then their first quarter chosen
            newest = [state.WHOLE_YEAR, *quarters.get(years[-1], [])[-1:]]
            for chosen in (Selection.of(ds, state.period_chosen(years[-1], q)) for q in newest):
                topic_pages(chosen)
        if years:
            year = state.period_chosen(years[-1], state.WHOLE_YEAR)
            give_way()
            keep_decision(ds, year)  # read back after a restart
            give_way()
            areas_figures(Selection.of(ds, year))  # the Areas page's tables, kept in derived/ too
            # Then every earlier year's decision, newest first: solved once per dataset and code
            # (0.5-1.3 s a year for a county, 13-17 s at national scale), so that no quarter of the
            # Areas page, no download and no paper waits for it, even on the first visit after an
            # import.
            for label in reversed(years[:-1]):
                give_way()
                keep_decision(ds, state.period_chosen(label, state.WHOLE_YEAR))
            # Then the Areas page's tables of every period for all children, newest first (0.5-1 s
            # a period at national scale, kept in derived/ too; those kept already are not read): a
            # quarter never viewed took 1-2 s on its first visit. A cohort's own tables are worked
            # out when first asked.
            for label in reversed(years):
                for quarter in [state.WHOLE_YEAR, *reversed(quarters.get(label, []))]:
                    give_way()
                    prepare_areas_tables(Selection.of(ds, state.period_chosen(label, quarter)))
            year_tables(ds, [year.fy])  # read last, so the newest year is among those held in memory
    except Exception:  # the page computes it when asked
        LOG.exception("preparing the quarters of %s", choice.path)
    return time.perf_counter() - started
