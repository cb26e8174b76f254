"""The explorer run in-process with Streamlit's AppTest: every page, for every cohort and a sample of
areas and periods, runs without an error, and the figures it shows are the ones iro_metrics returns
for the same selection (worked out here straight from compute_indicators and the catalogue)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from iro_metrics.catalogue import catalogue_for, format_value
from iro_metrics.dataset import load_dataset, write_dataset
from iro_metrics.indicators import compute_indicators
from iro_metrics.indicators.recorded import not_recorded
from iro_metrics.pages.challenge import CHALLENGE_IDS
from iro_metrics.pages.children import WORKLOAD_IDS
from iro_metrics.pages.quality import QA_FOCUS_ITEMS, qa_ids
from iro_metrics.pages.reviews import REVIEW_IDS
from iro_metrics.periods import parse_period
from iro_metrics.selection import Selection
from iro_metrics.store import SHIPPED_DATASET
from ui.navigation import BY_FILE, PAGES
from ui.show import SECTION_KEY_PREFIX, TABS_KEY_PREFIX

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 120  # seconds per run: generous for a loaded two-core CI machine
FRIENDLY_ERROR = "Sorry, this view could not be drawn"
COHORT_LABELS = {"all": "All children", "uasc": "UASC", "citizen": "Citizen children"}
DCS = "Disabled Children's Service"

CATALOGUE = catalogue_for(SHIPPED_DATASET)
QA_FOCUS = [i for item in QA_FOCUS_ITEMS for i in qa_ids(item)]
# The indicators whose period values each page shows as st.metric (a page not named shows none).
METRICS: dict[str, list[str]] = {
    "pages/overview.py": CATALOGUE.headline_ids(),
    "pages/children.py": list(WORKLOAD_IDS),
    "pages/reviews.py": list(REVIEW_IDS),
    "pages/quality.py": [*QA_FOCUS, "qa_audit_rate_pct"],
    "pages/challenge.py": list(CHALLENGE_IDS),
    "pages/childrens_views.py": ["iro_contact_pct"],
}
assert set(METRICS) <= set(BY_FILE)  # each named page is in the one page list
# Every page of the one list (ui/navigation.py) with its metrics.
PAGE_METRICS: dict[str, list[str]] = {p.file: METRICS.get(p.file, []) for p in PAGES}
# (year, quarter, areas): a quarter for the whole council, a whole year for two areas, and a quarter
# of one service where UASC have no children at all.
ALL_COUNCIL_Q4 = ("2013-14", "Q4", ())
TWO_AREAS_YEAR = ("2015-16", "Whole year", ("East Kent", "UASC Service"))
DCS_QUARTER = ("2017-18", "Q1", (DCS,))
MATRIX = [
    ("all", ALL_COUNCIL_Q4),
    ("uasc", ALL_COUNCIL_Q4),
    ("citizen", TWO_AREAS_YEAR),
    ("all", DCS_QUARTER),
    ("uasc", DCS_QUARTER),
]


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED_DATASET)


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data home, so only the shipped dataset (and what a test adds) is offered."""
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("IRO_DATASET", raising=False)
    return tmp_path


