"""The explorer in a real browser: every page draws, filters live in the URL, a copied link
reproduces the view. Screenshots of each page go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, wait_for_app_run, wait_for_drawing
from ui import navigation

pytestmark = pytest.mark.browser

# Every page of the one page list (ui/navigation.py): its URL path ("" is the Overview) and h1.
# Single-user mode: the one person is an importer and sees every page.
PAGES: dict[str, str] = {p.address: p.h1 for p in navigation.PAGES}
FRIENDLY_ERROR = "Sorry, this view could not be drawn"


def metrics(page) -> dict[str, str]:
    """Every st.metric on the page: label -> value as displayed."""
    out: dict[str, str] = {}
    for metric in page.locator("[data-testid='stMetric']").all():
        label = metric.locator("[data-testid='stMetricLabel']").inner_text().strip()
        out[label] = metric.locator("[data-testid='stMetricValue']").inner_text().strip()
    return out


def assert_drawn_without_errors(page) -> None:
    wait_for_drawing(page)
    assert page.locator("[data-testid='stException']").count() == 0, page.locator(
        "[data-testid='stException']"
    ).first.inner_text()
    assert page.get_by_text(FRIENDLY_ERROR).count() == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_draws_and_is_captured(app_url: str, page, path: str) -> None:
    page.goto(f"{app_url}/{path}")
    wait_for_app_run(page)
    expect(page.locator("h1").first).to_have_text(PAGES[path])
    assert_drawn_without_errors(page)
    # The shared filters are in the sidebar on every page.
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Financial year", exact=True)).to_have_count(1)
    expect(sidebar.get_by_text("In use:")).to_have_count(1)
    screenshot(page, path or "overview")


def test_filters_live_in_the_url_and_a_copied_link_reproduces_the_view(app_url: str, browser, page) -> None:
    page.goto(app_url)
    wait_for_app_run(page)
    wait_for_drawing(page)
    before = metrics(page)
    assert "Children in care" in before

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("UASC", exact=True).click()
    page.wait_for_url("**cohort=UASC**")
    wait_for_app_run(page)
    sidebar.get_by_text("Q4", exact=True).click()
    page.wait_for_url("**quarter=Q4**")
    wait_for_app_run(page)
    wait_for_drawing(page)
    uasc_q4 = metrics(page)
    assert uasc_q4["Children in care"] != before["Children in care"]
    assert_drawn_without_errors(page)

    # The filters survive a page change made in the sidebar navigation.
    sidebar.get_by_role("link", name="Reviews").click()
    page.wait_for_url("**/reviews?**")
    wait_for_app_run(page)
    expect(page.locator("h1").first).to_have_text("Reviews")
    wait_for_drawing(page)
    assert "cohort=UASC" in page.url and "quarter=Q4" in page.url
    reviews_view = metrics(page)
    copied = page.url

    # A copied link opened in a new browser session shows the same view.
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        other.set_default_timeout(120_000)
        other.goto(copied)
        wait_for_app_run(other)
        expect(other.locator("h1").first).to_have_text("Reviews")
        wait_for_drawing(other)
        assert metrics(other) == reviews_view
        other_sidebar = other.get_by_test_id("stSidebar")
        expect(other_sidebar.get_by_role("radio", name="UASC")).to_be_checked()
        expect(other_sidebar.get_by_role("radio", name="Q4")).to_be_checked()
    finally:
        fresh.close()


def test_an_area_in_the_url_selects_it(app_url: str, page) -> None:
    page.goto(f"{app_url}/children?area=East+Kent")
    wait_for_app_run(page)
    assert_drawn_without_errors(page)
    # The page says what the figures cover: the chosen area, not "all areas".
    caption = page.get_by_text("Figures for", exact=False).first
    expect(caption).to_contain_text("East Kent")
    expect(caption).not_to_contain_text("all areas")


def test_a_link_opened_just_after_the_server_starts_shows_the_page_and_its_filters(fresh_app_url: str, page) -> None:
    # Streamlit treats an app with a pages/ folder as a legacy multipage app until app.py has run
    # once; the explorer must still draw its sidebar and the linked view.
    page.goto(f"{fresh_app_url}/challenge?year=2014-15&quarter=Q3&cohort=UASC")
    wait_for_app_run(page)
    expect(page.locator("h1").first).to_have_text("Challenge")
    assert_drawn_without_errors(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("radio", name="Q3")).to_be_checked()
    expect(sidebar.get_by_role("radio", name="UASC")).to_be_checked()
    expect(page.get_by_text("Figures for", exact=False).first).to_contain_text("Q3 2014-15")


def test_a_table_section_and_a_tab_are_drawn_when_opened(app_url: str, page) -> None:
    """A "Table: ..." section's grid and download are sent only once it is opened, and each
    breakdown tab only once chosen; opening and choosing draw them, and an open section stays open
    while the period changes."""
    page.goto(f"{app_url}/reviews?year=2013-14&quarter=Q4")
    wait_for_app_run(page)
    section = page.get_by_test_id("stExpander").filter(has_text="Table: every review indicator by period")
    expect(section.get_by_test_id("stDataFrame")).to_have_count(0)
    section.get_by_text("Table: every review indicator by period").click()
    wait_for_app_run(page)
    expect(section.get_by_test_id("stDataFrame")).to_have_count(1)
    expect(section.get_by_role("button", name="Download CSV")).to_have_count(1)
    page.get_by_test_id("stSidebar").get_by_text("Q3", exact=True).click()
    page.wait_for_url("**quarter=Q3**")
    wait_for_app_run(page)
    expect(section.get_by_test_id("stDataFrame")).to_have_count(1)

    page.goto(f"{app_url}/children?year=2013-14&quarter=Q4")
    wait_for_app_run(page)
    tabs = page.get_by_test_id("stTabs")
    # Each breakdown's grid has its skip link ("Skip the children by sex table"): only the chosen tab's is sent.
    skip_to = tabs.locator("a.iro-skip-link")
    expect(skip_to).to_have_count(1)
    expect(skip_to).to_have_text("Skip the children by age band table")
    tabs.get_by_role("tab", name="Sex").click()
    wait_for_app_run(page)
    expect(skip_to).to_have_count(1)
    expect(skip_to).to_have_text("Skip the children by sex table")
    wait_for_drawing(page)
