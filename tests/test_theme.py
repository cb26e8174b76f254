"""The theme: RAG and direction marks never rely on colour alone, readable colours, one palette."""

from __future__ import annotations

import pytest

from iro_metrics import judgement, theme

RATINGS = (judgement.GOOD, judgement.IMPROVEMENT_REQUIRED, judgement.POOR, judgement.NO_OPTIMUM)
DIRECTIONS = (judgement.IMPROVING, judgement.UNCHANGED, judgement.DECLINING, judgement.INCREASED, judgement.DECREASED)


def test_every_judgement_has_a_mark_with_words_and_a_symbol() -> None:
    for rating in RATINGS:
        mark = theme.rag_mark(rating)
        assert mark.key == rating and mark.symbol and mark.label
    for direction in DIRECTIONS:
        mark = theme.direction_mark(direction)
        assert mark.key == direction and mark.symbol and mark.label
    assert theme.rag_mark(None) is theme.NOT_RATED
    symbols = [m.symbol for m in theme.RAG.values()]
    assert len(set(symbols)) == len(symbols)  # told apart without colour


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("mark", [*theme.RAG.values(), *theme.DIRECTION.values()], ids=lambda m: m.key)
def test_rating_colours_are_readable_as_text_on_white(mark) -> None:
    # WCAG 2.2 AA: 4.5:1 for text.
    contrast = (1.0 + 0.05) / (_luminance(mark.colour) + 0.05)
    assert contrast >= 4.5, (mark.key, mark.colour, round(contrast, 2))


def test_the_palette_matches_the_streamlit_theme() -> None:
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert tuple(config["theme"]["chartCategoricalColors"]) == theme.PALETTE
    assert config["theme"]["primaryColor"] == theme.PRIMARY
