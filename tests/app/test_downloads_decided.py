"""Every download button of every page, for an area selection, takes its cells from the one
disclosure decision (issue 23, item 2): each cell the period table hides for its row's indicator,
area and period (the row's own period, the previous quarter, a year earlier) is the marker.

Streamlit runs the pages in this process, so ``st.download_button`` is wrapped to keep each
button's bytes (a deferred callable is called, as a click would)."""

from __future__ import annotations

import io

import polars as pl
import pytest
import streamlit as st

from iro_metrics.briefing import MARKER
from iro_metrics.briefing.period_table import period_table
from iro_metrics.catalogue import catalogue_for
from iro_metrics.dataset import load_dataset
from iro_metrics.periods import parse_period
from iro_metrics.selection import SelectionError
from iro_metrics.store import SHIPPED_DATASET
from tests.app.test_pages import each_tab_chosen, open_app, open_every_section, query_for
from ui.navigation import page_files_for

AREA, YEAR, QUARTER, COHORT = "East Kent", "2013-14", "Q2", "all"
PERIOD = f"{YEAR}-{QUARTER}"
# A cell column and the column naming its period (None: the row's "Period", else the selection's).
CELL_PERIODS = {
    "Value": None,
    "Numerator": None,
    "Denominator": None,
    "Area value": None,
    "Previous value": "Previous period",
    "Last year value": "Last year period",
}


@pytest.fixture
def downloads(tmp_path, monkeypatch):
    """{(page, label): csv text} for every download button of every page."""
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path))  # only the shipped dataset is offered
    monkeypatch.delenv("IRO_DATASET", raising=False)
    caught: dict[tuple[str, str], str] = {}
    original = st.download_button
    current = {"page": ""}

    def keeping(label, data, *args, **kwargs):
        body = data() if callable(data) else data
        caught[(current["page"], f"{label} #{len(caught)}")] = (
            body.decode(errors="replace") if isinstance(body, bytes) else str(body)
        )
        return original(label, body, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", keeping)
    at = open_app(query_for(COHORT, YEAR, QUARTER, (AREA,)))
    for page in page_files_for(None):
        current["page"] = page
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        open_every_section(at)  # the tables drawn only when their section is opened
        each_tab_chosen(at)  # and the tabs drawn only when chosen
        assert not at.exception, (page, at.exception)
        if page == "pages/briefing.py" and any(b.key == "build_paper" for b in at.button):
            at.button(key="build_paper").click().run()
    return caught


def _period(label: object):
    try:
        return parse_period(str(label))
    except SelectionError:
        return None


def test_every_download_of_every_page_takes_the_decision(downloads):
    ds = load_dataset(SHIPPED_DATASET)
    cat = catalogue_for(SHIPPED_DATASET)
    by_title = {cat[i].title: i for i in cat.ids()}
    areas = set(ds.areas())
    checked = hidden = 0
    leaks = []
    csvs = [(k, t) for k, t in downloads.items() if t.strip() and not k[1].endswith((".md)", ".docx)", ".zip)"))]
    for (page, label), text in csvs:
        try:
            frame = pl.read_csv(io.StringIO(text), infer_schema=False)
        except pl.exceptions.PolarsError:
            continue
        if "Indicator" not in frame.columns:
            continue
        wide = [c for c in frame.columns if c in areas]
        for row in frame.iter_rows(named=True):
            indicator = row["Indicator"] if row["Indicator"] in cat else by_title.get(row["Indicator"])
            if indicator is None:
                continue
            row_area = [row["Area"]] if row.get("Area") in areas else [AREA]
            row_period = _period(row.get("Period")) or parse_period(PERIOD)
            cells = [(c, row_area, _period(row.get(p)) if p else row_period) for c, p in CELL_PERIODS.items()]
            cells += [(c, [c], row_period) for c in wide]
            for column, chosen, period in cells:
                if column not in frame.columns or period is None or row[column] in (None, ""):
                    continue
                checked += 1
                if period_table(ds, period).suppressed(indicator, chosen, COHORT):
                    hidden += 1
                    if row[column] != MARKER:
                        leaks.append((page, label, indicator, column, period.label, row[column]))
    assert checked > 500 and hidden > 100, (checked, hidden, sorted(downloads))  # the walk found the tables
    assert not leaks, leaks
