"""A hand-designed SSDA903 return written in every form councils hold it (no tests here).

Two years' returns, 2015-16 and 2016-17, with the same file names in each year's folder, written
as CSV (with the mess real exports carry), as DfE XML, as Excel workbooks, and as a zip. The
children, counted by hand (year 2016-17, 1 April 2016 to 31 March 2017):

- C1 (born 10/05/2005): in care from 01/06/2015 (the 2015-16 return has that episode open; the
  2016-17 return closes it 01/09/2016 with a placement move, X1, and opens a new one, RNE P). In
  care at 31 March 2017. Reviews 29/06/2015 PN1, 20/12/2015 PN1; 15/06/2016 PN3, 10/12/2016 PN1.
- C2 (born 05/09/2000): UASC still, DUC = 05/09/2018 (the 18th birthday, after the import). In
  care from 10/10/2016, open. Reviews 05/11/2016 PN1, 20/03/2017 PN2. UASC at 31 March 2017.
- C3 (born 01/01/2000): UASC until DUC 15/11/2016 (mid-year). In care from 01/05/2016 (V2); a
  legal status change (RNE L) on 15/11/2016 opens an episode that is not UASC. In care at 31 March
  2017, not UASC then. Reviews 25/05/2016 PN1 (UASC), 20/11/2016 PN1 (not UASC).
- C4 (born 20/03/2015): in care 01/07/2016 to 01/02/2017 (adopted, E11). Reviews 25/07/2016 and
  20/01/2017, both PN0 (under 4).
- C5 (born 14/02/2003): two overlapping episodes (01/04/2016-01/10/2016 and one from 01/09/2016):
  only the later, overlapping episode is set aside (overlapping_episodes, 1 episode); the child
  keeps the first, so starts care 01/04/2016 and leaves 01/10/2016. One review 20/04/2016 PN1
  (age 13), inside the first episode, counts.
- C6 (born 01/08/2008): in care from 01/11/2016, open. Review 25/11/2016 PN7; a review dated
  01/10/2016 PN1, before care, is kept with a warning (review_outside_care): indicators.md counts
  every review dated in the period in reviews held, and only reviews inside a period of care in
  reviews on time.

So for 2016-17: children in care at 31 March 4 (C1, C2, C3, C6), of them UASC 1 (C2); children
starting care 5 (C2, C3, C4, C5, C6); reviews held 11 (C1 2, C2 2, C3 2, C4 2, C5 1, C6 2), 10 of
them inside a period of care; participation 8 of the 9 reviews of children aged 4 or over (C1 2,
C2 2, C3 2, C5 1, C6 2, of which only 25/11/2016 PN7 did not take part) = 88.9%.

Every year folder also holds the 903 tables the tool does not use (OC2, OC3, AD1, PlacedAdoption,
PrevPerm, Missing, SWEpisodes, DoLo), some of them empty (0 and 1 byte).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

TODAY_ISO = "2017-06-01"

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = [
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
]  # fmt: skip
REVIEWS = ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]
UASC = ["CHILD", "SEX", "DOB", "DUC"]

CHILDREN = {  # child: sex, date of birth, ethnicity
    "C1": ("1", "10/05/2005", "WBRI"),
    "C2": ("2", "05/09/2000", "BAFR"),
    "C3": ("1", "01/01/2000", "AOTH"),
    "C4": ("2", "20/03/2015", "WBRI"),
    "C5": ("1", "14/02/2003", "WBRI"),
    "C6": ("2", "01/08/2008", "MWBC"),
}
UASC_ENDS = {"C2": "05/09/2018", "C3": "15/11/2016"}

# (child, DECOM, RNE, LS, CIN, PLACE, DEC, REC) per year's return
YEAR_EPISODES = {
    "2015-16": [("C1", "01/06/2015", "S", "C2", "N1", "U4", "", "")],
    "2016-17": [
        ("C1", "01/06/2015", "S", "C2", "N1", "U4", "01/09/2016", "X1"),
        ("C1", "01/09/2016", "P", "C2", "N1", "U5", "", ""),
        ("C2", "10/10/2016", "S", "V2", "N1", "U6", "", ""),
        ("C3", "01/05/2016", "S", "V2", "N1", "U6", "15/11/2016", "X1"),
        ("C3", "15/11/2016", "L", "C2", "N1", "U6", "", ""),
        ("C4", "01/07/2016", "S", "C2", "N1", "U1", "01/02/2017", "E11"),
        ("C5", "01/04/2016", "S", "C2", "N1", "U4", "01/10/2016", "X1"),
        ("C5", "01/09/2016", "P", "C2", "N1", "U4", "", ""),
        ("C6", "01/11/2016", "S", "C2", "N2", "U4", "", ""),
    ],
}
YEAR_REVIEWS = {
    "2015-16": [("C1", "29/06/2015", "PN1"), ("C1", "20/12/2015", "PN1")],
    "2016-17": [
        ("C1", "15/06/2016", "PN3"),
        ("C1", "10/12/2016", "PN1"),
        ("C2", "05/11/2016", "PN1"),
        ("C2", "20/03/2017", "PN2"),
        ("C3", "25/05/2016", "PN1"),
        ("C3", "20/11/2016", "PN1"),
        ("C4", "25/07/2016", "PN0"),
        ("C4", "20/01/2017", "PN0"),
        ("C5", "20/04/2016", "PN1"),
        ("C6", "01/10/2016", "PN1"),
        ("C6", "25/11/2016", "PN7"),
    ],
}
YEAR_CHILDREN = {"2015-16": ["C1"], "2016-17": list(CHILDREN)}

# The 903 tables this tool does not use, with a row or two (by the DfE's CSV columns).
UNUSED_TABLES = {
    "oc2.csv": "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,"
    "SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\nC1,10/05/2005,12,,0,1,1,1,1,0,,\n",
    "oc3.csv": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n",
    "ad1.csv": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
    "C4,20/03/2015,01/09/2016,01/10/2016,0,2,MF,L0\n",
    "placed_adoption.csv": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\nC4,20/03/2015,01/11/2016,,\n",
    "prev_perm.csv": "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\nC6,01/08/2008,Z1,,\n",
    "missing.csv": "CHILD,DOB,MISSING,MIS_START,MIS_END\nC1,10/05/2005,M,03/02/2017,04/02/2017\n",
    "sw_episodes.csv": "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\nC1,10/05/2005,SW1,01/06/2015,,\n",
    "dolo.csv": "",  # an empty table: 0 bytes
}


def _row_text(values: list[str]) -> str:
    return ",".join(values)


def _iso(dmy: str) -> str:
    day, month, year = dmy.split("/")
    return f"{year}-{month}-{day}"


def _short(dmy: str) -> str:
    return dmy[:-4] + dmy[-2:]


def csv_files(year: str) -> dict[str, bytes]:
    """One year's return as the messy CSVs councils export (same file names every year)."""
    kids = YEAR_CHILDREN[year]
    header_rows = [HEADER] + [
        [c, CHILDREN[c][0], _short(CHILDREN[c][1]) if c == "C4" else CHILDREN[c][1], CHILDREN[c][2], "", "", ""]
        for c in kids
    ]
    header = "\ufeff" + "\n".join(map(_row_text, header_rows)) + "\n"  # a byte-order mark
    episode_rows = [["LA", "YEAR", *EPISODES]] + [  # a pooled extract's extra columns
        ["886", year, c, start, rne, ls, cin, place, "PR1", end, rec, "", "", "", ""]
        for c, start, rne, ls, cin, place, end, rec in YEAR_EPISODES[year]
    ]
    episodes = "\r\n".join(map(_row_text, episode_rows)) + "\r\n\r\n"  # Windows line ends, blank line
    review_rows = [REVIEWS] + [[c, CHILDREN[c][1], _iso(d), code.lower()] for c, d, code in YEAR_REVIEWS[year]]
    reviews = "\n".join(",".join(f'"{v}"' for v in row) for row in review_rows) + "\n"  # quoted, ISO dates
    uasc_kids = [c for c in kids if c in UASC_ENDS]
    if uasc_kids:
        uasc_rows = [UASC] + [[c, CHILDREN[c][0], CHILDREN[c][1], _short(UASC_ENDS[c])] for c in uasc_kids]
        uasc = "\n".join(map(_row_text, uasc_rows)) + "\n"
    else:
        uasc = "\n"  # an empty table: 1 byte
    files = {"header.csv": header, "episodes.csv": episodes, "reviews.csv": reviews, "uasc.csv": uasc}
    if year == "2016-17":
        files |= UNUSED_TABLES
    return {name: text.encode("utf-8") for name, text in files.items()}


