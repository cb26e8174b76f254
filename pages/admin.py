"""Audit log and datasets: who imported, deleted or produced what, and deleting an imported dataset.

Only the importer role sees this page. The log is append-only (see iro_metrics.access.audit).
"""

import json

import polars as pl
import streamlit as st

from iro_metrics import store
from iro_metrics.access import audit
from ui import app_auth, show

_SHOWN_APART = {"when", "who", "action", "outcome", "dataset", "previous", "mac"}

app_auth.require("audit", title="Audit log and datasets")
st.title("Audit log and datasets")
path = app_auth.audit_log_path()
st.write(
    "Every import (with each file's SHA-256 hash), deleted dataset, committee paper and refused action is "
    f"recorded, newest first. The log is `{path}`; it holds no child-level data."
)

events = audit.read_events(path)
verdict = app_auth.audit_verdict()
if not verdict.intact:
    st.error(
        verdict.headline() + "\n\n" + "\n".join(f"- {p}" for p in verdict.problems[:20]),
        icon=":material/gpp_bad:",
    )
elif events:
    signed = "signed with this explorer's key" if verdict.keyed else "NOT signed (no [audit] key in the secrets)"
    st.caption(
        f":material/verified: {len(events):,} entries; every line follows the one before it, the count and the "
        f"last line match the anchor, and the log is {signed}."
    )
if not verdict.keyed:
    st.warning(
        "The audit log is not signed: there is no [audit] key in .streamlit/secrets.toml, so anyone who can write "
        "the data home could rewrite the log and its anchor unnoticed. `make run` writes a key (tools/audit_key.py).",
        icon=":material/key_off:",
    )

if not events:
    if verdict.intact:
        st.info("Nothing has been recorded yet.", icon=":material/info:")
else:
    rows = [
        {
            "When (UTC)": e.get("when", ""),
            "Who": e.get("who", ""),
            "Action": e.get("action", ""),
            "Outcome": e.get("outcome", ""),
            "Dataset": e.get("dataset", ""),
            "Details": json.dumps(
                {k: v for k, v in e.items() if k not in _SHOWN_APART},
                ensure_ascii=False,
            ),
        }
        for e in reversed(events)
    ]
    show.grid(pl.DataFrame(rows), "audit log", column_config={"Details": st.column_config.TextColumn(width="large")})
    st.download_button(
        "Download the audit log (JSON lines)",
        data=path.read_bytes(),
        file_name="iro-explorer-audit.jsonl",
        mime="application/jsonl",
        on_click="ignore",
        icon=":material/download:",
    )

st.header("Delete an imported dataset")
imported = [c.key for c in store.available_datasets() if c.path.parent == store.imported_root()]
if not imported:
    st.caption("There is no imported dataset.")
else:
    key = st.selectbox("Imported dataset", imported, key="delete_choice")
    confirmed = st.checkbox(f"I understand that **{key}** will be deleted for everyone, for good.")
    if st.button("Delete dataset", disabled=not confirmed, icon=":material/delete:"):
        problem = app_auth.delete_dataset(key)
        if problem:
            st.error(f"{key} was not deleted: {problem}")
        else:
            st.success(f"{key} was deleted. The deletion is in the audit log.")
