"""Every quarter's papers at once: the whole-council paper and one per area, as files or one zip.

Each paper of the batch asks the same period table, so no two of them can be subtracted to give
a suppressed figure back.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from iro_metrics.briefing.build import build_briefing, writer_for
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD
from iro_metrics.briefing.figures import figures_csv
from iro_metrics.briefing.model import Briefing
from iro_metrics.dataset import Dataset
from iro_metrics.periods import Period
from iro_metrics.selection import Selection

FORMATS: tuple[str, ...] = ("docx", "md", "csv")


def paper_stem(period: Period, area: str | None) -> str:
    """A file-name-safe name: 'iro-paper_2013-14-Q4_whole-council', 'iro-paper_2013-14-Q4_east-kent'."""
    where = "whole-council" if area is None else re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-") or "area"
    return f"iro-paper_{period.label}_{where}"


def batch_selections(ds: Dataset) -> list[str | None]:
    """The papers of a batch: None for the whole council, then each area."""
    return [None, *ds.areas()]


def _papers(
    selection: Selection, threshold: int, progress: Callable[[int, int, str], None] | None
) -> list[tuple[str, Briefing]]:
    papers = batch_selections(selection.ds)
    out = []
    for number, area in enumerate(papers, start=1):
        if progress is not None:
            progress(number, len(papers), "the whole council" if area is None else area)
        paper_selection = selection.whole_council() if area is None else selection.for_areas([area])
        out.append((paper_stem(selection.period, area), build_briefing(paper_selection, threshold)))
    return out


def write_each_area(
    selection: Selection,
    folder: Path | str,
    threshold: int = DEFAULT_THRESHOLD,
    fmt: str = "docx",
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Path]:
    """Write the whole-council paper and one per area (the selection's period and cohort) into
    ``folder`` (made if missing), each as ``fmt`` (docx, md or csv) with its figures beside it as
    CSV; return the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown paper format '{fmt}': choose {', '.join(FORMATS)}")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ValueError(f"cannot write the papers into '{target}': it is a file, not a folder")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, briefing in _papers(selection, threshold, progress):
        for suffix in dict.fromkeys((f".{fmt}", ".csv")):
            path = target / f"{stem}{suffix}"
            written.append(writer_for(path)(briefing, path))
    return written


def papers_zip(
    selection: Selection,
    threshold: int = DEFAULT_THRESHOLD,
    progress: Callable[[int, int, str], None] | None = None,
) -> bytes:
    """One zip of the whole-council paper and one per area, each as Word (.docx) and as the CSV of
    its figures (the app's batch download)."""
    # python-docx (and lxml) load only when a Word file is made: the module's other callers need none
    from iro_metrics.briefing.docx_writer import docx_bytes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for stem, briefing in _papers(selection, threshold, progress):
            archive.writestr(f"{stem}.docx", docx_bytes(briefing))
            archive.writestr(f"{stem}.csv", figures_csv(briefing))
    return buffer.getvalue()
