"""What a manager sees in Chromium: charts you click choose the filters (and the URL follows), every
page passes an automated WCAG 2.2 AA check (axe-core), and every page is captured at 1024 and
1400 pixels wide."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    BLOCKING,
    axe_violations,
    choose_tab,
    screenshot,
    wait_for_app_run,
    wait_for_drawing,
)
from ui import navigation

pytestmark = pytest.mark.browser

# Every page of the one page list (ui/navigation.py), by its URL path ("" is the Overview).
PAGES = [p.address for p in navigation.PAGES]


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _settle(page) -> None:
    wait_for_app_run(page)
    page.wait_for_timeout(500)
    wait_for_app_run(page)
    wait_for_drawing(page)


def test_clicking_an_areas_bar_chooses_that_area_and_the_url_follows(app_url: str, page) -> None:
    page.goto(f"{app_url}/areas?year=2015-16")
    _settle(page)
    bar = page.locator(
        "[data-testid='stVegaLiteChart'] svg path[aria-roledescription='bar'][aria-label*='Area: East Kent;']"
    )
    expect(bar).to_have_count(1)
    bar.click()
    page.wait_for_function("() => window.location.search.includes('area=')")
    _settle(page)
    assert _query(page)["area"] == ["East Kent"]
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stMultiSelect")).to_contain_text("East Kent")
    expect(page.get_by_text("East Kent ·").first).to_be_visible()  # the page's caption covers East Kent
    # The link reproduces the view.
    page.goto(page.url)
    _settle(page)
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")).to_contain_text("East Kent")


def test_clicking_a_period_on_a_trend_chooses_that_period(app_url: str, page) -> None:
    page.goto(f"{app_url}/reviews?year=2015-16&quarter=Q4")
    _settle(page)
    # Axes and a screen reader read periods as people do ("Q1 2012-13", a point "Q2 2014-15: ...");
    # a point still selects by the data's key.
    point = page.locator(
        "[data-testid='stVegaLiteChart'] svg path[aria-roledescription='point'][aria-label^='Q2 2014-15']"
    ).first
    axis_labels = page.locator("[data-testid='stVegaLiteChart'] svg g.role-axis text")
    expect(axis_labels.filter(has_text="Q1 2012-13").first).to_be_attached()
    assert not axis_labels.filter(has_text="2012-13-Q1").count()
    point.click()
    page.wait_for_function("() => window.location.search.includes('year=2014-15')")
    _settle(page)
    query = _query(page)
    assert (query["year"], query["quarter"]) == (["2014-15"], ["Q2"])
    expect(page.get_by_text("Figures for Q2 2014-15").first).to_be_visible()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_no_serious_accessibility_violations(app_url: str, page, path: str) -> None:
    page.goto(f"{app_url}/{path}?year=2015-16&quarter=Q2")
    _settle(page)
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, blocking


@pytest.mark.parametrize("size", [(1024, 768), (1400, 1000)], ids=["1024", "1400"])
def test_every_page_at_both_sizes(app_url: str, browser, size: tuple[int, int]) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    context.set_default_timeout(120_000)
    tab = context.new_page()
    try:
        for path in PAGES:
            tab.set_viewport_size({"width": width, "height": height})
            tab.goto(f"{app_url}/{path}?year=2015-16&quarter=Q2")
            _settle(tab)
            # No card label is cut: each metric label's text fits its box.
            cut = tab.evaluate(
                """() => Array.from(document.querySelectorAll("[data-testid='stMetricLabel'] p, "
                    + "[data-testid='stMetricLabel'] div")).filter(e => e.scrollWidth > e.clientWidth + 1)
                    .map(e => e.innerText)"""
            )
            assert not cut, (path, width, cut)
            # docs/screenshots: the README's 1400-pixel shots keep their names; 1024-pixel ones add "-1024".
            screenshot(tab, f"{path or 'overview'}" + ("" if width == 1400 else f"-{width}"))
    finally:
        context.close()


def test_the_overview_shows_two_rows_of_cards_above_the_fold_at_1024x768(app_url: str, browser) -> None:
    # Issue 26 item 8: three cards above the fold was the most; four a row and less header space give eight.
    context = browser.new_context(viewport={"width": 1024, "height": 768}, device_scale_factor=1)
    context.set_default_timeout(120_000)
    tab = context.new_page()
    try:
        tab.goto(f"{app_url}/?year=2015-16&quarter=Q2")
        _settle(tab)
        fully_visible = tab.evaluate(
            """() => Array.from(document.querySelectorAll("[data-testid='stMetric']")).map(m =>
                m.closest("[data-testid='stColumn']").getBoundingClientRect())
                .filter(r => r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth).length"""
        )
        assert fully_visible >= 8, fully_visible
        # The two trend panels a row fit the main column: nothing of the chart is cut at 1024 px.
        main = tab.get_by_test_id("stMainBlockContainer").bounding_box()
        chart = tab.locator("[data-testid='stVegaLiteChart'] svg").first.bounding_box()
        assert chart["x"] + chart["width"] <= main["x"] + main["width"] + 1, (chart, main)
    finally:
        context.close()


def _tab_until(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has focus (fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never took focus in {limit} Tab presses")


def _in_a_grid(page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('[data-testid=stDataFrame]')")


def test_a_keyboard_user_skips_a_data_grid_with_one_link(app_url: str, page) -> None:
    """Issue 26, item 8: each grid costs about seven Tab stops (toolbar, then cells); the link before
    it, shown only while it has focus, moves focus to just after the grid."""
    page.goto(f"{app_url}/reviews?year=2015-16")
    _settle(page)
    choose_tab(page, "Participation")  # the tab holding the page's grid
    links = page.locator("a.iro-skip-link")
    expect(links).to_have_count(page.get_by_test_id("stDataFrame").count())
    expect(links.first).to_have_text("Skip the participation codes table")
    assert links.first.bounding_box()["width"] <= 1  # hidden from sight until it has focus
    page.get_by_test_id("stMain").locator("h1").first.evaluate("h => { h.tabIndex = -1; h.focus(); }")
    _tab_until(page, "a.iro-skip-link")
    assert links.first.bounding_box()["width"] > 100  # seen while focused
    stops_through_grid = 0
    page.keyboard.press("Tab")
    while _in_a_grid(page):
        stops_through_grid += 1
        page.keyboard.press("Tab")
    assert stops_through_grid >= 3  # what the link saves
    # Back to the link and through it: one Enter, and the next Tab lands after the grid.
    links.first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "after-participation_codes"
    page.keyboard.press("Tab")
    assert not _in_a_grid(page)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == (
        "Unsuppressed figures: for internal use, not for publication"
    )
