"""The widgets every page shares: the header, value cards, help, the legend and friendly errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
import streamlit as st

from iro_metrics import area_answers, theme
from iro_metrics.formatting import period_text
from iro_metrics.importer.quality import left_out_caption
from iro_metrics.pages.common import PageFigures, council_beside, judging_text
from iro_metrics.selection import Selection
from ui import state

ERROR_MESSAGE = (
    "Sorry, this view could not be drawn. The problem has been logged; try another selection, or reload the page."
)


# --- Page style ------------------------------------------------------------------------------------

# Card labels wrap instead of being cut. Captions in GOV.UK secondary text (#505A5F, 7:1 on white;
# Streamlit's grey was 3.9:1, below WCAG AA). A keyboard focus ring anyone can see (GOV.UK's:
# yellow with a black edge). Fewer tab stops per chart and table: the toolbar keeps "Show data"
# and "Fullscreen" and drops what the page offers better elsewhere (each table's "Download CSV"
# button) or should not offer (the chart's raw Vega-Lite spec and an unlabelled PNG). Less space
# above and beside the page, a smaller title and card value: more cards above the fold at 1024x768
# (issue 26 item 8), and the Overview's two 300-pixel trend panels fit the main column.
PAGE_STYLE = """<style>
:focus-visible, [data-testid="stSidebar"] :focus-visible {
  outline: 3px solid #FFDD00 !important; outline-offset: 0 !important; box-shadow: 0 0 0 6px #0B0C0C !important;
}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p { color: #505A5F !important; opacity: 1 !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] div, [data-testid="stMetricLabel"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto !important;
}
[data-testid="stMainBlockContainer"] { padding: 3.5rem 1.5rem 4rem !important; }
[data-testid="stMain"] h1 { font-size: 2rem !important; padding: 0 0 0.25rem !important; }
[data-testid="stMetricValue"] { font-size: 1.75rem !important; }
.st-key-overview_cards [data-testid="stMarkdown"] p { font-size: 0.8rem !important; line-height: 1.3 !important; }
[data-testid="stElementToolbar"] button[aria-label="Copy Vega-Lite spec"],
[data-testid="stElementToolbar"] button[aria-label="Download as PNG"],
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none !important; }
[data-testid="stElementContainer"]:has(.iro-skip-link), [data-testid="stElementContainer"]:has(.iro-skip-target) {
  position: relative; height: 0 !important; min-height: 0 !important; margin-bottom: -1rem !important; overflow: visible !important;
}
.iro-skip-link { position: absolute; left: -10000px; top: 0; width: 1px; height: 1px; overflow: hidden; }
.iro-skip-link:focus { left: 0; width: auto; height: auto; z-index: 1000; padding: 0.25rem 0.5rem;
  background: #FFFFFF; color: #1D70B8; text-decoration: underline; white-space: nowrap; }
</style>"""


def page_style() -> None:
    """The app's few style rules (focus ring, slimmer chart and table toolbars), once per run."""
    st.html(PAGE_STYLE)


def page_header(title: str, intro: str | None = None, *, say_when_empty: bool = True) -> Selection:
    """The page title, what the page answers and what the figures cover; returns the selection.

    When the chosen areas and cohort hold no children at the period's end (East Kent has no
    UASC), the page says so above its zeros and dashes (``say_when_empty=False`` for a page that
    says it in its own words)."""
    st.title(title)
    selection = state.current_selection()
    for note in state.dropped_filter_notes():  # what the link asked for and could not have (issue 26, item 4)
        st.warning(note, icon=":material/filter_alt_off:")
    if intro:
        st.write(intro)
    st.caption(f"Figures for {selection.description}.")
    if say_when_empty and state.is_empty_selection():
        st.info(
            f"No {area_answers.COHORT_WORDS[selection.cohort]} were in care in {selection.area_text} at the end of "
            f"{period_text(selection.period.label)}: counts below are zero and a rate with nothing to count "
            "shows –. Choose another area or cohort in the sidebar.",
            icon=":material/info:",
        )
    return selection


def no_data(message: str) -> None:
    """Say clearly that the selection has nothing to show (instead of an empty chart)."""
    st.info(message, icon=":material/info:")


def no_data_message(what: str, selection: Selection | None = None) -> str:
    """'There are no <what> for <selection>.' with a hint to widen the filters."""
    selection = selection or state.current_selection()
    return f"There are no {what} for {selection.description}. Try another period, more areas or all children."


def indicator_help(ids: Sequence[str], *, label: str = "Definitions") -> None:
    """A popover with each indicator's title and definition from the catalogue (one click away)."""
    catalogue = state.current_catalogue()
    known = [i for i in ids if i in catalogue]
    if not known:
        return
    with st.popover(label, icon=":material/help:"):
        for indicator in known:
            meta = catalogue[indicator]
            st.markdown(f"**{meta.title}** (`{meta.id}`)\n\n{meta.definition}\n\n*{judging_text(meta)}*")


def change_lines(row: dict[str, Any], previous_label: str, last_year_label: str) -> list[str]:
    """A card's comparison lines ('vs Q3 2013-14: +0.6 pts ↑ Improving performance'), from a row
    holding previous/last-year change texts and directions (the Overview's scorecard or
    ``cards.card_changes``). A year's previous period is last year already: one line then."""
    comparisons = [(previous_label, row["previous_change_text"], row["direction_vs_previous"])]
    if last_year_label != previous_label:
        comparisons.append((last_year_label, row["last_year_change_text"], row["direction_vs_last_year"]))
    lines = []
    for label, change_text, direction in comparisons:
        label = period_text(label)
        if direction is None:
            lines.append(f"<small>vs {label}: no figure to compare</small>")
        else:
            mark = theme.direction_mark(direction)
            # On a card the rating line already says "no optimum defined": the direction need not.
            words = mark.label.removesuffix(" (no optimum defined)")
            lines.append(f"<small>vs {label}: {change_text} {mark_html(mark, words)}</small>")
    return lines


def council_line(row: dict[str, Any]) -> str:
    """A card's line setting the council beside the area (``pages.common.council_beside`` row):
    'Council 20.3% · ↓ 3.7 pts worse than the council', the gap in colour, symbol and words."""
    council, _, gap = row["line"].partition(" · ")
    if not gap:
        return f"<small>{council}</small>"
    return f"<small>{council} · {mark_html(theme.direction_mark(row['gap_direction']), gap)}</small>"


def metric_row(
    view: PageFigures,
    indicators: Sequence[str],
    *,
    per_row: int = 3,
    changes: pl.DataFrame | None = None,
) -> None:
    """One st.metric per indicator (the period's value as displayed), with its definition as help.

    ``changes`` (``cards.card_changes``) adds the Overview's lines under each value: the change
    against the previous period and the same period last year, with its direction in symbol and
    words.
    """
    change_rows = {r["indicator"]: r for r in changes.iter_rows(named=True)} if changes is not None else {}
    catalogue = state.current_catalogue()
    shown = [i for i in indicators if view.has(i)]
    selection = state.selection_or_none()
    beside = council_beside(selection, shown) if selection is not None else None  # an area selection only
    left_out = left_out_caption(selection.ds) if selection is not None else None  # issue 22: children set aside
    council_rows = {r["indicator"]: r for r in beside.iter_rows(named=True)} if beside is not None else {}
    titles = [catalogue[i].title if i in catalogue else i for i in shown]
    labels = {
        i: f"{t} (%)" if titles.count(t) > 1 and i in catalogue and catalogue[i].unit == "pct" else t
        for i, t in zip(shown, titles, strict=True)
    }
    for start in range(0, len(shown), per_row):
        columns = st.columns(per_row)
        for column, indicator in zip(columns, shown[start : start + per_row], strict=False):
            meta = catalogue.get(indicator)
            missing, base, scope = view.not_recorded(indicator), view.base(indicator), view.scope(indicator)
            row = change_rows.get(indicator)
            with column, st.container(border=True):
                st.metric(
                    labels[indicator],
                    view.display(indicator),
                    help=f"{meta.definition} {judging_text(meta)}" if meta else None,
                )
                if missing:  # not recorded is not zero: say why, and what to import to get it
                    st.caption(missing)
                elif base:  # a percentage on a small base shows its base
                    st.caption(f"Small base: {base}")
                if scope and not missing:  # what a staffing or caseload figure covers
                    st.caption(f"Covers: {scope}")
                if left_out:
                    st.caption(left_out)
                if indicator in council_rows:  # an area's card: the council beside it (issue 26, item 1)
                    st.markdown(council_line(council_rows[indicator]), unsafe_allow_html=True)
                if row is not None:
                    lines = change_lines(row, row["previous_period"], row["last_year_period"])
                    st.markdown("<br>".join(lines), unsafe_allow_html=True)


def mark_html(mark: theme.Mark, text: str | None = None) -> str:
    """A rating or direction as coloured symbol plus words (colour is never the only cue)."""
    words = text if text is not None else mark.label
    return f'<span style="color:{mark.colour};font-weight:600">{mark.symbol} {words}</span>'


def legend() -> None:
    """The legend the seed reports use: directions and RAG ratings, symbol and words together."""
    directions = " &nbsp; ".join(mark_html(theme.DIRECTION[k]) for k in ("improving", "unchanged", "declining"))
    ratings = " &nbsp; ".join(mark_html(m) for m in theme.RAG.values())
    st.markdown(
        f"<small>**Direction:** {directions}<br>**Rating:** {ratings}</small>",
        unsafe_allow_html=True,
    )


@contextmanager
def friendly_errors(what: str = "this page") -> Iterator[None]:
    """Turn any unexpected error into a plain message (the details go to the server log)."""
    try:
        yield
    except Exception:
        state.LOG.exception("error drawing %s", what)
        st.error(ERROR_MESSAGE, icon=":material/error:")
