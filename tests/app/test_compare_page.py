"""AppTest of the Compare page: start from app.py, switch to the page, change its controls, and check
that the tables shown are the iro_metrics functions' results for the same settings."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest

from iro_metrics import compare, significance, whatif
from iro_metrics.dataset import load_dataset, write_dataset
from iro_metrics.selection import Selection
from tests.builders import frame

ROOT = Path(__file__).resolve().parents[2]
DATASET_KEY = "compare-test"
TIMEOUT = 60


def _build_frames() -> dict[str, pl.DataFrame]:
    """Two financial years, 2012-13 and 2013-14: 30 children in care throughout, reviewed each
    quarter; starts spread over each year (20 then 25, some UASC, some notified late); formal
    disputes; QA grades; two IRO teams of 2 FTE each."""
    episodes, reviews, grades, disputes, staffing = [], [], [], [], []
    for n in range(30):
        area = ("East Kent", "West Kent")[n % 2]
        episodes.append({"child_id": f"L{n}", "start_date": date(2010, 1, 5), "area": area})
        for k in range(8):
            review_day = date(2012, 4, 20) + timedelta(days=91 * k + n)
            reviews.append(
                {
                    "child_id": f"L{n}",
                    "review_date": review_day,
                    "participation_code": "PN1" if (n + k) % 5 else "PN7",
                    "minutes_issued_date": review_day + timedelta(days=7 if (n + k) % 4 else 40),
                    "area": area,
                }
            )
            grades.append(
                {
                    "review_id": f"R{len(reviews)}",
                    "audit_date": review_day,
                    "grade": "inadequate" if (n + k) % 6 == 0 else "good",
                    "area": area,
                }
            )
    for year, starts, late_every in ((2012, 20, 5), (2013, 25, 2)):
        for s in range(starts):
            start = date(year, 4, 3) + timedelta(days=14 * s)
            uasc = s % 4 == 0
            episodes.append(
                {
                    "child_id": f"S{year}-{s}",
                    "start_date": start,
                    "iro_notified_date": start + timedelta(days=10 if s % late_every == 0 else 0),
                    "area": "East Kent",
                    "uasc": uasc,
                }
            )
        for d in range(6 if year == 2012 else 9):
            disputes.append(
                {
                    "child_id": f"L{d}",
                    "raised_date": date(year, 5, 1) + timedelta(days=30 * d),
                    "route": "formal",
                    "highest_level": 1,
                    "area": "East Kent",
                }
            )
    month_ends = [date(2012, 4, 30) + timedelta(days=0)]
    for m in range(24):
        year, month = 2012 + (3 + m) // 12, (3 + m) % 12 + 1
        next_first = date(year + (month == 12), month % 12 + 1, 1)
        month_ends.append(next_first - timedelta(days=1))
    for month_end in sorted(set(month_ends)):
        for team in ("North", "South"):
            staffing.append({"month_end": month_end, "team": team, "fte_establishment": 2.0, "fte_in_post": 1.5})
    frames = {
        "episodes": frame("episodes", episodes),
        "reviews": frame("reviews", reviews),
        "qa_grades": frame("qa_grades", grades),
        "disputes": frame("disputes", disputes),
        "iro_staffing": frame("iro_staffing", staffing),
    }
    ids = sorted(set(frames["episodes"]["child_id"].to_list()))
    frames["children"] = frame("children", [{"child_id": i} for i in ids])
    return frames


@pytest.fixture(scope="module")
def dataset_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("iro-data-home")
    meta = {
        "local_authority": "Compare test council",
        "synthetic": True,
        "first_day": date(2012, 4, 1),
        "last_day": date(2014, 3, 31),
    }
    write_dataset(_build_frames(), meta, home / "datasets" / DATASET_KEY)
    return home


@pytest.fixture
def app(dataset_home: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("IRO_DATA_HOME", str(dataset_home))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"dataset": DATASET_KEY, "year": "2013-14"})
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest, index: int = 0) -> pl.DataFrame:
    return pl.from_pandas(at.dataframe[index].value)


def _dataset(dataset_home: Path):
    return load_dataset(dataset_home / "datasets" / DATASET_KEY)


def test_default_comparison_is_the_year_before(app: AppTest, dataset_home: Path):
    ds = _dataset(dataset_home)
    expected = compare.comparison_screen_table(
        compare.compare_periods(Selection.of(ds, "2012-13"), Selection.of(ds, "2013-14")), "2012-13", "2013-14"
    )
    shown = _shown(app)
    assert_frame_equal(shown, expected, check_dtypes=False)
    late = shown.filter(pl.col("Indicator") == "Late notification rate").row(0, named=True)
    # 2012-13: every 5th of 20 starts late = 4 (20%); 2013-14: every 2nd of 25 = 13 (52%)
    assert (late["2012-13"], late["2013-14"], late["Change"]) == ("20.0", "52.0", "+32.0")  # as text (issue 15)
    assert late["More than chance?"] == significance.REAL_CHANGE
    assert len(app.get("download_button")) == 2


def test_custom_periods_and_url(app: AppTest, dataset_home: Path):
    app.radio(key="compare_with").set_value("custom").run()
    app.selectbox(key="period_a").set_value("2013-14-Q1").run()
    app.selectbox(key="period_b").set_value("2013-14-Q3").run()
    assert not app.exception, app.exception
    ds = _dataset(dataset_home)
    # Headings in the one period style, "Q1 2013-14" (issue 15; the labels were "2013-14-Q1").
    expected = compare.comparison_screen_table(
        compare.compare_periods(Selection.of(ds, "2013-14-Q1"), Selection.of(ds, "2013-14-Q3")),
        "Q1 2013-14",
        "Q3 2013-14",
    )
    assert_frame_equal(_shown(app), expected, check_dtypes=False)
    # Every setting is bound to the URL under its key.
    for widget in (app.radio(key="compare_with"), app.selectbox(key="period_a"), app.selectbox(key="period_b")):
        assert widget.proto.query_param_key == widget.key


def test_why_counts_changed(app: AppTest, dataset_home: Path):
    app.radio(key="compare_view").set_value("why").run()
    assert not app.exception, app.exception
    ds = _dataset(dataset_home)
    decompositions = compare.count_decompositions(Selection.of(ds, "2012-13"), Selection.of(ds, "2013-14"))
    assert_frame_equal(
        _shown(app, 0), compare.decomposition_table(decompositions, "2012-13", "2013-14"), check_dtypes=False
    )
    late = _shown(app, 0).filter(pl.col("Count") == "Late notifications").row(0, named=True)
    # 20 starts at 20% -> 25 at 52%: 4 -> 13. volume = 5 * 0.72 / 2 = 1.8; rate = 0.32 * 45 / 2 = 7.2
    assert (late["2012-13"], late["2013-14"], late["From volume"], late["From rate"]) == (4, 13, 1.8, 7.2)
    # three default waterfalls: late notifications, formal disputes, inadequate care plans
    assert len(app.get("vega_lite_chart")) == 3
    app.multiselect(key="explain").set_value(["late_notifications"]).run()
    assert len(app.get("vega_lite_chart")) == 1


def test_at_last_years_rate_is_its_own_question(app: AppTest):
    # Moved from test_why_counts_changed: "At last year's rate" is now its own section, led by sentences.
    app.radio(key="compare_view").set_value("earlier_rate").run()
    assert not app.exception, app.exception
    at_rate = _shown(app, 0).filter(pl.col("count") == "late_notifications").row(0, named=True)
    # 25 starts at 2012-13's 20% = 5 late notifications
    assert at_rate["at_earlier_rate"] == pytest.approx(5.0)
    # 25 starts at 20 per 100 = 5, against 13 actual: 8 more.
    sentences = " ".join(m.value for m in app.markdown)
    assert (
        "Late notifications: at 2012-13's rate (20.0 per 100 children starting care), 2013-14's 25 children "
        "starting care would have given 5, against 13 (8 more than at the earlier rate)."
    ) in sentences
    # The period choice matters here, so it is shown.
    assert app.radio(key="compare_with").value == "year_earlier"


def test_compare_with_is_hidden_where_it_does_nothing(app: AppTest):
    for section in ("scenarios", "uasc"):
        app.radio(key="compare_view").set_value(section).run()
        assert not app.exception, app.exception
        assert "compare_with" not in [r.key for r in app.radio]


def test_scenarios_follow_the_inputs(app: AppTest, dataset_home: Path):
    app.radio(key="compare_view").set_value("scenarios").run()
    assert not app.exception, app.exception
    app.number_input(key="fte").set_value(6.0).run()
    app.number_input(key="caseload_target").set_value(5.0).run()
    app.number_input(key="uasc_change").set_value(50.0).run()
    assert not app.exception, app.exception
    ds = _dataset(dataset_home)
    baseline = whatif.uasc_baseline(Selection.of(ds, "2013-14"))
    # 30 long-stay children + 45 starters still in care = 75 at 31 March 2014; 4 FTE in 2 teams
    assert (baseline.children_all, baseline.fte) == (75, 4.0)
    staffing = _shown(app, 0)
    expected = whatif.scenario_display_table(whatif.staffing_scenario(75, 4.0, 6.0, 5.0))
    assert_frame_equal(staffing, expected, check_dtypes=False)
    per_fte = staffing.filter(pl.col("Measure") == "Children per FTE IRO").row(0, named=True)
    # 75 children on 4 FTE = 18.75 each; on 6 FTE = 12.5
    assert (per_fte["Now"], per_fte["Scenario"], per_fte["Unit"]) == (18.75, 12.5, "children per FTE")
    uasc = _shown(app, 1)
    expected = whatif.scenario_display_table(whatif.uasc_scenario(baseline, 50.0, fte=6.0, target_caseload=5.0))
    assert_frame_equal(uasc, expected, check_dtypes=False)
    # 12 UASC in care (every 4th of 20 and 25 starters: 5 + 7) -> 18; all children 75 -> 81
    uasc_rows = {r["Measure"]: r for r in uasc.iter_rows(named=True)}
    assert (uasc_rows["UASC in care"]["Now"], uasc_rows["UASC in care"]["Scenario"]) == (12, 18)
    assert uasc_rows["All children in care"]["Scenario"] == 81
    for key in ("fte", "caseload_target", "uasc_change"):
        assert app.number_input(key=key).proto.query_param_key == key


def test_with_and_without_uasc(app: AppTest, dataset_home: Path):
    app.radio(key="compare_view").set_value("uasc").run()
    assert not app.exception, app.exception
    ds = _dataset(dataset_home)
    expected = compare.cohort_display_table(compare.cohort_table(Selection.of(ds, "2013-14")))
    assert_frame_equal(_shown(app), expected, check_dtypes=False)


def test_shipped_dataset_reproduces_report_001(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The shipped synthetic Kent data, Q4 2013-14 against Q4 2012-13, and report 001's caseload question."""
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path))  # no imported datasets: the shipped one is used
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"year": "2013-14", "quarter": "Q4"})
    at.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    ds = load_dataset(ROOT / "data")
    comparison = compare.compare_periods(Selection.of(ds, "2012-13-Q4"), Selection.of(ds, "2013-14-Q4"))
    shown = _shown(at)
    assert_frame_equal(
        shown, compare.comparison_screen_table(comparison, "Q4 2012-13", "Q4 2013-14"), check_dtypes=False
    )
    late = comparison.filter(pl.col("indicator") == "late_notifications_pct").row(0, named=True)
    # Report 001: 32 late notifications of 158 children starting care in Q4 2013-14 = 20.3%
    assert (late["numerator_b"], late["denominator_b"]) == (32, 158)
    test = significance.two_proportion_test(late["numerator_a"], late["denominator_a"], 32, 158)
    assert late["p_value"] == pytest.approx(test.p_value)
    assert late["significance"] == test.significance

    at.radio(key="compare_view").set_value("scenarios").run()
    at.number_input(key="fte").set_value(24.0).run()
    assert not at.exception, at.exception
    staffing = {r["Measure"]: r for r in _shown(at, 0).iter_rows(named=True)}
    # Report 001: 1842 children and 22 FTE = 83.72 per FTE; 24 FTE would give 76.75; 70 each needs 26.31
    assert staffing["Children in care (whole service)"]["Now"] == 1842
    assert staffing["Children per FTE IRO"]["Now"] == pytest.approx(83.73)
    assert staffing["Children per FTE IRO"]["Scenario"] == pytest.approx(76.75)
    assert staffing["FTE needed for 70 children per FTE"]["Now"] == pytest.approx(26.31)
    # Issue 15: the answer leads in a sentence (1842 / 24 = 76.75 -> 76.8, 6.8 above 70; 1842 / 70 = 26.3).
    assert (
        "With 24 FTE, caseloads would be 76.8 children per IRO, still 6.8 above the guideline of 70; "
        "26.3 FTE would meet it."
    ) in [m.value for m in at.info]
    uasc = {r["Measure"]: r for r in _shown(at, 1).iter_rows(named=True)}
    assert (uasc["IRO FTE"]["Now"], uasc["IRO FTE"]["Scenario"]) == (22, 24)


