"""Briefing page: turn the current selection into a committee paper, built when asked.

The paper comes from iro_metrics.briefing.build_briefing; this file reads the settings, builds
the paper (or every area's papers) on a button press with progress shown, previews it and
offers the downloads.
"""

from functools import partial
from pathlib import Path

import streamlit as st

from iro_metrics.briefing import DEFAULT_THRESHOLD, docx_bytes, markdown_text
from iro_metrics.briefing.annual import WRITTEN_SECTIONS, read_analyst_text, save_analyst_text
from iro_metrics.briefing.batch import papers_zip
from iro_metrics.briefing.build import build_paper
from iro_metrics.briefing.figures import figures_csv
from iro_metrics.periods import financial_year
from ui import app_auth, state, widgets
from ui.briefing_preview import show_briefing

PAPER_STATE = "_briefing_paper"
ZIP_STATE = "_briefing_zip"
ASKED_STATE = "_briefing_asked"  # which build was asked for; a callback sets it, so a rerun keeps it


SAVED_STATE = "_briefing_text_saved"


def ask(what: str) -> None:
    st.session_state[ASKED_STATE] = what


def save_written(dataset_path: Path, year: str, written: dict[str, str]) -> None:
    """Keep each changed written section with the dataset; each save is logged in the audit log."""
    who, log = app_auth.current_access().who, app_auth.audit_log_path()
    try:
        for section in WRITTEN_SECTIONS:
            text = st.session_state.get(f"annual_{section.key}", "")
            if text.strip() != written.get(section.key, ""):
                save_analyst_text(
                    dataset_path, year, section.key, text, who=who, audit_log=log, audit_key=app_auth.audit_key()
                )
    except (OSError, ValueError):
        state.LOG.exception("saving the annual report's text")
        st.session_state[SAVED_STATE] = False
    else:
        st.session_state[SAVED_STATE] = True


app_auth.require("briefing", title="Committee briefing")
selection = widgets.page_header(
    "Committee briefing",
    "Turn the current period, area selection and cohort into a committee paper, ready to download as Word, "
    "Markdown or a CSV of its figures. Papers are built when you press the button.",
)

KINDS = {"quarterly": "Quarterly report (the selected period)", "annual": "Annual IRO report (the financial year)"}
kind = st.radio(
    "Paper",
    list(KINDS),
    format_func=KINDS.get,
    horizontal=True,
    key="paper_kind",
    help="The annual report (IRO Handbook, chapter 7) covers the whole financial year of the selected period.",
)
if kind == "annual":
    selection = selection.at(financial_year(selection.period.fy))

setting, _ = st.columns([1, 2])
threshold = setting.number_input(
    "Suppress counts from 1 to",
    min_value=1,
    max_value=20,
    value=DEFAULT_THRESHOLD,
    step=1,
    key="threshold",
    bind="query-params",
    help=(
        "Committee papers are public. Below whole-council level counts from 1 to this number, figures built "
        "on them, and any figure that would give one back by subtraction from another paper of the same "
        "period are shown as 'c'. The DfE's published statistics work the same way."
    ),
)
ds = selection.ds
if kind == "annual":
    year = selection.period.label
    written = read_analyst_text(ds.path, year)
    with st.expander(f"The report's written sections for {year} ({len(written)} of {len(WRITTEN_SECTIONS)} written)"):
        st.caption(
            "Sections only a person can write. The text is kept with the dataset, each save is logged in the "
            "audit log, and the report prints it beside the figures, which it never replaces."
        )
        for w in WRITTEN_SECTIONS:
            st.text_area(w.title, value=written.get(w.key, ""), help=w.prompt, key=f"annual_{w.key}")
        st.button(
            "Save the written sections",
            icon=":material/save:",
            key="save_annual_text",
            on_click=save_written,  # a callback: the page reruns (query parameters) and would lose a click
            args=(ds.path, year, written),
        )
        if (saved := st.session_state.pop(SAVED_STATE, None)) is not None:
            (st.success if saved else st.error)(
                "Saved with the dataset." if saved else "The written sections could not be saved; nothing was changed."
            )
        written = read_analyst_text(ds.path, year)
    fingerprint = tuple(sorted(written.items()))
