"""The committee briefing end to end: sentences, tables and charts against the indicators,
disclosure control on a small area, the Word and Markdown files, privacy, and the CLI.

The dataset is built by hand so every figure can be worked out in the comments:

children in care (all start 1 June 2012 unless said):
  East Kent  30 open + 2 who leave on 10 Feb 2014 -> 32 at 31 Mar 2013 and 31 Dec 2013, 30 at 31 Mar 2014
  North Kent 2 open + 1 starting 1 May 2013       -> 2 at 31 Mar 2013, 3 at 31 Dec 2013 and 31 Mar 2014
  West Kent  10 open + 2 starting 15 Jan 2014     -> 10, 10, 12
  whole council: 44 (Mar 2013), 45 (Dec 2013), 45 (Mar 2014)
formal disputes in Q4 2013-14: East 6 care plan at level 1 and 2 health at level 2; North 1 care plan at
level 1 (9 in all). West: 3 informal challenges.
QA grades in Q4 2013-14 (East): care plan 10 good, 2 inadequate -> 83.3% adequate or better.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import docx
import polars as pl
import pytest

from iro_metrics.briefing import (
    MARKER,
    build_briefing,
    footnote,
    markdown_text,
    write_briefing,
    write_docx,
    write_markdown,
)
from iro_metrics.catalogue import load_catalogue
from iro_metrics.dataset import load_dataset, write_dataset
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection
from tests.builders import frame, make_dataset

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
Q4 = "2013-14-Q4"
CATALOGUE = load_catalogue()


def title(indicator: str) -> str:
    return CATALOGUE[indicator].title


def _tables() -> dict[str, list[dict]]:
    episodes: list[dict] = []
    ids: dict[str, list[str]] = {"East Kent": [], "North Kent": [], "West Kent": []}

    def child(area: str, start: date, end: date | None = None, ceased: str | None = None) -> None:
        child_id = f"CHILD-{len(episodes) + 1:03d}-ZQ"
        episodes.append(
            {
                "child_id": child_id,
                "start_date": start,
                "end_date": end,
                "reason_ceased": ceased,
                "area": area,
                "iro_notified_date": start,
            }
        )
        ids[area].append(child_id)

    for _ in range(30):
        child("East Kent", date(2012, 6, 1))
    for _ in range(2):
        child("East Kent", date(2012, 6, 1), date(2014, 2, 10), "E8")
    for _ in range(2):
        child("North Kent", date(2012, 6, 1))
    child("North Kent", date(2013, 5, 1))
    for _ in range(10):
        child("West Kent", date(2012, 6, 1))
    for _ in range(2):
        child("West Kent", date(2014, 1, 15))
    east, north, west = ids["East Kent"], ids["North Kent"], ids["West Kent"]

    reviews = [
        {"child_id": c, "review_date": date(2014, 2, 3) + timedelta(days=i), "area": "East Kent"}
        for i, c in enumerate(east[:20])
    ]
    reviews += [
        {"child_id": c, "review_date": date(2014, 2, 5), "area": "North Kent", "participation_code": "PN7"}
        for c in north[:2]
    ]
    reviews += [{"child_id": c, "review_date": date(2014, 3, 5), "area": "West Kent"} for c in west[:8]]
    reviews += [{"child_id": c, "review_date": date(2013, 11, 5), "area": "East Kent"} for c in east[:25]]
    disputes = [
        {
            "child_id": c,
            "raised_date": date(2014, 2, 1),
            "route": "formal",
            "category": "care_plan",
            "highest_level": 1,
            "area": "East Kent",
        }
        for c in east[:6]
    ]
    disputes += [
        {
            "child_id": c,
            "raised_date": date(2014, 2, 1),
            "route": "formal",
            "category": "health",
            "highest_level": 2,
            "area": "East Kent",
        }
        for c in east[10:12]
    ]
    disputes.append(
        {
            "child_id": north[0],
            "raised_date": date(2014, 3, 1),
            "route": "formal",
            "category": "care_plan",
            "highest_level": 1,
            "area": "North Kent",
        }
    )
    disputes += [
        {
            "child_id": c,
            "raised_date": date(2014, 3, 1),
            "route": "informal",
            "category": "contact",
            "area": "West Kent",
        }
        for c in west[:3]
    ]
    qa = [
        {
            "audit_id": f"A{i}",
            "review_id": f"R{i + 1}",
            "audit_date": date(2014, 2, 20),
            "item": "care_plan",
            "grade": "good" if i < 10 else "inadequate",
            "area": "East Kent",
        }
        for i in range(12)
    ]
    staffing = [
        {"month_end": date(2013, 12, 31), "team": "T1", "fte_establishment": 2.0, "fte_in_post": 2.0},
        {"month_end": date(2014, 3, 31), "team": "T1", "fte_establishment": 2.0, "fte_in_post": 1.5},
    ]
    children = [{"child_id": e["child_id"], "date_of_birth": date(2005, 6, 1)} for e in episodes]
    return {
        "children": children,
        "episodes": episodes,
        "reviews": reviews,
        "disputes": disputes,
        "qa_grades": qa,
        "iro_staffing": staffing,
    }


TABLES = _tables()
CHILD_IDS = sorted({row["child_id"] for row in TABLES["children"]})
FIRST_DAY, LAST_DAY = date(2012, 4, 1), date(2014, 3, 31)


@pytest.fixture(scope="module")
def ds():
    return make_dataset(first_day=FIRST_DAY, last_day=LAST_DAY, **TABLES)


@pytest.fixture(scope="module")
def whole(ds):
    return build_briefing(Selection.of(ds, Q4))


@pytest.fixture(scope="module")
def part(ds):
    return build_briefing(Selection.of(ds, Q4, ["East Kent", "North Kent"]))


@pytest.fixture(scope="module")
def north(ds):
    return build_briefing(Selection.of(ds, Q4, ["North Kent"]))


@pytest.fixture(scope="module")
def written(whole, north, tmp_path_factory):
    """Each briefing written once as .docx and .md: {(name, suffix): path}."""
    folder = tmp_path_factory.mktemp("written")
    paths = {}
    for name, briefing in (("whole", whole), ("north", north)):
        paths[name, ".docx"] = write_docx(briefing, folder / f"{name}.docx")
        paths[name, ".md"] = write_markdown(briefing, folder / f"{name}.md")
    return paths


# The themes a test asks for, and the report's section that holds each (issue #14: the paper has seed 001's
# four sections; quality assurance and challenge both sit in "Social work practice and performance").
SECTION_OF = {
    "Workload": "Section 1: Workload",
    "Reviews": "Section 2: IRO practice and performance",
    "Quality assurance": "Section 3: Social work practice and performance",
    "Challenge": "Section 3: Social work practice and performance",
    "Children's views": "Section 4: Children and young people's views",
}


def section(briefing, name):
    return next(s for s in briefing.sections if s.title == SECTION_OF.get(name, name))


def table(briefing, starts_with):
    return next(t for s in briefing.sections for t in s.tables if t.title.startswith(starts_with))


def all_text(briefing) -> str:
    return markdown_text(briefing)


# --- sentences and headlines ------------------------------------------------------------------


def test_workload_sentence_compares_with_the_previous_quarter_and_a_year_earlier(ds, whole):
    # 45 at 31 Mar 2014 and 31 Dec 2013, 44 at 31 Mar 2013 (see the module docstring).
    values = dict(compute_indicators(Selection.of(ds, Q4)).select("indicator", "value").iter_rows())
    assert values["children_in_care"] == 45
    assert (
        f"{title('children_in_care')}: 45 at 31 March 2014, unchanged compared with the end of December 2013 (45) "
        "and a rise of 1 compared with the end of March 2013 (44)."
    ) in section(whole, "Workload").paragraphs


def test_headlines_are_conclusions_not_restated_figures(whole):
    # Issue 24: a key headline is a conclusion a rule draws, never a figure restated. Two rules apply:
    # reviews overdue fell from 44 (every child's review overdue at 31 March 2013) to 15 and the catalogue
    # rates 15 "improvement required"; and none of the 9 formal disputes (8 raised on 1 February 2014, one
    # on 1 March, 20 working days from which is 28 March) is resolved, so 9 are open over 20 working days
    # at 31 March 2014 against none a year before, and the catalogue's lower-is-better rating is "poor".
    # Children in care (44 to 45) moved by more than 1%, so have not "stabilised"; formal disputes raised
    # (0 to 9) are a count with no optimum; the late notification rate (0 of 2) is on a base under 20,
    # which is never a headline.
    assert whole.headlines == [
        f"{title('reviews_overdue')} is improving but further improvement is required (15 at 31 March 2014, "
        "from 44 at 31 March 2013).",
        f"{title('disputes_open_over_20wd')} has declined and performance is poor (9 at 31 March 2014, "
        "from 0 at 31 March 2013).",
    ]


def test_quality_sentence_matches_the_grades(whole):
    # 10 good and 2 inadequate: 10 / 12 = 83.3% adequate or better.
    assert (
        f"{title('qa_care_plan_adequate_pct')}: 83.3% in Q4 2013-14." in section(whole, "Quality assurance").paragraphs
    )


def test_changes_for_a_part_of_the_council(part):
    # East + North: 32 + 3 = 35 at 31 Dec 2013; 30 + 3 = 33 now; 32 + 2 = 34 at 31 Mar 2013. But East's own
    # paper publishes its 30, so 33 would give North's 3 back (33 - 30): the period table hides it.
    assert (
        f"{title('children_in_care')}: {MARKER} at 31 March 2014 (suppressed; see notes)."
        in section(part, "Workload").paragraphs
    )
    # Reviews held: North's 2 is small, West's 8 is the second cell of the column, so East + North (30 - 8)
    # would give West's 8 back with the council's 30: suppressed.
    assert (
        f"{title('reviews_held')}: {MARKER} in Q4 2013-14 (suppressed; see notes)."
        in section(part, "Workload").paragraphs
    )


# --- disclosure control -----------------------------------------------------------------------


def test_whole_council_area_table_suppresses_small_areas_and_a_second_cell(whole):
    areas = table(whole, "Children in care by area")
    # North Kent's 3 is suppressed; 45 - 30 would give it away, so the next-smallest, West (12), goes too.
    assert areas.rows() == [
        ("East Kent", "30", "66.7"),
        ("North Kent", MARKER, MARKER),
        ("West Kent", MARKER, MARKER),
        ("Total", "45", "100.0"),
    ]
    assert areas.footnotes == [footnote(4)]


def test_whole_council_figures_are_shown_in_full(whole):
    # Issue 24: an indicator with no target is in its theme's table only (2 ceased care, none in Q3 or a
    # year before).
    ceasing = next(r for r in table(whole, "Workload at a glance").rows() if r[0] == title("children_ceasing_care"))
    assert ceasing[1:4] == ("2", "0", "0")
    # The 9 formal disputes by level and by their main category (7 care plan, 2 health), in words.
    challenge = section(whole, "Challenge").paragraphs
    assert (
        "Of the 9 formal disputes, 7 (77.8%) were addressed at the level of Team Manager, and 2 were escalated to "
        "Service Managers before a resolution was achieved."
    ) in " ".join(challenge)
    assert "The main focus of formal disputes was care plan / pathway plan, accounting for 78% of them (7 of 9)." in (
        challenge
    )


def test_small_counts_and_figures_built_on_them_are_suppressed_below_council_level(part):
    # Two children ceased care in East Kent this quarter: a count from 1 to 4.
    ceasing = next(r for r in table(part, "Workload at a glance").rows() if r[0] == title("children_ceasing_care"))
    assert ceasing[1] == MARKER
    areas = table(part, "Children in care by area")
    # North Kent 3 (primary). The period table publishes East Kent's 30 (West's 12 is the second cell), so
    # the total 33 would give North's 3 back: the total and every share go instead.
    assert areas.rows() == [("East Kent", "30", MARKER), ("North Kent", MARKER, MARKER), ("Total", MARKER, MARKER)]
    # 10 of 12 care plans adequate gives away 2 inadequate ones, so the percentages go.
    assert (
        f"{title('qa_care_plan_adequate_pct')}: {MARKER} in Q4 2013-14 (suppressed; see notes)."
        in section(part, "Quality assurance").paragraphs
    )
    assert footnote(4) in part.notes
    assert part.suppression_applied


def test_breakdown_tables_are_published_for_the_whole_council_only(whole, part):
    # Issue #14: the East + North dispute table (care plan 7 = 6 East + 1 North at level 1; health 2 at level 2;
    # 9 in all) could be subtracted from the whole council's (the same, as West has none) and from East's own
    # paper to give North's 1 back; a within-paper second cell cannot stop that. So breakdowns are whole-council
    # only, and a part paper says why.
    # Issue 24: the breakdowns are words in the council paper (the dispute levels and main category).
    assert any(p.startswith("Of the 9 formal disputes") for p in section(whole, "Challenge").paragraphs)
    assert not any(p.startswith("Of the ") for p in section(part, "Challenge").paragraphs)
    assert not any("main focus of formal disputes" in p for p in section(part, "Challenge").paragraphs)
    assert any(note.startswith("Breakdowns by age, participation, dispute category") for note in part.notes)


def test_a_single_small_area_shows_no_small_count(north):
    text = all_text(north)
    assert f"{title('children_in_care')}: {MARKER} at 31 March 2014 (suppressed; see notes)." in text
    assert not re.search(r"Children in care: [1-4] ", text)
    # A single-area paper drops the whole-council furniture: no one-row "by area" table (issue #14).
    assert not any(t.title.startswith("Children in care by area") for s in north.sections for t in s.tables)


def test_a_cohort_split_of_the_whole_council_is_council_level(ds):
    citizens = build_briefing(Selection.of(ds, Q4, None, "citizen"))
    assert not citizens.suppression_applied
    assert f"| {title('children_ceasing_care')} | 2 |" in all_text(citizens)


def test_threshold_is_a_setting(ds):
    loose = build_briefing(Selection.of(ds, Q4, ["East Kent", "North Kent"]), threshold=1)
    assert f"| {title('children_ceasing_care')} | 2 |" in all_text(loose)
    assert "a count of 1" in " ".join(loose.notes) or "from 1 to 1" in " ".join(loose.notes)
    with pytest.raises(ValueError, match="threshold"):
        build_briefing(Selection.of(ds, Q4), threshold=0)


# --- Word -------------------------------------------------------------------------------------


def test_docx_text_tables_and_figures(ds, whole, written):
    document = docx.Document(str(written["whole", ".docx"]))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == whole.title
    # A section's title shares its paragraph with the heading that opens it (line broken), so
    # LibreOffice cannot leave the title at the foot of a page: the title is the first line.
    headings = [p.text.split("\n")[0] for p in paragraphs if p.style.name == "Heading 1"]
    # Seed 001's four sections (issue #14), after the key headlines.
    assert headings == [
        "Key headlines",
        "Section 1: Workload",
        "Section 2: IRO practice and performance",
        "Section 3: Social work practice and performance",
        "Section 4: Children and young people's views",
        "Notes",
    ]
    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert bullets == whole.headlines
    body = [p.text for p in paragraphs]
    for s in whole.sections:
        for sentence in s.paragraphs:
            assert sentence in body
    assert any(text.startswith("Data source: Test IRO service dataset") and "Synthetic data" in text for text in body)

    # Real Word tables, one per briefing table, holding the indicators' values.
    expected_tables = [t for s in whole.sections for t in s.tables]
    assert len(document.tables) == len(expected_tables)
    key = document.tables[0]
    # Cells carry invisible word joiners around in-word dashes, so LibreOffice never breaks "2013-14" (issue 24).
    assert [c.text.replace("\u2060", "") for c in key.rows[0].cells][:4] == [
        "Indicator",
        "Q4 2013-14",
        "Q3 2013-14",
        "Q4 2012-13",
    ]
    children = next(r for r in key.rows if r.cells[0].text == title("children_in_care"))
    now = compute_indicators(Selection.of(ds, Q4)).filter(pl.col("indicator") == "children_in_care")["value"][0]
    before = compute_indicators(Selection.of(ds, "2013-14-Q3")).filter(pl.col("indicator") == "children_in_care")[
        "value"
    ][0]
    year_ago = compute_indicators(Selection.of(ds, "2012-13-Q4")).filter(pl.col("indicator") == "children_in_care")[
        "value"
    ][0]
    assert [c.text for c in children.cells][1:4] == [f"{now:,.0f}", f"{before:,.0f}", f"{year_ago:,.0f}"]
    areas = next(t for t in document.tables if t.rows[0].cells[0].text == "Area")
    assert [[c.text for c in r.cells] for r in areas.rows][1:] == [
        ["East Kent", "30", "66.7"],
        ["North Kent", "c", "c"],
        ["West Kent", "c", "c"],
        ["Total", "45", "100.0"],
    ]

    # Charts embedded as PNG images, one per chart, each with alt text.
    charts = [c for s in whole.sections for c in s.charts]
    assert len(charts) >= 1
    assert len(document.inline_shapes) == len(charts)
    for shape, chart in zip(document.inline_shapes, charts, strict=True):
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(PNG_MAGIC)
        assert shape._inline.docPr.get("descr") == chart.alt_text
    notes_at = body.index("Notes")
    assert body[notes_at + 1 : notes_at + 1 + len(whole.notes)] == whole.notes


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_with_chart_files(whole, written):
    path = written["whole", ".md"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {whole.title}\n")
    for headline in whole.headlines:
        assert f"- {headline}" in text
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    charts = [c for s in whole.sections for c in s.charts]
    assert len(links) == len(charts)
    for link in links:
        assert link.startswith("whole_charts/")
        assert (path.parent / link).read_bytes().startswith(PNG_MAGIC)
    assert "| East Kent | 30 | 66.7 |" in text
    assert "| North Kent | c | c |" in text
    assert f"*{footnote(4)}*" in text


def test_markdown_without_files_puts_alt_text_in_place_of_charts(whole):
    text = markdown_text(whole)
    assert "![" not in text
    for chart in (c for s in whole.sections for c in s.charts):
        assert f"*Chart: {chart.title}. {chart.alt_text}*" in text


# --- privacy ----------------------------------------------------------------------------------


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return " ".join(
            archive.read(name).decode("utf-8", "ignore")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


@pytest.mark.parametrize("name", ["whole", "north"])
def test_no_child_id_or_date_of_birth_reaches_a_briefing(whole, north, written, name):
    briefing = {"whole": whole, "north": north}[name]
    docx_text = _docx_text(written[name, ".docx"])
    assert "Key headlines" in docx_text  # the scan reads the document's text
    for text in (docx_text, written[name, ".md"].read_text(encoding="utf-8")):
        assert "CHILD-" not in text
        for child_id in CHILD_IDS:
            assert child_id not in text
        for date_text in ("2005-06-01", "1 June 2005", "01/06/2005", "June 2005"):
            assert date_text not in text
    # Chart specs carry only aggregates too.
    for chart in (c for s in briefing.sections for c in s.charts):
        spec = str(chart.chart.to_dict())
        assert "child_id" not in spec and "date_of_birth" not in spec and "CHILD-" not in spec


# --- writer choice and the command line -------------------------------------------------------


def test_write_briefing_rejects_other_suffixes_before_any_work(ds, tmp_path):
    # .docx and .md are written end to end by the command-line tests below.
    with pytest.raises(ValueError, match=r"\.docx \(Word\), \.md \(Markdown\) or \.csv"):
        write_briefing(Selection.of(ds, Q4, None, "all"), tmp_path / "a.pdf")
    with pytest.raises(ValueError, match="does not exist"):
        write_briefing(Selection.of(ds, Q4, None, "all"), tmp_path / "missing" / "a.docx")


@pytest.fixture(scope="module")
def dataset_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dataset")
    frames = {name: frame(name, rows) for name, rows in TABLES.items()}
    meta = {"local_authority": "Testshire", "synthetic": True, "first_day": FIRST_DAY, "last_day": LAST_DAY}
    write_dataset(frames, meta, folder)
    return folder


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "iro_metrics", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=300,
    )


def test_cli_writes_a_docx_for_an_area_selection(dataset_folder, tmp_path):
    out = tmp_path / "committee.docx"
    result = run_cli(
        "--data", str(dataset_folder), "--period", Q4, "--area", "East Kent", "--area", "North Kent", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    text = [p.text for p in document.paragraphs]
    assert text[0] == "Independent Reviewing Officer service: Q4 2013-14 (January to March 2014)"
    assert any("Testshire" in t and "Areas: East Kent, North Kent" in t for t in text)
    # 33 = East's published 30 + North's 3, so it is suppressed (see test_changes_for_a_part_of_the_council).
    assert f"{title('children_in_care')}: {MARKER} at 31 March 2014 (suppressed; see notes)." in text
    assert f"{title('reviews_held')}: {MARKER} in Q4 2013-14 (suppressed; see notes)." in text


def test_cli_writes_markdown_and_rejects_other_suffixes(dataset_folder, tmp_path):
    out = tmp_path / "paper.md"
    result = run_cli("--data", str(dataset_folder), "--period", Q4, "--threshold", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "## Key headlines" in out.read_text(encoding="utf-8")
    bad = run_cli("--data", str(dataset_folder), "--period", Q4, "--out", str(tmp_path / "paper.pdf"))
    assert bad.returncode == 2
    assert "paper.pdf" in bad.stderr and ".docx" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_shipped_dataset_gives_the_seed_reports_sentences():
    # The shipped synthetic dataset is calibrated to Kent's published Q4 2013-14 figures (seed 001):
    # "At the end of Quarter 4 there were 1842 children ... a rise of 11 when compared with the number of
    # children and young people in care at the end of March 2013 (1831)."
    # "A total of 1251 reviews were chaired during the Quarter 4 period, which represents a decrease of 134
    # when compared with the Quarter 4 period of 2012/13 (1385)."
    # "a slight drop (0.7%) when compared with the Q3 period (96.7%)" (participation, 96% in Q4).
    ds = load_dataset(Path(__file__).resolve().parents[2] / "data")
    briefing = build_briefing(Selection.of(ds, Q4))
    workload = " ".join(section(briefing, "Workload").paragraphs)
    assert f"{title('children_in_care')}: 1,842 at 31 March 2014," in workload
    assert "a rise of 11 compared with the end of March 2013 (1,831)" in workload
    reviews = " ".join(section(briefing, "Reviews").paragraphs + section(briefing, "Workload").paragraphs)
    assert f"{title('reviews_held')}: 1,251 in Q4 2013-14," in reviews
    assert "a fall of 134 compared with Q4 2012-13 (1,385)" in reviews
    assert (
        f"{title('participation_pct')}: 96.0% in Q4 2013-14, a deterioration of 0.7 points compared with "
        "Q3 2013-14 (96.7%)"
    ) in reviews
    assert not briefing.suppression_applied
    # "Over a full year period, the IRO service has chaired 5220; a decrease of 176 when compared with 2012/13."
    year = build_briefing(Selection.of(ds, "2013-14"))
    assert f"{title('reviews_held')}: 5,220 in 2013-14, a fall of 176 compared with 2012-13 (5,396)." in (
        section(year, "Workload").paragraphs
    )


def _chart_rows(chart) -> list[dict]:
    spec = chart.chart.to_dict()
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_charts_are_drawn_from_published_figures_only(whole, part):
    # Issue 24: the paper draws a chart only where a trend says more than its table. The council's
    # children in care: 44 at 31 March 2013 (quarters before), 45 at 31 December 2013 and 31 March 2014.
    (trend,) = [c for c in section(whole, "Workload").charts]
    values = {r["period"]: r["value"] for r in _chart_rows(trend) if r.get("indicator") == "children_in_care"}
    assert (values["2013-14-Q3"], values["2013-14-Q4"]) == (45, 45)
    # East + North: 33 at 31 March 2014 would give North's 3 back, and so on each quarter before, so the
    # trend has fewer than three published points and no chart is drawn.
    assert section(part, "Workload").charts == []


def test_a_year_is_compared_once_with_the_year_before(ds):
    year = build_briefing(Selection.of(ds, "2013-14"))
    # Reviews in 2013-14: 25 in November 2013 and 30 in February-March 2014; none in 2012-13.
    assert f"{title('reviews_held')}: 55 in 2013-14, a rise of 55 compared with 2012-13 (0)." in (
        section(year, "Workload").paragraphs
    )
    key = table(year, "Reviews at a glance")
    assert key.header == ["Indicator", "2013-14", "2012-13", "Rating"]


def test_a_dataset_without_optional_tables_still_gives_a_briefing(tmp_path):
    core = {k: v for k, v in TABLES.items() if k in ("children", "episodes", "reviews")}
    missing = ("qa_grades", "disputes", "iro_staffing", "iro_contacts", "survey_responses")
    small = make_dataset(first_day=FIRST_DAY, last_day=LAST_DAY, missing=missing, **core)
    briefing = build_briefing(Selection.of(small, Q4))
    assert (
        "No quality assurance audits are recorded for Q4 2013-14." in section(briefing, "Quality assurance").paragraphs
    )
    assert (
        "Not recorded in this dataset: disputes, iro contacts, iro staffing, qa grades, survey responses. "
        "The figures that need them are left out."
    ) in briefing.notes
    # 45 children, no staffing: no caseload sentence, and the Word file is still written.
    workload = section(briefing, "Workload").paragraphs
    assert not any(p.startswith(title("caseload_per_establishment_fte")) for p in workload)
    assert write_docx(briefing, tmp_path / "small.docx").stat().st_size > 0


def test_cli_writes_the_council_paper_and_one_per_area(dataset_folder, tmp_path):
    out = tmp_path / "papers"
    result = run_cli("--data", str(dataset_folder), "--period", Q4, "--each-area", "--format", "md", "--out", str(out))
    assert result.returncode == 0, result.stderr
    stems = ["whole-council", "east-kent", "north-kent", "west-kent"]
    for stem in stems:
        assert (out / f"iro-paper_2013-14-Q4_{stem}.md").is_file()
        assert (out / f"iro-paper_2013-14-Q4_{stem}.csv").is_file()
    # North Kent's paper: its 3 children in care are suppressed, in the paper and in its figures CSV.
    north = (out / "iro-paper_2013-14-Q4_north-kent.csv").read_text(encoding="utf-8").splitlines()
    assert north[0] == "indicator,measure,shown"
    assert "children_in_care,value,c" in north
    council = (out / "iro-paper_2013-14-Q4_whole-council.csv").read_text(encoding="utf-8").splitlines()
    assert "children_in_care,value,45" in council
    both = run_cli(
        "--data", str(dataset_folder), "--period", Q4, "--each-area", "--area", "East Kent", "--out", str(out)
    )
    assert both.returncode == 2 and "leave out --area" in both.stderr
