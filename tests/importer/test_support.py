"""Small, valid import files for the importer tests (no tests here; the test_importer_* files use it).

Three children, checked by hand:
- A1 (born 01/01/2005): in care 01/04/2013, placement move 01/10/2013 (X1), still in care; two
  reviews (25/04/2013 PN1, aged 8; 20/07/2013 PN7).
- A2 (born 01/06/2012): UASC with no end date; in care from 15/05/2013; review 10/06/2013 PN0 (aged 1).
- B3 (born 15/03/2000): UASC until 01/09/2013; in care 01/06/2013 to 31/12/2013; review
  20/06/2013 PN2 (aged 13).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from iro_metrics.importer import ImportReport, run_import

TODAY = date(2014, 6, 1)

VALID_FILES: dict[str, str] = {
    "header.csv": """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
A1,1,01/01/2005,WBRI,,,
A2,2,01/06/2012,BAFR,,,
B3,1,15/03/2000,WOTH,,,
""",
    "episodes.csv": """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
A1,01/04/2013,S,C2,N1,U6,PR1,01/10/2013,X1,,,,
A1,01/10/2013,P,C2,N1,U4,PR1,,,,,,
A2,15/05/2013,S,V2,N4,U6,PR1,,,,,,
B3,01/06/2013,S,V2,N4,K2,PR4,31/12/2013,E8,,,,
""",
    "reviews.csv": """CHILD,DOB,REVIEW,REVIEW_CODE
A1,01/01/2005,25/04/2013,PN1
A1,01/01/2005,20/07/2013,PN7
A2,01/06/2012,10/06/2013,PN0
B3,15/03/2000,20/06/2013,PN2
""",
    "uasc.csv": """CHILD,SEX,DOB,DUC
A2,2,01/06/2012,
B3,1,15/03/2000,01/09/2013
""",
    "episode_details.csv": """CHILD,DECOM,AREA,IRO_NOTIFIED
A1,01/04/2013,East Kent,02/04/2013
A1,01/10/2013,West Kent,
A2,15/05/2013,UASC Service,20/05/2013
B3,01/06/2013,UASC Service,05/06/2013
""",
    "review_details.csv": """CHILD,REVIEW,CHAIRED_BY,CHILD_CHAIRED,MINUTES_ISSUED
A1,25/04/2013,iro,none,02/05/2013
A1,20/07/2013,iro,part,01/08/2013
A2,10/06/2013,other,,20/06/2013
B3,20/06/2013,iro,full,
""",
}


def write_files(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write each file (name -> text) into ``folder``; return the paths in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in sorted(files.items()):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def import_files(
    tmp_path: Path, changes: dict[str, str | None] | None = None, out: str = "out", *, strict: bool = False
) -> ImportReport:
    """Import VALID_FILES with some files replaced (text) or left out (None) into tmp_path/out."""
    files: dict[str, str] = dict(VALID_FILES)
    for name, text in (changes or {}).items():
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    paths = write_files(tmp_path / "in", files)
    return run_import(paths, tmp_path / out, today=TODAY, strict=strict)


def with_line(name: str, line: str) -> dict[str, str]:
    """VALID_FILES[name] with one more record line at the end."""
    return {name: VALID_FILES[name] + line + "\n"}


def replacing(name: str, old: str, new: str) -> dict[str, str]:
    """VALID_FILES[name] with ``old`` replaced by ``new`` (``old`` must occur exactly once)."""
    text = VALID_FILES[name]
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    return {name: text.replace(old, new)}


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> content), to compare byte for byte."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_first_problems_on_screen_say_dash_for_a_whole_files_problem(tmp_path):
    # Issue 15: a problem about a whole file has no row, column or value; the page showed "None".
    from iro_metrics.importer import run_import

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.csv").write_text("something,else\n1,2\n")  # recognised as no table at all
    report = run_import([folder], tmp_path / "out")
    shown = report.first_problems_text()
    # No Header, Episodes or Reviews file: three problems of the whole import, then the file itself.
    missing = shown.filter(rule="missing_table")
    assert missing.height == 3
    assert set(missing.select("row", "column", "value").unpivot(value_name="cell")["cell"]) == {"–"}
    unrecognised = shown.filter(rule="unrecognised_file").row(0, named=True)
    assert (unrecognised["file"], unrecognised["row"], unrecognised["column"]) == ("in/notes.csv", "1", "–")
