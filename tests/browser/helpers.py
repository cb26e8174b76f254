"""Helpers for the browser tests: wait for a Streamlit run to finish, save screenshots."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
# UPDATE_DOC_SCREENSHOTS=1 also refreshes the README's screenshots in docs/screenshots/.
DOC_SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
AXE_VERSION = "4.14.1"
BLOCKING = ("serious", "critical")  # the impacts no page may have
_SCRIPT_DONE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def wait_for_app_run(page) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
    # A run may not have started yet when the page first connects: wait for one to finish.
    page.wait_for_function(_SCRIPT_DONE)
    page.wait_for_timeout(300)
    page.wait_for_function(_SCRIPT_DONE)


_DRAWN = """() => {
    const visible = (selector) => Array.from(document.querySelectorAll(selector)).filter(e => e.checkVisibility());
    return visible("[data-testid='stSkeleton']").length === 0
        && visible("[data-testid='stVegaLiteChart']").every(c => c.querySelector('svg.marks, canvas.marks'))
        && visible("[data-testid='stDataFrame']").every(t => t.querySelector("[data-testid='data-grid-canvas']"));
}"""


def wait_for_drawing(page) -> None:
    """Wait until every chart and table on the page has been drawn in the browser."""
    page.wait_for_function(_DRAWN)


def choose_tab(page, label: str) -> None:
    """Click the page's tab named ``label`` (tabs drawn only when chosen rerun the page) and wait
    until its contents are drawn."""
    page.get_by_test_id("stTabs").get_by_role("tab", name=label).click()
    page.wait_for_timeout(300)
    wait_for_app_run(page)
    wait_for_drawing(page)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/, once everything is drawn."""
    wait_for_drawing(page)
    # Streamlit scrolls inside its main block, so grow the window to the content's height.
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll(\"[data-testid='stMain'], "
        "[data-testid='stSidebarContent']\")).map(e => e.scrollHeight))"
    )
    width = page.viewport_size["width"] if page.viewport_size else 1400
    page.set_viewport_size({"width": width, "height": max(800, min(int(height) + 40, 8000))})
    wait_for_drawing(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("UPDATE_DOC_SCREENSHOTS") == "1":
        _save_small_copy(path, DOC_SCREENSHOTS / path.name)
    return path


def _save_small_copy(source: Path, target: Path) -> None:
    """A 256-colour copy of a screenshot (a third of the size; screens have few colours)."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(source).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 AA violations on the page as drawn (id, impact, help, first nodes)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("() => window.axe.version") == AXE_VERSION
    result = page.evaluate(
        """async () => await window.axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
    ]
