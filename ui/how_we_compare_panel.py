"""The "How we compare" panel drawn on the Overview and Children pages (one call each)."""

import streamlit as st

from iro_metrics.benchmarks import BenchmarkFileError
from iro_metrics.benchmarks.compare import (
    NO_NATIONAL_FIGURE,
    comparison_table,
    how_we_compare,
    shipped_benchmarks,
)
from iro_metrics.benchmarks.store import add_uploaded_files
from iro_metrics.charts import neighbours
from iro_metrics.dataset import Dataset
from ui import show


def show_how_we_compare(ds: Dataset, key: str) -> None:
    """The council against England, its region and its statistical neighbours, with two charts."""
    st.subheader("How we compare")
    comparison = how_we_compare(ds)  # whole-council figures: the same for every area and cohort
    if comparison.message:
        st.info(comparison.message)
        st.caption(NO_NATIONAL_FIGURE)
        return
    for warning in comparison.warnings:  # figures that do not fit the council named (issue 26)
        st.warning(warning, icon=":material/warning:")
    if comparison.council_source != "dataset":
        source = "the council's figures as the DfE published them"
    elif ds.is_synthetic:  # issue 24: a made-up dataset's figures are never passed off as the council's
        source = f"the synthetic dataset's figures (made up, not {comparison.authority_name}'s real ones)"
    else:
        source = "the council's own figures from this dataset"
    st.caption(
        f"{comparison.authority_name}, {comparison.year_label} (the latest year with published figures for both): "
        f"{source}, against England, {comparison.region_name} and the median of its statistical neighbours "
        '(DfE 2025 model). "In line with" means within 5% of the other figure or 1 point, whichever is larger. '
        "These are whole-council figures, whichever areas or cohort are chosen."
    )
    table = comparison_table(comparison)
    # The answers ("above", "in line") beside the council's figure, so they are on screen at
    # 1400 px too (last, they sat off the table's right edge); the measure stays pinned.
    answers = ["Against England", "Against neighbours"]
    first = ["Measure", "Year", comparison.authority_name, *answers]
    shown = table.select(*first, *[c for c in table.columns if c not in first])
    # Narrow figure columns, so England, the region and the neighbours' median are on screen at
    # 1400 px too (issue 26 item 8); the measure stays pinned.
    widths = {c: st.column_config.Column(width="small") for c in shown.columns if c != "Measure"}
    show.table(
        shown,
        f"how_we_compare_{key}",
        column_config={"Measure": st.column_config.Column(pinned=True, width="large"), **widths},
    )
    labels = {row.measure.label: row.measure.id for row in comparison.measures}
    chosen = st.selectbox("Measure to chart", list(labels), key=f"how_we_compare_measure_{key}")
    left, right = st.columns(2)
    with left:
        show.chart(neighbours.neighbour_chart(comparison, labels[chosen]), key=f"how_we_compare_neighbours_{key}")
    with right:
        show.chart(neighbours.trend_chart(comparison, labels[chosen]), key=f"how_we_compare_trend_{key}")
    for note in comparison.notes:
        st.caption(note)


def show_benchmark_upload() -> None:
    """A section of the Import page: add next year's DfE files (checked first; nothing added on error)."""
    with st.expander("Add newer DfE benchmark files (for How we compare)"):
        st.write(
            "Download next year's files from explore-education-statistics (children looked after on "
            "31 March, starting and ceasing; placement stability; social workers; a statistical-neighbour "
            "model named like sn_model_2026_wide.csv) and add them here. Every file is checked first; if "
            "any has a problem, nothing is added."
        )
        files = st.file_uploader("DfE CSV files", type=["csv"], accept_multiple_files=True, key="benchmark_upload")
        if st.button("Check and add", disabled=not files, key="benchmark_add"):
            try:
                added = add_uploaded_files([(f.name, f.getvalue()) for f in files])
            except BenchmarkFileError as err:
                st.error("Nothing was added:\n\n" + "\n".join(f"- {p}" for p in err.problems[:20]))
            else:
                st.success("Added: " + "; ".join(f"{a.source} as {a.stored_as} ({a.years})" for a in added))


def choose_authority() -> tuple[str, str | None] | None:
    """The Import page's "Which council is this?": (old code, new code) or None when not chosen."""
    benchmarks = shipped_benchmarks()
    choices = benchmarks.authority_choices()
    council = st.selectbox(
        "Which council is this?",
        ["Not chosen", *choices],
        key="import_authority",
        help="Chosen from the DfE's published figures, so the pages can compare your council with England, "
        "its region and its statistical neighbours.",
    )
    if council == "Not chosen":
        return None
    old, new, _name = benchmarks.find_authority(choices[council])
    return old, new