def test_shipped_caseload_without_uasc_2015_16(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"year": "2015-16"})
    at.run()
    at.switch_page("pages/compare.py").run()
    at.radio(key="compare_view").set_value("uasc").run()
    assert not at.exception, at.exception
    # 2,427 in care at 31 March 2016, 883 of them UASC: 1,544 citizen children on 29 FTE = 53.2 each.
    assert (
        "Without UASC, caseloads at the end of 2015-16 would be 53.2 children per IRO (1,544 citizen children, "
        "29 FTE), 16.8 below the guideline of 70; with the 883 UASC they are 83.7."
    ) in [m.value for m in at.info]


def test_period_outside_the_data_says_so(dataset_home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IRO_DATA_HOME", str(dataset_home))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"dataset": DATASET_KEY, "year": "2012-13"})
    at.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    # The year before 2012-13 is not in the data: a plain message, no table, no traceback.
    messages = [m.value for m in at.info]
    assert any("no data for 2011-12" in m for m in messages), messages
    assert len(at.dataframe) == 0
    # Choosing two periods the data covers works (period A defaults to the newest year).
    at.radio(key="compare_with").set_value("custom").run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 1


def test_default_view_has_dumbbell_charts_of_every_change(app: AppTest, dataset_home: Path):
    # Issue 15: Compare's default view charts how far every indicator moved, biggest first.
    ds = _dataset(dataset_home)
    ranking = compare.change_ranking(compare.compare_periods(Selection.of(ds, "2012-13"), Selection.of(ds, "2013-14")))
    specs = [c.proto.spec for c in app.get("vega_lite_chart")]
    dumbbells = [s for s in specs if "Dumbbell chart of how far each" in s]
    assert len(dumbbells) == ranking.get_column("scale").n_unique()
    top = ranking.filter(pl.col("scale") == "points").row(0, named=True)
    assert f"biggest movement first. {top['title']}:" in dumbbells[0]
    # The period choice is shown for this question.
    assert app.radio(key="compare_with").value == "year_earlier"


def test_the_comparison_table_leaves_out_only_what_neither_period_has(app: AppTest, dataset_home: Path):
    # Every indicator with a value in 2012-13 or 2013-14 is a row; one with neither would be a row
    # of None cells, so it is named under the table instead.
    shown = _shown(app)
    comparison = compare.compare_periods(
        Selection.of(_dataset(dataset_home), "2012-13"), Selection.of(_dataset(dataset_home), "2013-14")
    )
    unvalued = compare.unvalued_titles(comparison)
    assert shown.height == comparison.height - len(unvalued) and shown.height > 20
    assert not set(unvalued) & set(shown.get_column("Indicator").to_list())
    assert shown.select(pl.col("2012-13").is_null() & pl.col("2013-14").is_null()).to_series().sum() == 0


def test_the_first_year_still_answers_what_if_and_with_and_without_uasc(app: AppTest, dataset_home: Path):
    # The scenarios and the UASC table look at the selected period only: the year before the data
    # starts (2011-12, period A by default) must not stop them.
    app.selectbox(key="year").set_value("2012-13").run()
    for section in ("scenarios", "uasc"):
        app.radio(key="compare_view").set_value(section).run()
        assert not app.exception, app.exception
        assert not [i for i in app.info if "cannot be made" in i.value], section
    ds = _dataset(dataset_home)
    expected = compare.cohort_display_table(compare.cohort_table(Selection.of(ds, "2012-13")))
    assert_frame_equal(_shown(app), expected, check_dtypes=False)
    # Two periods side by side still says that 2011-12 is not in the data.
    app.radio(key="compare_view").set_value("periods").run()
    assert [i for i in app.info if "no data for 2011-12" in i.value]


def test_each_question_opens_with_one_sentence_and_one_chart(app: AppTest):
    # Issue 26 item 6: the sentence (an st.info) comes first, then a chart, then the detail.
    expected_charts = {"periods": 1, "earlier_rate": 1, "scenarios": 2}  # scenarios: staffing and UASC
    for section, charts in expected_charts.items():
        app.radio(key="compare_view").set_value(section).run()
        assert not app.exception, app.exception
        assert app.info, section
        assert len(app.get("vega_lite_chart")) >= charts, section
    app.radio(key="compare_view").set_value("earlier_rate").run()
    # One tally sentence leads (7 counts with an earlier rate in this dataset), the biggest gap named;
    # the sentence per count moved into the detail below it.
    lead = app.info[0].value
    assert lead.startswith("At 2012-13's rates, ") and " of 7 counts in 2013-14 " in lead
    assert "; the biggest gap: " in lead
    assert app.expander[0].label == "Each count in a sentence"
