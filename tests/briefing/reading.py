"""Reading a built paper back in tests: its headings and the rating lines printed under them."""

from __future__ import annotations

from iro_metrics.briefing.model import Briefing, Heading, Paragraph


def heading_ratings(briefing: Briefing) -> dict[str, list[str]]:
    """Each heading with the rating lines printed right under it:
    ``{"Child participation": ["Further improvement required"], ...}``."""
    out: dict[str, list[str]] = {}
    for section in briefing.sections:
        current: str | None = None
        for block in section.blocks:
            if isinstance(block, Heading):
                current = block.text
                out[current] = []
            elif isinstance(block, Paragraph) and block.style == "rating" and current is not None:
                out[current].append(block.text)
            else:
                current = None
    return out
