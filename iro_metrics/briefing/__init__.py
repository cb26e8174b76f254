"""Committee briefings: narrative, disclosure control, and the Word and Markdown writers.

``build_briefing`` turns a selection into a ``Briefing``; ``write_docx`` and ``write_markdown``
lay it out; ``write_briefing`` does both, choosing the writer by the file's suffix (the CLI's
``python -m iro_metrics briefing``). See docs/briefing.md.
"""

from iro_metrics.briefing.build import build_briefing, period_name, write_briefing
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD, MARKER, footnote
from iro_metrics.briefing.docx_writer import docx_bytes, write_docx
from iro_metrics.briefing.markdown_writer import markdown_text, write_markdown
from iro_metrics.briefing.model import Briefing, BriefingChart, BriefingSection, BriefingTable

__all__ = [
    "DEFAULT_THRESHOLD",
    "MARKER",
    "Briefing",
    "BriefingChart",
    "BriefingSection",
    "BriefingTable",
    "build_briefing",
    "docx_bytes",
    "footnote",
    "markdown_text",
    "period_name",
    "write_briefing",
    "write_docx",
    "write_markdown",
]
