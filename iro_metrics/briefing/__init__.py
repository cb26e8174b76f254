"""Committee briefings: narrative, disclosure control, and the Word, Markdown and CSV writers.

``build_briefing`` turns a selection into a ``Briefing`` (``build_annual_report`` a financial year
into the annual IRO report); ``write_docx``, ``write_markdown`` and
``write_figures_csv`` lay it out; ``write_briefing`` picks one by the file's suffix (the CLI's
``python -m iro_metrics briefing``). See docs/briefing.md.

Names are imported on first use, so importing this package (or one of its light modules, such as
``period_table`` for the app's downloads) does not load python-docx, Altair or the chart renderer.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "DEFAULT_THRESHOLD": "disclosure",
    "MARKER": "disclosure",
    "footnote": "disclosure",
    "Briefing": "model",
    "BriefingChart": "model",
    "BriefingSection": "model",
    "BriefingTable": "model",
    "build_briefing": "build",
    "build_paper": "build",
    "build_annual_report": "annual",
    "period_name": "context",
    "write_briefing": "build",
    "docx_bytes": "docx_writer",
    "write_docx": "docx_writer",
    "markdown_text": "markdown_writer",
    "write_markdown": "markdown_writer",
    "figures_csv": "figures",
    "write_figures_csv": "figures",
    "papers_zip": "batch",
    "write_each_area": "batch",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'iro_metrics.briefing' has no attribute '{name}'")
    # Each name's module is imported on first use, so the package's light modules load no python-docx
    value = getattr(importlib.import_module(f"iro_metrics.briefing.{module}"), name)
    globals()[name] = value
    return value
