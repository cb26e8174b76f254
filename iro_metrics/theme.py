"""The one palette: chart colours, RAG colours and the words and symbols that go with them.

Colours follow the Government Analysis Function's colour-blind-safe categorical palette (the same
list as ``.streamlit/config.toml``). A RAG rating or a direction is never shown by colour alone:
each has a symbol and words as well, taken from the legend the seed reports print.
"""

from __future__ import annotations

from dataclasses import dataclass

# Analysis Function categorical palette, in the order charts use it (best with four or fewer series).
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE = PALETTE

# Single-series charts use the first colour; reference lines (targets, guidelines) a dark grey.
PRIMARY = DARK_BLUE
REFERENCE_LINE = DARK_GREY
TEXT = "#0B0C0C"
MUTED_TEXT = "#505A5F"
GRID = "#DDDDDD"
# Arial where installed; vl-convert (briefing images) draws no text at all for a missing font.
FONT = "Arial, Liberation Sans, DejaVu Sans, sans-serif"

# Sequential scale for heatmaps (light to the palette's dark blue), 3:1 contrast at the dark end.
SEQUENTIAL: tuple[str, ...] = ("#F2F6FA", "#C6D6E8", "#8FAFD1", "#4F7FB0", "#12436D")


@dataclass(frozen=True)
class Mark:
    """How one rating or direction is shown: words, a symbol and a colour."""

    key: str
    label: str
    symbol: str
    colour: str


# RAG ratings (keys as iro_metrics.judgement returns them), in the seed reports' legend order.
RAG: dict[str, Mark] = {
    "good": Mark("good", "Good performance", "●", "#00703C"),
    "improvement required": Mark("improvement required", "Improvement required", "▲", "#A34A00"),
    "poor": Mark("poor", "Performance is poor", "■", "#D4351C"),
    "no optimum defined": Mark("no optimum defined", "No optimum performance defined", "○", MUTED_TEXT),
}

# Directions against a comparison period (keys as iro_metrics.judgement returns them).
DIRECTION: dict[str, Mark] = {
    "improving": Mark("improving", "Improving performance", "↑", "#00703C"),
    "unchanged": Mark("unchanged", "Unchanged performance", "→", MUTED_TEXT),
    "declining": Mark("declining", "Drop in performance", "↓", "#D4351C"),
    "increased": Mark("increased", "Increased (no optimum defined)", "↗", MUTED_TEXT),
    "decreased": Mark("decreased", "Decreased (no optimum defined)", "↘", MUTED_TEXT),
}

NOT_RATED = Mark("none", "Not rated", "–", MUTED_TEXT)


def rag_mark(key: str | None) -> Mark:
    """The mark for a RAG key; 'Not rated' for None or an unknown key."""
    return RAG.get(key or "", NOT_RATED)


def direction_mark(key: str | None) -> Mark:
    """The mark for a direction key; 'Not rated' for None or an unknown key."""
    return DIRECTION.get(key or "", NOT_RATED)


def altair_config() -> dict:
    """Vega-Lite config shared by every chart: fonts, text colours and the categorical palette."""
    return {
        "font": FONT,
        "range": {"category": list(PALETTE), "heatmap": list(SEQUENTIAL), "ramp": list(SEQUENTIAL)},
        "axis": {
            "labelColor": TEXT,
            "titleColor": TEXT,
            "gridColor": GRID,
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": "normal",
        },
        "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 12},
        "title": {"color": TEXT, "fontSize": 14, "anchor": "start", "fontWeight": "bold"},
        "view": {"stroke": None},
    }