def open_app(query: dict[str, str | list[str]]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def query_for(cohort: str, year: str, quarter: str, areas: tuple[str, ...]) -> dict[str, str | list[str]]:
    query: dict[str, str | list[str]] = {"year": year, "cohort": COHORT_LABELS[cohort]}
    if quarter != "Whole year":
        query["quarter"] = quarter
    if areas:
        query["area"] = list(areas)
    return query


def metric_labels(ids: list[str]) -> dict[str, str]:
    """Indicator id -> the label its st.metric carries ('(%)' tells apart two equal titles)."""
    titles = [CATALOGUE[i].title for i in ids]
    return {
        i: f"{t} (%)" if titles.count(t) > 1 and CATALOGUE[i].unit == "pct" else t
        for i, t in zip(ids, titles, strict=True)
    }


def open_every_section(at: AppTest) -> AppTest:
    """The page rerun with every table section (``show.table_section``) open, as a user clicking
    each "Table: ..." would; a section opened inside another is opened on the next round."""
    for _ in range(3):
        closed = [k for k in at.session_state if k.startswith(SECTION_KEY_PREFIX) and not at.session_state[k]]
        if not closed:
            break
        for key in closed:
            at.session_state[key] = True
        at.run()
    return at


def each_tab_chosen(at: AppTest) -> list[str]:
    """Rerun the page once with each tab of its lazily drawn tabs (``show.lazy_tabs``) chosen in
    turn, as a user clicking through them would; return the labels chosen. (A page has at most one
    set of such tabs, so every tab drawn is one of its labels.)"""
    keys = [k for k in at.session_state if k.startswith(TABS_KEY_PREFIX)]
    assert len(keys) <= 1, keys
    chosen: list[str] = []
    for key in keys:
        for label in [t.label for t in at.tabs]:
            at.session_state[key] = label
            at.run()
            assert_runs_cleanly(at)
            assert_privacy_and_alt_text(at)
            chosen.append(label)
    return chosen


def assert_runs_cleanly(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if FRIENDLY_ERROR in e.value], [e.value for e in at.error]


def assert_privacy_and_alt_text(at: AppTest) -> None:
    for table in at.dataframe:
        assert not {"child_id", "date_of_birth"} & set(table.value.columns)
    for chart in at.get("vega_lite_chart"):
        assert chart.proto.spec and '"description"' in chart.proto.spec


@pytest.mark.parametrize(("cohort", "sample"), MATRIX, ids=[f"{c}-{s[0]}-{s[1]}-{len(s[2])}areas" for c, s in MATRIX])
def test_every_page_runs_and_shows_the_engines_figures(data_home, shipped, cohort, sample) -> None:
    year, quarter, areas = sample
    period = parse_period(year if quarter == "Whole year" else f"{year}-{quarter}")
    engine = compute_indicators(Selection.of(shipped, period, list(areas) or None, cohort))
    expected_values = dict(engine.select("indicator", "value").iter_rows())
    unrecorded = not_recorded(shipped, list(expected_values), cohort, period.end)

    at = open_app(query_for(cohort, year, quarter, areas))
    assert_runs_cleanly(at)
    # The sidebar shows the selection the URL asked for.
    assert at.sidebar.selectbox(key="year").value == year
    assert at.sidebar.radio(key="quarter").value == quarter
    assert at.sidebar.radio(key="cohort").value == cohort
    assert tuple(at.sidebar.multiselect(key="area").value) == areas

    for page, ids in PAGE_METRICS.items():
        at.switch_page(page).run()
        assert_runs_cleanly(at)
        assert_privacy_and_alt_text(at)
        if BY_FILE[page].filters:  # the page says which selection its figures are for
            assert any(period.long_label in c.value for c in at.caption), page
        shown = {m.label: m.value for m in at.metric}
        for indicator, label in metric_labels(ids).items():
            if page == "pages/overview.py" and label not in shown:
                continue  # the overview draws its cards only when the selection has data
            assert label in shown, (page, label, sorted(shown))
            expected = (
                "Not recorded"
                if indicator in unrecorded
                else format_value(CATALOGUE[indicator], expected_values[indicator])
            )
            assert shown[label] == expected, (page, indicator, shown[label], expected)
        each_tab_chosen(at)  # the charts and tables drawn only when their tab is chosen run too


def test_a_selection_with_no_children_says_so_instead_of_drawing_empty_charts(data_home) -> None:
    at = open_app(query_for("uasc", *DCS_QUARTER))
    for page in ("pages/overview.py", "pages/reviews.py", "pages/quality.py", "pages/areas.py"):
        at.switch_page(page).run()
        assert_runs_cleanly(at)
        assert any("There are no" in i.value and DCS in i.value for i in at.info), page
        assert len(at.get("vega_lite_chart")) == 0, page


def test_changing_a_filter_recomputes_the_figures(data_home, shipped) -> None:
    at = open_app({"year": "2013-14", "quarter": "Q4"})
    at.switch_page("pages/children.py").run()
    council = compute_indicators(Selection.of(shipped, "2013-14-Q4"))
    shown = {m.label: m.value for m in at.metric}
    in_care = council.filter(pl.col("indicator") == "children_in_care")["value"][0]
    assert shown["Children in care"] == format_value(CATALOGUE["children_in_care"], in_care)

    at.sidebar.radio(key="cohort").set_value("uasc").run()
    assert_runs_cleanly(at)
    uasc = compute_indicators(Selection.of(shipped, "2013-14-Q4", None, "uasc"))
    uasc_in_care = uasc.filter(pl.col("indicator") == "children_in_care")["value"][0]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Children in care"] == format_value(CATALOGUE["children_in_care"], uasc_in_care)
    assert uasc_in_care < in_care
    # Caseloads are whole-service figures whatever the cohort.
    caseload = council.filter(pl.col("indicator") == "caseload_per_establishment_fte")["value"][0]
    assert shown["Caseload per FTE (establishment)"] == format_value(
        CATALOGUE["caseload_per_establishment_fte"], caseload
    )


def test_the_filters_survive_a_page_change(data_home) -> None:
    at = open_app({"year": "2014-15", "quarter": "Q2", "cohort": "UASC", "area": ["North Kent"]})
    at.switch_page("pages/reviews.py").run()
    at.switch_page("pages/challenge.py").run()
    assert_runs_cleanly(at)
    assert at.sidebar.selectbox(key="year").value == "2014-15"
    assert at.sidebar.radio(key="quarter").value == "Q2"
    assert at.sidebar.radio(key="cohort").value == "uasc"
    assert at.sidebar.multiselect(key="area").value == ["North Kent"]
    assert any("Q2 2014-15" in c.value and "North Kent" in c.value and "UASC" in c.value for c in at.caption)


def test_every_table_offers_a_csv_download(data_home) -> None:
    at = open_app({"year": "2013-14", "quarter": "Q4"})
    for page in (p.file for p in PAGES if p.action == "view"):  # every page each role sees
        open_every_section(at.switch_page(page).run())
        assert len(at.dataframe) >= 1, page
        assert len(at.get("download_button")) >= len(at.dataframe), page


def _small_dataset(folder: Path, name: str) -> None:
    from tests.builders import make_dataset

    ds = make_dataset(
        episodes=[{"child_id": "C1", "start_date": parse_period("2013-14").start}],
        reviews=[{"child_id": "C1", "review_date": parse_period("2013-14-Q2").start}],
    )
    frames = {table: lf.collect() for table, lf in ds.tables.items()}
    write_dataset(frames, {"local_authority": name, "synthetic": False}, folder)


def test_the_dataset_selector_offers_imported_datasets_and_says_which_is_in_use(data_home) -> None:
    _small_dataset(data_home / "datasets" / "tiny", "Tiny council")
    at = open_app({})
    assert at.sidebar.selectbox(key="dataset").options == ["shipped", "tiny"]
    assert any("Kent (synthetic)" in c.value and "· synthetic data" in c.value for c in at.sidebar.caption)

    at.sidebar.selectbox(key="dataset").set_value("tiny").run()
    assert_runs_cleanly(at)
    assert any("Tiny council" in c.value and "· imported data" in c.value for c in at.sidebar.caption)
    assert at.sidebar.selectbox(key="year").options == ["2013-14"]


def test_a_dataset_named_by_iro_dataset_opens_first(data_home, tmp_path_factory, monkeypatch) -> None:
    elsewhere = tmp_path_factory.mktemp("partnership") / "region"
    _small_dataset(elsewhere, "Tiny region")
    monkeypatch.setenv("IRO_DATASET", str(elsewhere))
    _small_dataset(data_home / "datasets" / "configured", "An imported council")  # a name that must not clash
    at = open_app({})
    assert_runs_cleanly(at)
    assert at.sidebar.selectbox(key="dataset").options == ["(IRO_DATASET)", "shipped", "configured"]
    assert any("Tiny region" in c.value and "· imported data" in c.value for c in at.sidebar.caption)
    assert at.sidebar.selectbox(key="year").options == ["2013-14"]
    # The shipped dataset is still one choice away.
    at.sidebar.selectbox(key="dataset").set_value("shipped").run()
    assert any("Kent (synthetic)" in c.value for c in at.sidebar.caption)


def test_a_broken_dataset_is_explained_not_a_traceback(data_home) -> None:
    broken = data_home / "datasets" / "broken"
    _small_dataset(broken, "Broken council")
    (broken / "reviews.parquet").write_bytes(b"not a parquet file")
    at = open_app({"dataset": "broken"})
    assert not at.exception
    assert any("cannot be shown" in e.value and "reviews" in e.value for e in at.error), [e.value for e in at.error]


def test_a_link_with_values_the_data_does_not_have_falls_back_to_defaults(data_home) -> None:
    at = open_app({"year": "1999-00", "quarter": "Q9", "area": ["Atlantis"], "cohort": "Martians"})
    assert_runs_cleanly(at)
    latest = at.sidebar.selectbox(key="year").options[-1]
    assert at.sidebar.selectbox(key="year").value == latest
    assert at.sidebar.radio(key="quarter").value == "Whole year"
    assert at.sidebar.multiselect(key="area").value == []
    assert at.sidebar.radio(key="cohort").value == "all"
    assert any(f"{latest} (April" in c.value and "all areas" in c.value for c in at.caption)


def test_the_filters_make_a_selection(shipped) -> None:
    from ui import state

    quarter = Selection.of(shipped, state.period_chosen("2013-14", "Q4"), ["West Kent", "East Kent"], "uasc")
    assert quarter.period.label == "2013-14-Q4"
    assert quarter.areas == ("East Kent", "West Kent")
    assert quarter.description == "Q4 2013-14 (January to March 2014) · East Kent, West Kent · UASC"
    assert quarter.file_suffix == "2013-14-q4_east-kent-west-kent_uasc"
    year = Selection.of(shipped, state.period_chosen("2015-16", "Whole year"), [], "all")
    assert (year.period.start, year.period.end) == (date(2015, 4, 1), date(2016, 3, 31))
    assert year.description == "2015-16 (April 2015 to March 2016) · all areas · All children"


def test_topic_page_cards_show_the_change_like_the_overview(data_home, shipped) -> None:
    # Issue 15: Reviews, Children, Quality, Challenge and Views cards carry "vs previous / vs same
    # period last year" with direction. Reviews on time, Q4 2013-14 against Q3 2013-14 and Q4 2012-13,
    # worked out here from compute_indicators.
    at = open_app({"year": "2013-14", "quarter": "Q4"})
    values = {
        label: dict(compute_indicators(Selection.of(shipped, label)).select("indicator", "value").iter_rows())
        for label in ("2013-14-Q4", "2013-14-Q3", "2012-13-Q4")
    }
    on_time = [values[p]["reviews_on_time_pct"] for p in ("2013-14-Q4", "2013-14-Q3", "2012-13-Q4")]
    meta = CATALOGUE["reviews_on_time_pct"]
    vs_previous = f"{on_time[0] - on_time[1]:+.1f} pts"
    vs_last_year = f"{on_time[0] - on_time[2]:+.1f} pts"
    for page in (
        "pages/reviews.py",
        "pages/children.py",
        "pages/quality.py",
        "pages/challenge.py",
        "pages/childrens_views.py",
    ):
        at.switch_page(page).run()
        assert_runs_cleanly(at)
        text = " ".join(m.value for m in at.markdown)
        assert "vs Q3 2013-14:" in text and "vs Q4 2012-13:" in text, page
        assert "2013-14-Q3" not in text, page  # one period style
    at.switch_page("pages/reviews.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert f"vs Q3 2013-14: {vs_previous}" in text and f"vs Q4 2012-13: {vs_last_year}" in text
    assert meta.polarity == "higher"
    expected = "Improving performance" if on_time[0] > on_time[1] else "Drop in performance"
    assert f"vs Q3 2013-14: {vs_previous} " in text and expected in text


def test_trend_charts_mark_the_selected_period(data_home) -> None:
    at = open_app({"year": "2014-15", "quarter": "Q2"})
    at.switch_page("pages/reviews.py").run()
    assert_runs_cleanly(at)
    (key,) = [k for k in at.session_state if k.startswith(TABS_KEY_PREFIX)]  # its charts' tabs
    specs: set[str] = set()
    for label in [t.label for t in at.tabs]:  # each drawn only when chosen
        at.session_state[key] = label
        at.run()
        assert_runs_cleanly(at)
        specs |= {c.proto.spec for c in at.get("vega_lite_chart")}
    # The alt text reads the selected period first, and a dashed rule marks it (its data go as Arrow).
    marked = [s for s in specs if "Selected (Q2 2014-15)" in s]
    assert len(marked) >= 5
    assert all('"strokeDash": [2, 2]' in s or '"strokeDash":[2,2]' in s for s in marked)


def test_empty_area_and_cohort_combinations_are_named(data_home) -> None:
    # Issue 15: East Kent + UASC is empty in the shipped data; the sidebar says so before and after.
    at = open_app({"year": "2015-16", "quarter": "Q2"})
    assert_runs_cleanly(at)
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "no UASC in" in captions and "East Kent" in captions
    at = open_app({"year": "2015-16", "quarter": "Q2", "area": ["East Kent"], "cohort": "UASC"})
    assert_runs_cleanly(at)
    assert any("No UASC were in care in East Kent" in w.value for w in at.sidebar.warning)


def test_headings_and_chart_titles_write_the_period_one_way(data_home) -> None:
    # Issue 15, one period style: "Responses, Q4 2013-14", not "Responses, 2013-14-Q4", in every
    # heading, metric label and chart title of the topic pages.
    at = open_app({"year": "2013-14", "quarter": "Q4"})
    for page in ("pages/reviews.py", "pages/quality.py", "pages/challenge.py", "pages/childrens_views.py"):
        at.switch_page(page).run()
        assert_runs_cleanly(at)
        shown = [s.value for s in at.subheader] + [m.label for m in at.metric]
        shown += [str(json.loads(c.proto.spec).get("title", "")) for c in at.get("vega_lite_chart")]
        assert not [s for s in shown if "2013-14-Q4" in s], page
    at.switch_page("pages/childrens_views.py").run()
    assert "Responses, Q4 2013-14" in [m.label for m in at.metric]


def test_a_topic_page_says_when_the_chosen_areas_and_cohort_hold_no_children(data_home) -> None:
    # East Kent has no UASC at the end of Q4 2013-14 (the sidebar says so): the Challenge page's
    # zeros and dashes come with the same words; a selection with children gets no such note.
    at = open_app({"year": "2013-14", "quarter": "Q4", "area": ["East Kent"], "cohort": "UASC"})
    at.switch_page("pages/challenge.py").run()
    assert_runs_cleanly(at)
    notes = [i.value for i in at.info]
    assert any(n.startswith("No UASC were in care in East Kent at the end of Q4 2013-14") for n in notes), notes
    at.switch_page("pages/overview.py").run()  # the Overview says it in its own words, once
    assert sum("No UASC were in care" in i.value for i in at.info) == 0
    assert any("There are no children in care or reviews" in i.value for i in at.info)
    other = open_app({"year": "2013-14", "quarter": "Q4", "area": ["East Kent"]})
    other.switch_page("pages/challenge.py").run()
    assert not [i.value for i in other.info if "were in care in" in i.value]


# --- Issue 26, item 5: each role sees only its pages in the menu -----------------------------------


@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        # viewer: no briefing (analyst), no import or audit (importer)
        ("viewer", {"pages/briefing.py", "pages/import_data.py", "pages/admin.py"}),
        # analyst: briefings yes; import and audit still need the importer role
        ("analyst", {"pages/import_data.py", "pages/admin.py"}),
        ("importer", set()),  # every page
    ],
)
def test_each_role_s_menu_lists_only_the_pages_it_may_use(role: str, hidden: set[str]):
    from iro_metrics.access.roles import Grant
    from ui.navigation import page_files_for

    every = page_files_for(None)
    assert len(every) == 12 and every[0] == "pages/overview.py"  # the whole menu, Overview first
    listed = page_files_for(Grant("someone@council.gov.uk", role).may)
    assert listed == [f for f in every if f not in hidden]  # same order, the role's pages only