def _element(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>" if value else f"<{tag} />"


def xml_return(year: str) -> bytes:
    """One year's return as the DfE's XML."""
    out = ["<?xml version='1.0' encoding='us-ascii'?>", "<EXPSSDA903>"]
    for child in YEAR_CHILDREN[year]:
        sex, born, ethnic = CHILDREN[child]
        out.append("  <CHILD>")
        out.append("    <HEADER>")
        out.append(
            "      "
            + "".join(
                [
                    _element("CHILDID", child),
                    _element("UPN", "A123456789012"),
                    _element("SEX", sex),
                    _element("DOB", born),
                    _element("ETHNIC", ethnic),
                ]
            )
        )
        if child in UASC_ENDS:
            out.append(f"      <UASC>1</UASC><DUC>{UASC_ENDS[child]}</DUC>")
        else:
            out.append("      <UASC />")
        for c, day, code in YEAR_REVIEWS[year]:
            if c == child:
                out.append(f"      <AREVIEW><REVIEW>{day}</REVIEW><REVIEW_CODE>{code}</REVIEW_CODE></AREVIEW>")
        out.append("      <MOTHER /><MC_DOB />")
        if child == "C1" and year == "2016-17":
            out.append("      <OC3><IN_TOUCH /><ACTIV /><ACCOM /></OC3>")
            out.append("      <AMISSING><MISSING>M</MISSING><MIS_START>03/02/2017</MIS_START></AMISSING>")
        out.append("    </HEADER>")
        for c, start, rne, ls, cin, place, end, rec in YEAR_EPISODES[year]:
            if c != child:
                continue
            fields = [("DECOM", start), ("RNE", rne), ("LS", ls), ("CIN", cin), ("PL", place), ("PL_POST", "")]
            fields += [("HOME_POST", ""), ("URN", ""), ("PLACE_PROVIDER", "PR1"), ("DEC", end), ("REC", rec)]
            fields += [("REASON_PLACE_CHANGE", "")]
            out.append("    <EPISODE>" + "".join(_element(t, v) for t, v in fields) + "</EPISODE>")
        out.append("  </CHILD>")
    out.append("</EXPSSDA903>")
    return ("\n".join(out) + "\n").encode("ascii")


def _cell(ref: str, value: str | date) -> str:
    if isinstance(value, date):  # a real Excel date: a day number styled as a date, as Excel saves it
        return f'<c r="{ref}" s="1"><v>{(value - date(1899, 12, 30)).days}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


_STYLES = (
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
)


def xlsx_bytes(sheets: dict[str, list[list[str | date]]]) -> bytes:
    """A minimal Excel workbook (inline strings; dates as styled day numbers), one sheet per table."""
    ns = "http://schemas.openxmlformats.org"
    rel = f"{ns}/officeDocument/2006/relationships"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(len(sheets))
        )
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        listed = "".join(
            f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(sheets)
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{rel}">'
            f"<sheets>{listed}</sheets></workbook>",
        )
        targets = "".join(
            f'<Relationship Id="rId{i + 1}" Type="{rel}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(sheets))
        )
        targets += f'<Relationship Id="rIdS" Type="{rel}/styles" Target="styles.xml"/>'
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">{targets}</Relationships>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0"?><styleSheet xmlns="{ns}/spreadsheetml/2006/main">{_STYLES}</styleSheet>',
        )
        for i, rows in enumerate(sheets.values()):
            body = []
            for r, row in enumerate(rows, start=1):
                cells = "".join(_cell(f"{_column_letter(c)}{r}", v) for c, v in enumerate(row) if v != "")
                body.append(f'<row r="{r}">{cells}</row>')
            z.writestr(
                f"xl/worksheets/sheet{i + 1}.xml",
                f'<?xml version="1.0"?><worksheet xmlns="{ns}/spreadsheetml/2006/main">'
                f"<sheetData>{''.join(body)}</sheetData></worksheet>",
            )
    return buf.getvalue()


