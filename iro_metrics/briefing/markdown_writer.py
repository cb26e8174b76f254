"""The briefing as Markdown.

Charts: ``write_markdown`` renders each chart as a PNG file in a folder beside the .md file
(``<name>_charts/chart-01.png`` ...) and links it with its alt text, so the .md and its folder
travel together. ``markdown_text`` without image links (the app's single-file download) puts
each chart's alt text in its place, in italics, so no content is lost.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from iro_metrics.briefing.images import charts_png
from iro_metrics.briefing.model import Block, Briefing, BriefingChart, BriefingTable, Heading, Paragraph
from iro_metrics.safe_text import neutralise


def _escape(text: str) -> str:
    """A table cell's text: pipes escaped, one line, and never starting like a spreadsheet formula."""
    return neutralise(text).replace("|", "\\|").replace("\n", " ")


def table_markdown(table: BriefingTable) -> list[str]:
    """A pipe table with its title above and footnotes below; figures right-aligned."""
    header = table.header
    lines = [f"**{table.title}**", ""]
    lines.append("| " + " | ".join(_escape(h) for h in header) + " |")
    labels = min(table.text_columns, len(header))
    lines.append("|" + "|".join([*[":---"] * labels, *["---:"] * (len(header) - labels)]) + "|")
    lines += ["| " + " | ".join(_escape(cell) for cell in row) + " |" for row in table.rows()]
    if table.footnotes:
        lines.append("")
        lines += [f"*{note}*" for note in table.footnotes]
    lines.append("")
    return lines


def _block_lines(block: Block, link: str | None) -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * (block.level + 1)} {neutralise(block.text)}", ""]
    if isinstance(block, Paragraph):
        text = neutralise(block.text)
        return {"rating": [f"*{text}*", ""], "bullet": [f"- {text}"]}.get(block.style, [text, ""])
    if isinstance(block, BriefingChart):
        if link is not None:
            return [f"*Chart: {block.title}*", "", f"![{_escape(block.alt_text)}]({link})", ""]
        return [f"*Chart: {block.title}. {block.alt_text}*", ""]
    return table_markdown(block)


def _blocks_lines(blocks: Sequence[Block], links: Iterator[str] | None) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        link = next(links) if links is not None and isinstance(block, BriefingChart) else None
        if lines and lines[-1].startswith("- ") and not (isinstance(block, Paragraph) and block.style == "bullet"):
            lines.append("")  # a list ends with a blank line
        lines += _block_lines(block, link)
    if lines and lines[-1].startswith("- "):
        lines.append("")
    return lines


def markdown_text(briefing: Briefing, image_links: Sequence[str] | None = None) -> str:
    """The briefing as Markdown. ``image_links`` gives one relative path per chart, in order;
    without it each chart is replaced by its alt text."""
    links = iter(image_links) if image_links is not None else None
    lines = [f"# {briefing.title}", "", f"**{briefing.subtitle}**", "", f"*{briefing.source}*", ""]
    lines += _blocks_lines(briefing.introduction, links)
    if briefing.headlines:
        lines += ["## Key headlines", ""]
        lines += [f"- {neutralise(headline)}" for headline in briefing.headlines]
        lines.append("")
    for section in briefing.sections:
        lines += [f"## {section.title}", ""]
        lines += _blocks_lines(section.blocks, links)
    lines += ["## Notes", ""]
    lines += [f"{n}. {note}" for n, note in enumerate(briefing.notes, start=1)]
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(briefing: Briefing, path: Path | str) -> Path:
    """Write the briefing as Markdown at ``path``, its charts as PNGs in ``<stem>_charts/``."""
    target = Path(path)
    charts = briefing.charts()
    links: list[str] = []
    if charts:
        folder = target.with_name(f"{target.stem}_charts")
        folder.mkdir(parents=True, exist_ok=True)
        for number, png in enumerate(charts_png([chart.chart for chart in charts]), start=1):
            name = f"chart-{number:02d}.png"
            (folder / name).write_bytes(png)
            links.append(f"{folder.name}/{name}")
    target.write_text(markdown_text(briefing, links), encoding="utf-8")
    return target