def test_a_viewer_s_menu_hides_briefing_and_import_but_keeps_them_reachable_to_refuse_in_words():
    from ui.navigation import menu

    def viewer(action: str) -> bool:
        return action == "view"

    shown = dict(menu(viewer, with_admin=False))
    assert shown["pages/overview.py"] and shown["pages/areas.py"]
    assert shown["pages/briefing.py"] is False and shown["pages/import_data.py"] is False  # registered, hidden
    assert "pages/admin.py" not in shown  # the audit page is not even registered
    assert all(dict(menu(None, with_admin=True)).values())  # resolving a URL: every page, admin too


# --- Issue 26, item 4: filters a link asks for are never dropped in silence ------------------------


def test_a_year_and_an_area_the_data_lacks_are_named_on_the_page_and_in_the_sidebar(data_home: Path):
    at = open_app({"year": "1999-00", "area": ["Nowhere", "North Kent"]})
    assert not at.exception, at.exception
    options = at.selectbox(key="year").options
    page = [w.value for w in at.main.warning]
    side = [w.value for w in at.sidebar.warning]
    year_note = (
        f"The link asked for the year 1999-00, but this dataset covers {options[0]} to {options[-1]} only, "
        f"so the latest year, {options[-1]}, is shown instead."
    )
    area_note = (
        "The link asked for the area Nowhere, but there is no area of that name in this dataset, "
        "so North Kent is shown instead."
    )
    assert year_note in page and area_note in page
    assert year_note in side and area_note in side
    assert at.multiselect(key="area").value == ["North Kent"]
    at.run()  # the URL lost the bad values at once; the note stays while the fallback is shown
    assert area_note in [w.value for w in at.main.warning]
    at.multiselect(key="area").set_value(["West Kent"]).run()  # chose again: the note has done its work
    assert not [w.value for w in at.main.warning if w.value.startswith("The link asked")]


