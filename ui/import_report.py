"""The Import page's report: summary and per-rule counts first, the first problems of each rule,
and every problem in the download."""

from collections.abc import Sequence

import streamlit as st

from iro_metrics import importer
from ui import show, state


def _use_dataset(key: str) -> None:
    st.session_state[state.DATASET_KEY] = key


def show_import_report(report: importer.ImportReport, plausibility: Sequence[str] = ()) -> None:
    """Summary and per-rule counts first; the first problems of each rule; every problem in the download.

    ``plausibility``: warnings that the data does not look like the council named (``import_warnings``).
    """
    st.header("Import report")
    if report.alert:  # a set-aside that changes the picture comes first, in plain words
        st.error(report.alert, icon=":material/warning:")
    for warning in plausibility:
        st.warning(warning, icon=":material/help:")
    if report.ok:
        _show_imported(report)
    else:
        st.error(
            f"Not imported: {report.n_errors:,} error(s) and {report.n_warnings:,} warning(s). Nothing was "
            "changed; fix the errors (your files are still selected below) and import again.",
            icon=":material/error:",
        )
    if report.frame.height:
        _show_problems(report)
    if report.files:
        with st.expander(f"Files read ({len(report.files):,})"):
            show.grid(
                [{"file": f.file, "recognised as": f.title or "not recognised", "rows": f.rows} for f in report.files],
                "files read",
                height=min(38 + 35 * len(report.files), 300),
            )


def _show_imported(report: importer.ImportReport) -> None:
    """What was imported, what was set aside, and the way to the new dataset."""
    imported = report.dataset_path.name
    st.success(
        f"Imported **{imported}** with {report.n_warnings:,} warning(s). Rows: "
        + ", ".join(f"{table} {rows:,}" for table, rows in report.table_rows.items())
        + ".",
        icon=":material/check_circle:",
    )
    for entry in report.set_aside:
        st.warning(f"Set aside: {entry['description']}. The rest was imported.", icon=":material/filter_alt:")
    if state.current_dataset_key() == imported:
        st.caption(f"**{imported}** is the dataset in use: every page now shows it.")
        st.page_link("pages/overview.py", label="Go to the overview", icon=":material/dashboard:")
    else:
        st.button(
            f"Show {imported} in the explorer",
            on_click=_use_dataset,
            args=(imported,),
            type="primary",
            icon=":material/swap_horiz:",
        )


def _show_problems(report: importer.ImportReport) -> None:
    """The count of each rule's problems, the full list as a download, the first problems of each rule."""
    rule_counts = report.rule_counts()
    show.grid(
        rule_counts.select("rule", "severity", "action", "problems", "meaning"),
        "problems by rule",
        height=min(38 + 35 * rule_counts.height, 300),
    )
    st.download_button(
        f"Download the full report ({report.frame.height:,} problems, CSV)",
        data=report.csv_bytes,  # made on demand: the full list never goes to the browser otherwise
        file_name="import_report.csv",
        mime="text/csv",
        on_click="ignore",
        key="download_import_report",
        icon=":material/download:",
    )
    with st.expander("First problems of each rule", expanded=not report.ok):
        show.grid(
            report.first_problems_text().drop("severity"),
            "first problems",
            height=320,
            column_config={"message": st.column_config.TextColumn("message", width="large")},
        )
