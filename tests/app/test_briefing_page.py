"""AppTest of the Briefing page: start from app.py, switch to the page, press "Build the paper",
and check that the preview is build_briefing's result for the same selection, that the threshold
setting is in the URL and changes the suppression, that the downloads are offered, that a filter
change does not rebuild the paper, and that every area's papers come as one zip."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from iro_metrics.briefing import MARKER, build_briefing
from iro_metrics.dataset import load_dataset, write_dataset
from iro_metrics.selection import Selection
from tests.briefing.test_build import FIRST_DAY, LAST_DAY, TABLES, title
from tests.builders import frame

ROOT = Path(__file__).resolve().parents[2]
DATASET_KEY = "briefing-test"
TIMEOUT = 120


@pytest.fixture(scope="module")
def dataset_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("iro-data-home")
    frames = {name: frame(name, rows) for name, rows in TABLES.items()}
    meta = {"local_authority": "Briefing test council", "synthetic": True, "first_day": FIRST_DAY, "last_day": LAST_DAY}
    write_dataset(frames, meta, home / "datasets" / DATASET_KEY)
    return home


def open_page(dataset_home: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("IRO_DATA_HOME", str(dataset_home))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update({"dataset": DATASET_KEY, "year": "2013-14", "quarter": "Q4", **params})
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, at.exception
    return at


def build(at: AppTest) -> AppTest:
    at.button(key="build_paper").click().run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_paper_is_built_only_when_asked(dataset_home, monkeypatch):
    at = open_page(dataset_home, monkeypatch)
    assert not at.dataframe and not at.get("download_button")
    assert any("press **Build the paper**" in i.value for i in at.info)


def test_preview_is_the_briefing_for_the_selection(dataset_home, monkeypatch):
    at = build(open_page(dataset_home, monkeypatch))
    expected = build_briefing(Selection.of(load_dataset(dataset_home / "datasets" / DATASET_KEY), "2013-14-Q4"))
    text = page_text(at)
    assert "\n".join(f"- {h}" for h in expected.headlines) in text
    for section in expected.sections:
        for paragraph in section.paragraphs:
            assert paragraph in text
    # Tables: every briefing table, as text, with the area table's suppressed cells.
    shown = [df.value for df in at.dataframe]
    assert len(shown) == sum(len(s.tables) for s in expected.sections)
    areas = next(df for df in shown if "Area" in df.columns)
    assert areas["Children in care"].tolist() == ["30", MARKER, MARKER, "45"]
    assert len(at.get("vega_lite_chart")) == sum(len(s.charts) for s in expected.sections)
    # Word, Markdown and the CSV of the paper's figures.
    assert len(at.get("download_button")) == 3
    assert at.number_input(key="threshold").proto.query_param_key == "threshold"


def ceasing_shown(at: AppTest) -> str:
    """Children ceasing care this quarter, as the preview's workload table shows it."""
    table = next(df.value for df in at.dataframe if "Indicator" in df.value.columns)
    return table[table["Indicator"] == title("children_ceasing_care")]["Q4 2013-14"].tolist()[0]


def test_threshold_changes_what_is_suppressed(dataset_home, monkeypatch):
    at = build(open_page(dataset_home, monkeypatch, area=["East Kent", "North Kent"]))
    # Issue 24: a figure without a target is in its theme's table (East Kent's 2 ceasing care: suppressed).
    assert ceasing_shown(at) == MARKER
    at.number_input(key="threshold").set_value(1).run()
    assert not at.exception, at.exception
    # A changed setting does not rebuild the paper on its own: the page asks for the button.
    assert not at.dataframe
    assert any("selection has changed" in i.value for i in at.info)
    build(at)
    assert ceasing_shown(at) == "2"


def test_the_annual_report_takes_the_analysts_text_and_logs_it(dataset_home, monkeypatch, tmp_path):
    import json

    at = open_page(dataset_home, monkeypatch)
    at.radio(key="paper_kind").set_value("annual").run()
    assert not at.exception, at.exception
    at.text_area(key="annual_priorities").input("Recruit two IROs.\n\nHalve late notifications.")
    at.button(key="save_annual_text").click().run()
    assert not at.exception, at.exception
    stored = json.loads((dataset_home / "datasets" / DATASET_KEY / "paper_text.json").read_text(encoding="utf-8"))
    assert stored == {"2013-14": {"priorities": "Recruit two IROs.\n\nHalve late notifications."}}
    events = [json.loads(line) for line in (dataset_home / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    saved = [e for e in events if e["action"] == "annual report text"]
    assert saved[-1]["section"] == "priorities" and saved[-1]["year"] == "2013-14"
    assert "Recruit" not in json.dumps(saved[-1])  # the log holds the text's hash, not the text
    build(at)
    text = page_text(at)
    assert "Recruit two IROs." in text and "Halve late notifications." in text
    assert any(
        t.startswith("Independent Reviewing Officer service: annual report 2013-14")
        for t in [h.value for h in at.header]
    )


def test_every_areas_papers_come_as_one_zip(dataset_home, monkeypatch):
    import io
    import zipfile

    at = open_page(dataset_home, monkeypatch)
    at.button(key="build_zip").click().run()
    assert not at.exception, at.exception
    (button,) = at.get("download_button")
    assert button.proto.label == "Download every area's paper (.zip)"
    from iro_metrics.briefing.batch import papers_zip

    names = zipfile.ZipFile(
        io.BytesIO(papers_zip(Selection.of(load_dataset(dataset_home / "datasets" / DATASET_KEY), "2013-14-Q4")))
    ).namelist()
    # The whole council and the three areas, each as Word and as the CSV of its figures.
    assert sorted(names) == sorted(
        f"iro-paper_2013-14-Q4_{where}.{ext}"
        for where in ("whole-council", "east-kent", "north-kent", "west-kent")
        for ext in ("docx", "csv")
    )
