"""The "How we compare" panel in a real browser: on the Overview and the Children page, below the
figures, with its table, its two charts and the note that no national figure exists for IRO measures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, wait_for_app_run, wait_for_drawing

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["", "children"])
def test_the_panel_draws_with_its_table_and_charts(app_url: str, page, path: str) -> None:
    page.goto(f"{app_url}/{path}")
    wait_for_app_run(page)
    wait_for_drawing(page)
    heading = page.get_by_role("heading", name="How we compare")
    expect(heading).to_have_count(1)
    heading.scroll_into_view_if_needed()
    expect(page.get_by_text("Kent, 2024-25", exact=False).first).to_be_visible()
    expect(page.get_by_text("No national figure is published for review timeliness", exact=False).first).to_be_visible()
    # The ranking chart names the council in words, not colour alone (its alt text says where it stands).
    charts = page.locator("[data-testid='stVegaLiteChart']")
    labels = [charts.nth(i).get_attribute("aria-label") or "" for i in range(charts.count())]
    described = " ".join(labels) + page.content()
    assert "Kent (this council) is ranked" in described
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, f"how_we_compare_{path or 'overview'}")