else:
    fingerprint = ()
dataset_key = state.current_dataset_key()
wanted = (dataset_key, selection, int(threshold), kind, fingerprint)
# Every area's papers depend on the period and cohort, not on the areas chosen.
wanted_zip = (dataset_key, selection.period.label, selection.cohort, int(threshold))
name = f"iro-{'annual-report' if kind == 'annual' else 'briefing'}_{selection.file_suffix}"

left, right = st.columns(2)
left.button(
    "Build the paper", type="primary", icon=":material/description:", key="build_paper", on_click=ask, args=("paper",)
)
right.button(
    "Build every area's paper (zip)",
    icon=":material/folder_zip:",
    key="build_zip",
    on_click=ask,
    args=("zip",),
    disabled=kind == "annual",
    help="Every area's quarterly paper." if kind == "annual" else None,
)
asked = st.session_state.pop(ASKED_STATE, None)
if asked == "paper":
    with st.status("Building the paper…", expanded=False) as status, widgets.friendly_errors("the briefing"):
        status.update(label="Working out the figures and suppression for the period…")
        paper = build_paper(selection, int(threshold), kind)
        st.session_state[PAPER_STATE] = (wanted, paper)
        status.update(label="The paper is ready", state="complete")
if asked == "zip":
    with widgets.friendly_errors("the papers"):
        bar = st.progress(0.0, text="Starting…")

        def report(number: int, total: int, label: str) -> None:
            bar.progress((number - 1) / total, text=f"Paper {number} of {total}: {label}")

        data = papers_zip(selection, int(threshold), progress=report)
        bar.progress(1.0, text="Every paper is ready")
        st.session_state[ZIP_STATE] = (wanted_zip, data)

stored_zip = st.session_state.get(ZIP_STATE)
if stored_zip is not None and stored_zip[0] == wanted_zip:
    st.download_button(
        "Download every area's paper (.zip)",
        data=app_auth.logged_paper(
            lambda: stored_zip[1],
            f"iro-papers_{selection.period.label}_{selection.cohort}.zip",
            selection,
            int(threshold),
            dataset_key,
        ),
        file_name=f"iro-papers_{selection.period.label}_{selection.cohort}.zip",
        mime="application/zip",
        on_click="ignore",
        icon=":material/download:",
        key="download_zip",
        help="The whole-council paper and one per area, each as Word and as a CSV of its figures.",
    )

stored = st.session_state.get(PAPER_STATE)
if stored is None or stored[0] != wanted:
    st.info(
        "Choose the period, areas and cohort in the sidebar, then press **Build the paper**."
        + (" The selection has changed since the last paper was built." if stored is not None else ""),
        icon=":material/info:",
    )
    st.stop()
briefing = stored[1]

# (label, file extension, MIME type, maker, help): the paper as Word, Markdown and its figures.
PAPER_FILES = (
    ("Download Word (.docx)", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     docx_bytes, None),
    ("Download Markdown (.md)", "md", "text/markdown", markdown_text,
     "Charts are described in words in the Markdown file; the Word file has them as images."),
    ("Download the paper's figures (.csv)", "csv", "text/csv", figures_csv,
     "Every figure the paper shows, one row each: indicator, measure, shown ('c' where suppressed)."),
)  # fmt: skip
for column, (label, extension, mime, make, help_text) in zip(st.columns(3), PAPER_FILES, strict=True):
    column.download_button(
        label,
        data=app_auth.logged_paper(
            partial(make, briefing), f"{name}.{extension}", selection, int(threshold), dataset_key
        ),
        file_name=f"{name}.{extension}",
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        type="primary" if extension == "docx" else "secondary",
        key="download_figures" if extension == "csv" else f"download_{extension}",
        help=help_text,
    )
if briefing.suppression_applied:
    st.caption(f"Part of the council is selected, so counts from 1 to {briefing.threshold} are suppressed.")

show_briefing(briefing)
