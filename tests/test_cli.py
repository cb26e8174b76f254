"""The command line: output for a selection, and a one-line error with status 2 for each mistake."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from iro_metrics.__main__ import main
from iro_metrics.dataset import write_dataset
from tests.builders import frame, small_council_tables

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def council_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("council")
    frames = {name: frame(name, rows) for name, rows in small_council_tables().items()}
    meta = {"local_authority": "Test council", "synthetic": True, "first_day": date(2013, 4, 1),
            "last_day": date(2014, 3, 31)}  # fmt: skip
    write_dataset(frames, meta, folder)
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_indicators_as_csv(capsys, council_folder):
    status, out, err = run(capsys, "indicators", "--data", str(council_folder), "--period", "2013-14-Q4")
    assert status == 0
    # The small council holds none of issue 25's optional sources: stderr says so, one line per source.
    named = {i.strip() for line in err.splitlines() for i in line.split(": Not recorded: ")[0].split(",")}
    assert named == {
        "iro_agency_fte_pct",
        "iro_caseload_median",
        "iro_caseload_max",
        "iros_over_guideline",
        "iro_changes_pct",
        "seen_before_review_pct",
        "midway_reviews_pct",
        "reviews_rescheduled_pct",
        "disputes_resolved_in_20wd_pct",
        "disputes_open_at_end",
        "disputes_open_over_20wd",
    } - {"disputes_resolved_in_20wd_pct", "disputes_open_at_end", "disputes_open_over_20wd"}, err
    rows = {r["indicator"]: r for r in csv.DictReader(io.StringIO(out))}
    assert out.splitlines()[0].split(",") == ["indicator", "value", "numerator", "denominator"]
    assert rows["children_in_care"] == {
        "indicator": "children_in_care",
        "value": "4",
        "numerator": "4",
        "denominator": "",
    }
    on_time = rows["reviews_on_time_pct"]
    assert (float(on_time["value"]), on_time["numerator"], on_time["denominator"]) == (100 * 2 / 3, "2", "3")
    assert rows["qa_permanence_adequate_pct"]["value"] == ""  # no value: empty
    assert float(rows["caseload_per_fte_in_post"]["value"]) == 4 / 1.5  # unrounded


def test_indicators_for_areas_and_cohort_as_json(capsys, council_folder):
    status, out, _ = run(
        capsys, "indicators", "--data", str(council_folder), "--period", "2013-14-Q4",
        "--area", "East Kent", "--area", "North Kent", "--cohort", "uasc", "--format", "json",
    )  # fmt: skip
    assert status == 0
    rows = {r["indicator"]: r for r in json.loads(out)}
    assert rows["children_in_care"]["value"] == 1
    assert rows["participation_pct"] == {"indicator": "participation_pct", "value": 0, "numerator": 0, "denominator": 1}
    assert rows["survey_carer_responses"]["denominator"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2013-14-Q9"], "not a period"),
        (["--period", "2019-20"], "no data for 2019-20"),
        (["--period", "2013-14-Q4", "--area", "Atlantis"], "unknown area 'Atlantis'"),
        (["--period", "2013-14-Q4", "--cohort", "adults"], "unknown cohort 'adults'"),
    ],
)
def test_selection_errors(capsys, council_folder, args, message):
    status, out, err = run(capsys, "indicators", "--data", str(council_folder), *args)
    assert status == 2 and out == ""
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_and_broken_datasets(capsys, tmp_path, council_folder):
    status, _, err = run(capsys, "indicators", "--data", str(tmp_path / "nowhere"), "--period", "2013-14")
    assert status == 2 and "no dataset folder" in err and err.count("\n") == 1
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "episodes.parquet").write_bytes(b"not parquet")
    status, _, err = run(capsys, "indicators", "--data", str(broken), "--period", "2013-14")
    assert status == 2 and "cannot be used" in err and err.count("\n") == 1


def test_runs_as_a_module(council_folder):
    done = subprocess.run(
        [sys.executable, "-m", "iro_metrics", "indicators", "--data", str(council_folder), "--period", "2013-14"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "reviews_held,5,5," in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "iro_metrics", "indicators", "--data", str(council_folder), "--period", "x"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1
