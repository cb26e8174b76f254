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


def test_threshold_changes_what_is_suppressed(dataset_home, monkeypatch):
    at = build(open_page(dataset_home, monkeypatch, area=["East Kent", "North Kent"]))
    ceased = f"{title('children_ceasing_care')}: {MARKER} in Q4 2013-14 (suppressed; see notes)."
    assert ceased in page_text(at)
    at.number_input(key="threshold").set_value(1).run()
    assert not at.exception, at.exception
    # A changed setting does not rebuild the paper on its own: the page asks for the button.
    assert ceased not in page_text(at)
    assert any("selection has changed" in i.value for i in at.info)
    build(at)
    text = " ".join(page_text(at))
    assert ceased not in text
    assert f"{title('children_ceasing_care')}: 2 in Q4 2013-14" in text


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