def test_an_east_kent_viewer_s_link_to_north_kent_says_why_and_what_is_shown(tmp_path: Path, monkeypatch):
    from tests.app.test_sign_in import _app, _signed_in

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("IRO_DATA_HOME", str(home))
    monkeypatch.chdir(ROOT)
    at = _app(_signed_in("east@council.gov.uk"), home=home)
    at.query_params["area"] = "North Kent"
    at.run()
    assert not at.exception, at.exception
    note = (
        "The link asked for the area North Kent, but your role lets you see East Kent and the council total "
        "only, so the whole council (all areas) is shown instead."
    )
    assert note in [w.value for w in at.main.warning]  # beside the header that says "all areas"
    assert at.multiselect(key="area").value == []


# --- Issue 26, item 2: one caseload rule on the Children page --------------------------------------


def test_the_children_page_s_caseload_section_covers_what_its_cards_cover(data_home: Path, shipped):
    from iro_metrics.indicators.workload import caseload_scope

    scope = caseload_scope(shipped, ["North Kent"])  # the team serving North Kent, as the cards say
    at = open_app({"area": "North Kent"})
    at.switch_page("pages/children.py").run()
    assert not at.exception, at.exception
    assert f"Covers: {scope}" in [c.value for c in at.caption]  # the cards ...
    assert f"IRO caseloads ({scope})" in [h.value for h in at.subheader]  # ... and the section below
    assert not any("always cover the whole service" in c.value for c in at.caption)


