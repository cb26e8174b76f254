"""Import page: load a council's own SSDA903 returns and local IRO records; the report comes first."""

import streamlit as st

from iro_metrics import importer
from iro_metrics.benchmarks.compare import import_warnings
from iro_metrics.importer.docs import template_columns
from ui import app_auth, show, state
from ui.how_we_compare_panel import choose_authority, show_benchmark_upload
from ui.import_report import show_import_report

_REPORT = "import_report"
_ROUND = "import_upload_round"
_PLAUSIBILITY = "import_plausibility_warnings"
_FILE_TYPES = ["csv", "xlsx", "xml", "zip"]


app_auth.require("import", title="Import your data")
st.title("Import your data")
st.write(
    "Load your SSDA903 returns (CSV, the XML you send the DfE, Excel, or a zip of year folders) and the "
    "local IRO record templates. A record with an error is set aside and reported; the rest is imported. "
    "A failed import leaves the current data exactly as it was."
)

report = st.session_state.get(_REPORT)
if report is not None:
    show_import_report(report, st.session_state.get(_PLAUSIBILITY, []))

st.header("Upload and check")
name = st.text_input(
    "Name for the imported dataset",
    value="My council",
    max_chars=60,
    help="Importing again under the same name replaces that dataset, only once the new one is complete.",
)
authority = choose_authority()
round_number = st.session_state.setdefault(_ROUND, 0)
uploads = st.file_uploader(
    "903 tables and templates (.csv, .xlsx, .xml or a .zip of folders)",
    type=_FILE_TYPES,
    accept_multiple_files=True,
    max_upload_size=importer.MAX_FILE_MB,
    key=f"import_upload_{round_number}",
    help=f"Each file up to {importer.MAX_FILE_MB} MB. Files are read in memory and never saved; they are "
    "dropped after an import succeeds and kept after one fails, to fix and import again.",
)
strict = st.checkbox(
    "Strict: refuse the import on any error",
    help="By default a record with an error (a review, or a child's records) is set aside and the rest imported.",
)
if st.button("Check and import", type="primary", disabled=not uploads, icon=":material/upload:"):
    with st.spinner("Checking and importing…"):
        files = [(f.name, f.getvalue()) for f in uploads]
        # in a child process with memory and time limits: a hostile file cannot stop the server (issue 22)
        report = importer.run_limited(importer.import_uploads, files, name, strict=strict, authority=authority)
    app_auth.log_import(files, name, report)  # the audit log: who, when, file hashes, outcome
    st.session_state[_REPORT] = report
    # issue 26: say when the data does not look like the council named (as the command line does)
    named = report.ok and authority and report.dataset_path is not None
    st.session_state[_PLAUSIBILITY] = import_warnings(report.dataset_path) if named else []
    if report.ok:  # a fresh uploader: the uploaded files are dropped; after a failure they stay to fix and retry
        st.session_state[_ROUND] = round_number + 1
    st.rerun()

with st.expander("The files and templates", expanded=report is None):
    st.write(
        "The 903 tables (Header, Episodes, Reviews and, if you have them, UASC and SWEpisodes) come from "
        "your DfE return; the other 903 tables are recognised and ignored. The templates hold what the 903 "
        "lacks. Tables are recognised by their columns, not their file names; several years' returns can be "
        "loaded together (the later return wins). See docs/import.md."
    )
    st.download_button(
        "Download all templates (zip)",
        data=importer.templates_zip(),
        file_name="iro_templates.zip",
        mime="application/zip",
        on_click="ignore",
        key="templates_zip",
        icon=":material/download:",
    )
    specs = {f"{s.title}{'' if s.is_903 else ' (template)'}": s for s in (*importer.SSDA903_FILES, *importer.TEMPLATES)}
    chosen = specs[st.selectbox("Columns of", list(specs), key="template_columns")]
    st.write(chosen.description)
    show.grid(template_columns(chosen.kind), f"{chosen.title} columns")
    if not chosen.is_903:
        st.download_button(
            f"Download the {chosen.title.lower()} template",
            data=importer.template_csv(chosen.kind),
            file_name=chosen.template_file,
            mime="text/csv",
            on_click="ignore",
            key=f"template_{chosen.kind}",
            icon=":material/download:",
        )

show_benchmark_upload()

# Last, so that a click above is handled first: a deep link opened just after the server started
# is rerun through app.py's navigation (the sidebar and its filters).
state.current_dataset_key()
