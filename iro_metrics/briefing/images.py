"""Charts as PNG images for the Word and Markdown briefings, rendered by vl-convert."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import altair as alt
import vl_convert as vlc

PPI = 150
WIDTH = 560  # points of Vega-Lite width for charts drawn at the page's full ("container") width
# vl-convert draws no text at all when a font is missing, so the theme's font gets fallbacks
# that ship with Linux (Liberation Sans is metric-compatible with Arial).
FONT_FALLBACKS = "Liberation Sans, DejaVu Sans, sans-serif"


def chart_spec(chart: alt.TopLevelMixin, width: int = WIDTH) -> dict[str, Any]:
    """The chart's Vega-Lite spec with a fixed width (an image has no container to fill)."""
    spec = chart.to_dict()
    _fix_width(spec, width)
    config = spec.setdefault("config", {})
    font = config.get("font")
    config["font"] = f"{font}, {FONT_FALLBACKS}" if font else FONT_FALLBACKS
    return spec


def _fix_width(spec: dict[str, Any], width: int) -> None:
    if spec.get("width") == "container":
        spec["width"] = width
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for part in spec.get(key, []) or []:
            if isinstance(part, dict):
                _fix_width(part, width)


def chart_png(chart: alt.TopLevelMixin, ppi: int = PPI) -> bytes:
    """The chart as PNG bytes at ``ppi`` pixels per inch."""
    return vlc.vegalite_to_png(chart_spec(chart), ppi=ppi)


def charts_png(charts: Sequence[alt.TopLevelMixin], ppi: int = PPI) -> list[bytes]:
    """``chart_png`` for several charts, rendered side by side (vl-convert releases the GIL; the
    images are the same bytes as one by one), in order."""
    if len(charts) < 2:
        return [chart_png(chart, ppi) for chart in charts]
    with ThreadPoolExecutor(max_workers=min(4, len(charts))) as pool:
        return list(pool.map(lambda chart: chart_png(chart, ppi), charts))