def _as_date(dmy: str) -> date:
    day, month, year = map(int, dmy.split("/"))
    return date(year, month, day)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_return(year: str) -> bytes:
    """One year's return as an Excel workbook: Header, Episodes, Reviews, UASC (and OC3) sheets."""
    kids = YEAR_CHILDREN[year]
    sheets = {
        # dates of birth as real Excel dates (cells styled as dates), the rest as text
        "Header": [HEADER] + [[c, CHILDREN[c][0], _as_date(CHILDREN[c][1]), CHILDREN[c][2], "", "", ""] for c in kids],
        "Episodes": [EPISODES]
        + [
            [c, s, rne, ls, cin, pl, "PR1", e, rec, "", "", "", ""]
            for c, s, rne, ls, cin, pl, e, rec in YEAR_EPISODES[year]
        ],
        "Reviews": [REVIEWS] + [[c, CHILDREN[c][1], d, code] for c, d, code in YEAR_REVIEWS[year]],
        "UASC": [UASC] + [[c, CHILDREN[c][0], CHILDREN[c][1], UASC_ENDS[c]] for c in kids if c in UASC_ENDS],
        "OC3": [["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]],
    }
    if not [c for c in kids if c in UASC_ENDS]:
        sheets["UASC"] = []  # an empty sheet
    return xlsx_bytes(sheets)


def write_return(folder: Path) -> dict[str, Path]:
    """Write every form under ``folder``: csv/, xml/, xlsx/ (a folder per year each) and returns.zip.

    Returns the path of each form: {"csv": ..., "xml": ..., "xlsx": ..., "zip": ...}.
    """
    folder = Path(folder)
    forms = {form: folder / form for form in ("csv", "xml", "xlsx")}
    for year in YEAR_EPISODES:
        (forms["csv"] / year).mkdir(parents=True, exist_ok=True)
        for name, data in csv_files(year).items():
            (forms["csv"] / year / name).write_bytes(data)
        (forms["xml"] / year).mkdir(parents=True, exist_ok=True)
        (forms["xml"] / year / "return.xml").write_bytes(xml_return(year))
        (forms["xlsx"] / year).mkdir(parents=True, exist_ok=True)
        (forms["xlsx"] / year / "return.xlsx").write_bytes(xlsx_return(year))
    zipped = folder / "returns.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(forms["csv"].rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(forms["csv"]).as_posix())
    return {**forms, "zip": zipped}
