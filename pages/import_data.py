"""Import page: load a council's own SSDA903 returns and local IRO records, see the validation report."""

import streamlit as st

import app_auth
import ui
from how_we_compare_panel import choose_authority, show_benchmark_upload
from iro_metrics import importer
from iro_metrics.importer.docs import template_columns

_REPORT = "import_report"
_ROUND = "import_upload_round"


def _use_dataset(key: str) -> None:
    st.session_state[ui.DATASET_KEY] = key


app_auth.require("import", title="Import your data")
st.title("Import your data")
st.write(
    "Load your SSDA903 returns and local IRO record templates to explore your own service. "
    "Files are checked first: errors stop the import and leave the current data as it was; "
    "warnings are listed and the import goes on."
)

st.header("1. Get the templates")
st.write(
    "The 903 files (Header, Episodes, Reviews and, if you have it, UASC) are your DfE return as CSV. "
    "The templates hold what the 903 lacks. Files are recognised by their columns, not their names; "
    "dates are dd/mm/yyyy; several years' returns can be loaded together (the later return wins)."
)
for spec in (*importer.SSDA903_FILES, *importer.TEMPLATES):
    with st.expander(f"{spec.title}{'' if spec.is_903 else ' (template)'}"):
        st.write(spec.description)
        st.dataframe(template_columns(spec.kind), hide_index=True)
        if not spec.is_903:
            st.download_button(
                f"Download the {spec.title.lower()} template",
                data=importer.template_csv(spec.kind),
                file_name=spec.template_file,
                mime="text/csv",
                on_click="ignore",
                key=f"template_{spec.kind}",
                icon=":material/download:",
            )

st.header("2. Upload and check")
name = st.text_input(
    "Name for the imported dataset",
    value="My council",
    max_chars=60,
    help="Importing again under the same name replaces that dataset, only once the new one is complete.",
)
authority = choose_authority()
round_number = st.session_state.setdefault(_ROUND, 0)
uploads = st.file_uploader(
    "903 and template CSV files",
    type=["csv"],
    accept_multiple_files=True,
    max_upload_size=importer.MAX_FILE_MB,
    key=f"import_upload_{round_number}",
    help=f"Each file up to {importer.MAX_FILE_MB} MB. Files are read in memory and not kept after the import.",
)
st.caption(f"Each file can be up to {importer.MAX_FILE_MB} MB; split larger returns by year.")
if st.button("Check and import", type="primary", disabled=not uploads, icon=":material/upload:"):
    with st.spinner("Checking and importing…"):
        files = [(f.name, f.getvalue()) for f in uploads]
        report = importer.import_uploads(files, name, authority=authority)
    app_auth.log_import(files, name, report)  # the audit log: who, when, file hashes, outcome
    st.session_state[_REPORT] = report
    st.session_state[_ROUND] = round_number + 1  # a fresh uploader: the uploaded files are dropped
    st.rerun()

report = st.session_state.get(_REPORT)
if report is not None:
    st.header("3. Validation report")
    n_errors, n_warnings = len(report.errors), len(report.warnings)
    if report.ok:
        imported = report.dataset_path.name
        st.success(
            f"Imported **{imported}** with {n_warnings:,} warning(s). Rows: "
            + ", ".join(f"{table} {rows:,}" for table, rows in report.table_rows.items())
            + ".",
            icon=":material/check_circle:",
        )
        if ui.current_dataset_key() == imported:
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
    else:
        st.error(
            f"Not imported: {n_errors:,} error(s) and {n_warnings:,} warning(s). Nothing was changed; "
            "fix the errors below and upload again.",
            icon=":material/error:",
        )
    if report.files:
        st.dataframe(
            [{"file": f.file, "recognised as": f.title or "not recognised", "rows": f.rows} for f in report.files],
            hide_index=True,
        )
    if report.problems:
        ui.show_table(
            report.as_frame(),
            "import_report",
            column_config={"message": st.column_config.TextColumn("message", width="large")},
        )

show_benchmark_upload()
