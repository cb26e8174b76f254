"""serve.py's warm-up (ui.warm_up): it fills the caches a session's first run reads, with the figures
that run would work out itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from iro_metrics.briefing import decision_store
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD
from iro_metrics.briefing.period_table import year_tables
from iro_metrics.dataset import dataset_version, load_dataset
from iro_metrics.pages.areas import areas_figures
from iro_metrics.pages.overview import overview_figures
from iro_metrics.selection import Selection
from iro_metrics.store import SHIPPED_DATASET
from tests.builders import copy_source_tables
from ui import state
from ui.warm_up import warm_up, warm_up_quarters


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "kent"
    copy_source_tables(SHIPPED_DATASET, folder)  # each test starts from no kept table
    monkeypatch.setenv("IRO_DATASET", str(folder))  # the dataset the app opens first
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    return folder


def test_the_warm_up_prepares_the_first_page_with_the_figures_a_session_would_compute(dataset: Path):
    assert warm_up() > 0
    path, version = str(dataset), dataset_version(dataset)
    ds = state.cached_dataset(path, version)
    assert state.cached_dataset(path, version) is ds  # a session's first run finds it loaded
    years = state.filter_options(path, version)[0]
    period = state.period_chosen(years[-1], state.WHOLE_YEAR)
    assert ("views.trend", "year", (), "all") in ds.memo.trends  # the Overview's trend, worked out
    assert ds.memo.council_figures  # How we compare's figures too

    fresh = overview_figures(Selection.of(load_dataset(dataset), period))
    warmed = overview_figures(Selection.of(ds, period))
    assert warmed.scorecard.equals(fresh.scorecard)
    assert warmed.trend.equals(fresh.trend)
    assert warmed.figures.equals(fresh.figures)


def test_the_quarters_are_prepared_after_the_first_page_with_the_figures_a_session_would_compute(dataset: Path):
    assert warm_up() > 0 and warm_up_quarters() > 0
    path, version = str(dataset), dataset_version(dataset)
    ds = state.cached_dataset(path, version)
    assert ("views.trend", "quarter", (), "all") in ds.memo.trends  # the headline quarterly trend
    years, quarters, _ = state.filter_options(path, version)
    for quarter in quarters[years[-1]]:  # any quarter of the newest year
        period = state.period_chosen(years[-1], quarter)
        fresh = overview_figures(Selection.of(load_dataset(dataset), period))
        warmed = overview_figures(Selection.of(ds, period))
        assert warmed.scorecard.equals(fresh.scorecard), quarter
        assert warmed.trend.equals(fresh.trend) and warmed.trend.height > 0, quarter


def test_the_newest_year_s_disclosure_decision_is_prepared_with_the_areas_page_s_figures(dataset: Path):
    assert warm_up() > 0 and warm_up_quarters() > 0
    path, version = str(dataset), dataset_version(dataset)
    ds = state.cached_dataset(path, version)
    years, quarters, _ = state.filter_options(path, version)
    year = state.period_chosen(years[-1], state.WHOLE_YEAR)
    table = ds.memo.period_tables[(year.label, DEFAULT_THRESHOLD)]
    assert table.families and len(table._solved) == len(set(table._components.values()))  # every group solved
    for period in (year, state.period_chosen(years[-1], quarters[years[-1]][0])):
        fresh = areas_figures(Selection.of(load_dataset(dataset), period))
        warmed = areas_figures(Selection.of(ds, period))
        assert warmed.slips.equals(fresh.slips), period.label


def test_every_year_s_decision_is_kept_after_the_newest(dataset: Path):
    # After the newest year, the warm-up keeps every earlier year's decision in derived/, so that the
    # first visit to any quarter after a restart (or an import) finds its year decided.
    assert warm_up() > 0 and warm_up_quarters() > 0
    years = state.filter_options(str(dataset), dataset_version(dataset))[0]
    kept = sorted(p.name for p in (dataset / "derived" / decision_store.DECISIONS_FOLDER).glob("*.npz"))
    assert kept == sorted(f"{label}-t{DEFAULT_THRESHOLD}.npz" for label in years)
    later = load_dataset(dataset)
    oldest = state.period_chosen(years[0], state.WHOLE_YEAR)
    assert year_tables(later, [oldest.fy])[oldest.fy].kept  # read back, not solved again


def test_a_dataset_that_cannot_be_loaded_is_left_for_the_page_to_explain(tmp_path, monkeypatch):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "dataset.toml").write_text("not = [valid", encoding="utf-8")
    monkeypatch.setenv("IRO_DATASET", str(broken))
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    assert warm_up() > 0  # no exception: the server still starts


def test_the_areas_tables_of_every_period_are_kept_for_all_children(dataset: Path):
    # Issue 27: a quarter never viewed took 1-2 s on the Areas page at national scale. The warm-up
    # keeps every period's every-area tables for all children, with the figures a session would
    # work out itself.
    assert warm_up() > 0 and warm_up_quarters() > 0
    years, quarters, _ = state.filter_options(str(dataset), dataset_version(dataset))
    periods = [state.period_chosen(y, q) for y in years for q in [state.WHOLE_YEAR, *quarters[y]]]
    kept = {p.name.removesuffix(".json") for p in (dataset / "derived" / "areas").glob("*.json")}
    assert kept == {f"{p.label}-all" for p in periods}
    later = load_dataset(dataset)  # reads them back
    for period in (periods[0], periods[len(periods) // 2]):
        fresh = areas_figures(Selection.of(load_dataset(dataset), period))
        warmed = areas_figures(Selection.of(later, period))
        assert warmed.slips.equals(fresh.slips) and warmed.table.equals(fresh.table), period.label


def test_the_topic_pages_are_prepared_for_the_newest_year_and_quarter(dataset: Path):
    # Issue 27: the first quarter chosen on the Children or Reviews page took 1.5-2 s at national
    # scale (their quarterly trends); the warm-up works out each topic page's figures for the newest
    # year and its newest quarter, the same as a session would.
    from iro_metrics.pages.children import children_figures
    from iro_metrics.pages.reviews import reviews_figures

    assert warm_up() > 0 and warm_up_quarters() > 0
    path, version = str(dataset), dataset_version(dataset)
    ds = state.cached_dataset(path, version)
    years, quarters, _ = state.filter_options(path, version)
    for quarter in (state.WHOLE_YEAR, quarters[years[-1]][-1]):
        period = state.period_chosen(years[-1], quarter)
        kind = period.kind
        for cohort in ("all", "uasc", "citizen"):  # the Children page's trend in care is by cohort
            assert ("views.trend", kind, (), cohort) in ds.memo.trends, (quarter, cohort)
        held = ds.memo.trends[("views.trend", kind, (), "all")][0]
        assert {"reviews_held", "children_starting_care", "caseload_per_fte_in_post"} <= held, quarter
        fresh_ds = load_dataset(dataset)
        warmed, fresh = children_figures(Selection.of(ds, period)), children_figures(Selection.of(fresh_ds, period))
        assert warmed.in_care_trend.equals(fresh.in_care_trend) and warmed.figures.equals(fresh.figures), quarter
        assert reviews_figures(Selection.of(ds, period)).figures.equals(
            reviews_figures(Selection.of(fresh_ds, period)).figures
        ), quarter


def test_the_background_warm_up_gives_way_to_a_visitor_s_run():
    # Issue 27: serve.py's background steps shared the two cores with visitors' runs, and a click
    # made meanwhile took twice as long. Before each step the warm-up waits while a run is under
    # way (app.py's entrypoint counts them), up to GIVE_WAY_S, so that a stream of clicks cannot
    # stop it for good.
    import threading
    import time

    from ui import navigation
    from ui.warm_up import give_way

    started, finish = threading.Event(), threading.Event()

    def visitor_run() -> None:
        with navigation.entrypoint():
            started.set()
            finish.wait(5)

    visitor = threading.Thread(target=visitor_run)
    visitor.start()
    started.wait(5)
    assert navigation.runs_under_way() == 1
    threading.Timer(0.3, finish.set).start()
    began = time.monotonic()
    give_way()
    waited = time.monotonic() - began
    visitor.join(5)
    assert 0.25 <= waited < 3 and navigation.runs_under_way() == 0
    # With no run under way it goes on at once; a run that never ends holds it only ``longest``.
    began = time.monotonic()
    give_way()
    assert time.monotonic() - began < 0.1
    finish.clear()
    started.clear()
    visitor = threading.Thread(target=visitor_run)
    visitor.start()
    started.wait(5)
    began = time.monotonic()
    give_way(longest=0.2)
    assert 0.15 <= time.monotonic() - began < 2
    finish.set()
    visitor.join(5)
