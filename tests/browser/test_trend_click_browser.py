"""Issue 26 item 3, in Chromium: a click on an Overview sparkline chooses the quarter clicked, not its
neighbour: each quarter's clickable band is at least 24 pixels wide as drawn."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import ARTIFACTS, choose_tab, screenshot, wait_for_app_run, wait_for_drawing

pytestmark = pytest.mark.browser


def _settle(page) -> None:
    wait_for_app_run(page)
    page.wait_for_timeout(500)
    wait_for_app_run(page)
    wait_for_drawing(page)


def _band(page, label_start: str) -> dict:
    """The bounding box, as drawn, of a sparkline period's clickable band."""
    band = page.locator(
        f"[data-testid='stVegaLiteChart'] svg path[aria-roledescription='rect mark'][aria-label^='{label_start}']"
    ).first
    band.scroll_into_view_if_needed()
    box = band.bounding_box()
    assert box is not None, label_start
    return box


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("quarter", ["Q3", "Q2"])
def test_a_click_on_a_sparkline_period_chooses_that_quarter(app_url: str, browser, width: int, quarter: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    context.set_default_timeout(120_000)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?year=2015-16&quarter=Q4")
        _settle(page)
        box = _band(page, f"Reviews on time, {quarter} 2014-15")
        after = _band(page, f"Reviews on time, Q{int(quarter[1]) + 1} 2014-15")
        # Issue 26 item 3: the hit area is at least 24 pixels wide, measured on the drawn marks, and
        # the next quarter's starts where this one's ends (they never overlap).
        assert box["width"] >= 24, box
        assert after["x"] - box["x"] >= 24 and after["x"] >= box["x"] + box["width"] - 0.5, (box, after)
        # A click 4 pixels inside the band's right edge (towards the next quarter) still chooses it.
        page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
        try:
            page.wait_for_function("() => window.location.search.includes('year=2014-15')", timeout=15000)
        except Exception as error:
            raise AssertionError(f"the click on {quarter} 2014-15 chose {page.url}") from error
        _settle(page)
        query = parse_qs(urlparse(page.url).query)
        assert (query["year"], query["quarter"]) == (["2014-15"], [quarter])
    finally:
        context.close()


@pytest.mark.parametrize("width", [1024, 1400])
@pytest.mark.parametrize("view", ["Two periods side by side", "At last year's rate", "What if… (staffing, UASC)"])
def test_each_compare_answer_opens_with_a_sentence_and_a_chart(app_url: str, browser, width: int, view: str) -> None:
    # Issue 26 items 6 and 8: the sentence, then the chart, captured at both widths.
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/compare?year=2015-16")
        _settle(page)
        page.get_by_test_id("stMain").get_by_text(view, exact=True).click()
        _settle(page)
        name = "".join(c for c in view.lower() if c.isalnum() or c == " ").replace(" ", "_")
        alert = page.get_by_test_id("stAlert").first
        chart = page.locator("[data-testid='stVegaLiteChart'] svg").first
        assert alert.is_visible() and chart.is_visible()
        assert alert.bounding_box()["y"] < chart.bounding_box()["y"]  # the sentence comes first
        screenshot(page, f"compare_{name}_{width}")
    finally:
        context.close()


@pytest.mark.parametrize(("path", "width"), [("reviews", 1024), ("areas", 1400), ("", 1400)])
def test_layout_screenshots(app_url: str, browser, path: str, width: int) -> None:
    # Issue 26 item 8: the participation chart at 1024 px, the Areas and How we compare tables at 1400 px.
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{path}?year=2015-16")
        _settle(page)
        screenshot(page, f"layout_{path or 'overview'}_{width}")
        if path == "reviews":  # the participation chart alone, to read its labels
            choose_tab(page, "Participation")
            screenshot(page, f"layout_{path}_participation_{width}")
            chart = page.locator("[data-testid='stVegaLiteChart']", has_text="How children took part").first
            chart.screenshot(path=str(ARTIFACTS / "layout_participation_1024.png"))
    finally:
        context.close()