# --- Issue 26, item 1: the area beside the council -------------------------------------------------


def test_an_area_s_cards_set_the_council_beside_them_and_the_slips_put_it_first(data_home: Path):
    at = open_app({"year": "2013-14", "quarter": "Q4", "area": "North Kent"})
    assert not at.exception, at.exception
    cards = "\n".join(m.value for m in at.markdown)
    # North Kent 24.0% late notifications against Kent's 20.3%: 3.7 points worse
    assert "Council 20.3% · " in cards and "3.7 pts worse than the council" in cards
    at.switch_page("pages/reviews.py").run()  # a topic page's cards too
    assert not at.exception, at.exception
    assert "than the council" in "\n".join(m.value for m in at.markdown)
    at.switch_page("pages/areas.py").run()
    slips = next(df.value for df in at.dataframe if "Chosen" in df.value.columns)
    assert slips["Area"].iloc[0] == "North Kent" and slips["Chosen"].iloc[0] == "✓ chosen"
    assert set(slips.loc[slips["Chosen"] == "", "Area"]) and "North Kent" not in set(
        slips.loc[slips["Chosen"] == "", "Area"]
    )


def test_the_council_s_own_cards_have_no_council_line(data_home: Path):
    at = open_app({"year": "2013-14", "quarter": "Q4"})
    assert not at.exception, at.exception
    assert "than the council" not in "\n".join(m.value for m in at.markdown)


def test_the_whole_council_s_slips_have_no_chosen_column(data_home: Path):
    # With every area chosen, "✓ chosen" on every row says nothing, so the column is left out.
    at = open_app({"year": "2013-14", "quarter": "Q4"})
    at.switch_page("pages/areas.py").run()
    assert not at.exception, at.exception
    slips = next(df.value for df in at.dataframe if "Off target by" in df.value.columns)
    assert "Chosen" not in slips.columns


def test_each_breakdown_tab_shows_its_own_table_worked_out_when_chosen(data_home) -> None:
    # Only the chosen tab's breakdown is worked out and drawn (issue 27): each tab, once chosen,
    # shows the table of its own breakdown, and no other breakdown's.
    at = open_app({"year": "2013-14", "quarter": "Q4"})
    at.switch_page("pages/children.py").run()
    labels = ["Age band", "Sex", "Ethnicity", "Legal status"]
    assert [t.label for t in at.tabs] == labels
    assert each_tab_chosen(at) == labels
    for label in labels:
        at.session_state[f"{TABS_KEY_PREFIX}breakdown"] = label
        at.run()
        shown = [c for table in at.dataframe for c in table.value.columns if c in labels]
        assert shown == [label], label
