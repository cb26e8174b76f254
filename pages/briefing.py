"""Briefing page: turn the current selection into a committee paper, built when asked.

The paper comes from iro_metrics.briefing.build_briefing; this file reads the settings, builds
the paper (or every area's papers) on a button press with progress shown, previews it and
offers the downloads.
"""

from functools import partial

import streamlit as st

import app_auth
from iro_metrics.briefing import DEFAULT_THRESHOLD, build_briefing, docx_bytes, markdown_text
from iro_metrics.briefing.batch import papers_zip
from iro_metrics.briefing.figures import figures_csv
from ui import state, widgets
from ui.briefing_preview import show_briefing

PAPER_STATE = "_briefing_paper"
ZIP_STATE = "_briefing_zip"
ASKED_STATE = "_briefing_asked"  # which build was asked for; a callback sets it, so a rerun keeps it


def ask(what: str) -> None:
    st.session_state[ASKED_STATE] = what


app_auth.require("briefing", title="Committee briefing")
selection = widgets.page_header(
    "Committee briefing",
    "Turn the current period, area selection and cohort into a committee paper, ready to download as Word, "
    "Markdown or a CSV of its figures. Papers are built when you press the button.",
)

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
wanted = (state.current_dataset_key(), selection, int(threshold))
# Every area's papers depend on the period and cohort, not on the areas chosen.
wanted_zip = (state.current_dataset_key(), selection.period.label, selection.cohort, int(threshold))
name = f"iro-briefing_{selection.file_suffix}"

left, right = st.columns(2)
left.button(
    "Build the paper", type="primary", icon=":material/description:", key="build_paper", on_click=ask, args=("paper",)
)
right.button(
    "Build every area's paper (zip)", icon=":material/folder_zip:", key="build_zip", on_click=ask, args=("zip",)
)
asked = st.session_state.pop(ASKED_STATE, None)
if asked == "paper":
    with st.status("Building the paper…", expanded=False) as status, widgets.friendly_errors("the briefing"):
        status.update(label="Working out the figures and suppression for the period…")
        paper = build_briefing(selection, int(threshold))
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
        data=app_auth.logged_paper(partial(make, briefing), f"{name}.{extension}", selection, int(threshold)),
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
