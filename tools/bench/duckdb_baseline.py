"""The indicator set in DuckDB SQL over the dataset's Parquet files, written from spec/indicators.md.

A speed baseline and a second independent cross-check. Tables are views over the Parquet
files; periods of care and the review schedule are built once per connection as temporary
tables. Working days come from a calendar table that numbers every working day (Monday to
Friday less England and Wales bank holidays): "n working days after d" is the working day
whose number is n more than the number of the last working day on or before d. DuckDB's
``date + INTERVAL n MONTH`` clamps to the month's last day, as the spec asks.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from iro_metrics import codes
from iro_metrics.indicator_registry import qa_indicator_id, survey_indicator_id, survey_responses_id
from iro_metrics.periods import bank_holidays
from iro_metrics.tables import DATA_MODEL
from iro_metrics.tables import TABLES as DATA_MODEL_TABLES
from tools.bench.common import (
    FIXED_INDICATORS,
    BenchSelection,
    qa_indicator_ids,
    ratio,
    result_frame,
    survey_pairs_order,
    table_path,
)

# The data model's tables, from the one place they are listed.
TABLES = DATA_MODEL_TABLES


@dataclass
class DuckData:
    """A DuckDB connection holding views over the dataset and its derived tables."""

    con: duckdb.DuckDBPyConnection
    tables: set[str]
    columns: dict[str, set[str]]
    survey_pairs: list[tuple[str, str]] = field(default_factory=list)
    uasc_recorded: bool = True  # dataset.toml's uasc_recorded: false means no UASC table was imported


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def load(folder: Path | str, threads: int | None = None, in_memory: bool = True) -> DuckData:
    """Open an in-memory DuckDB over the folder's Parquet files and build the derived tables.

    With ``in_memory`` the Parquet files are read once into DuckDB tables (DuckDB's own fast
    path); otherwise every query scans the Parquet files through views.
    """
    folder = Path(folder)
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    present: set[str] = set()
    columns: dict[str, set[str]] = {}
    for name in TABLES:
        path = table_path(folder, name)
        if path.exists():
            kind = "TEMP TABLE" if in_memory else "VIEW"
            # Kept in event-date order, so that DuckDB's zone maps skip the blocks outside a period.
            dated = DATA_MODEL[name].event_dates
            order = f" ORDER BY {dated[0]}" if in_memory and dated else ""
            con.execute(f"CREATE {kind} {name}_all AS SELECT * FROM read_parquet('{path.as_posix()}'){order}")
            present.add(name)
            columns[name] = {row[0] for row in con.execute(f"DESCRIBE {name}_all").fetchall()}
    # An optional column that is absent or holds no value at all records nothing: its indicators
    # are "not recorded" (no value), never 0 or 100%. One query per table counts every column.
    for name in present:
        names = sorted(columns[name])
        counts = con.execute(
            f"SELECT COUNT(*), {', '.join(f'COUNT({_quoted(c)})' for c in names)} FROM {name}_all"
        ).fetchone()
        if counts[0]:
            columns[name] = {c for c, n in zip(names, counts[1:], strict=True) if n > 0}
    short_breaks = _sql_list(codes.SHORT_BREAK_LEGAL_STATUSES)
    con.execute(f"CREATE VIEW episodes AS SELECT * FROM episodes_all WHERE legal_status NOT IN {short_breaks}")
    # Reviews less those of a child whose every episode is a short break, and those dated inside a
    # short-break episode (start_date <= review_date <= end_date, open episodes having no end):
    # two anti-joins, the reviews inside a short break found by one range join.
    con.execute(
        f"""
        CREATE TEMP TABLE reviews AS
        WITH short_break_children AS (
            SELECT child_id FROM episodes_all GROUP BY child_id HAVING BOOL_AND(legal_status IN {short_breaks})
        ), inside_short_break AS (
            SELECT DISTINCT r.review_id FROM reviews_all r
            JOIN episodes_all e
              ON e.child_id = r.child_id AND e.legal_status IN {short_breaks}
             AND e.start_date <= r.review_date AND (e.end_date IS NULL OR r.review_date <= e.end_date)
        )
        SELECT r.* FROM reviews_all r
        ANTI JOIN short_break_children s ON s.child_id = r.child_id
        ANTI JOIN inside_short_break i ON i.review_id = r.review_id
        ORDER BY r.review_date
        """
    )

    # Working-day calendar: every day 1990-2050 with the number of working days up to and including it.
    holidays = ", ".join(f"(DATE '{d.isoformat()}')" for d in bank_holidays())
    con.execute(f"CREATE TEMP TABLE bank_holiday(day DATE); INSERT INTO bank_holiday VALUES {holidays}")
    con.execute(
        """
        CREATE TEMP TABLE calendar AS
        WITH days AS (
            SELECT CAST(d AS DATE) AS day FROM generate_series(DATE '1970-01-01', DATE '2060-12-31', INTERVAL 1 DAY) t(d)
        ), flagged AS (
            SELECT day, (isodow(day) <= 5 AND day NOT IN (SELECT day FROM bank_holiday)) AS working FROM days
        )
        SELECT day, working, SUM(CASE WHEN working THEN 1 ELSE 0 END) OVER (ORDER BY day) AS working_number
        FROM flagged
        """
    )
    con.execute("CREATE TEMP TABLE working_day AS SELECT working_number, day FROM calendar WHERE working")

    # Periods of care: a new one starts at a child's first episode, after a break, or at an S episode.
    con.execute(
        """
        CREATE TEMP TABLE poc AS
        WITH ordered AS (
            SELECT child_id, start_date, end_date, reason_new_episode,
                   LAG(end_date) OVER (PARTITION BY child_id ORDER BY start_date) AS previous_end,
                   ROW_NUMBER() OVER (PARTITION BY child_id ORDER BY start_date) AS n
            FROM episodes
        ), marked AS (
            SELECT *, SUM(CASE WHEN n = 1 OR previous_end IS NULL OR start_date <> previous_end
                                    OR reason_new_episode = 'S' THEN 1 ELSE 0 END)
                      OVER (PARTITION BY child_id ORDER BY start_date ROWS UNBOUNDED PRECEDING) AS run
            FROM ordered
        )
        SELECT child_id, run, MIN(start_date) AS poc_start,
               CASE WHEN BOOL_OR(end_date IS NULL) THEN NULL ELSE MAX(end_date) END AS poc_end,
               ARG_MIN(reason_new_episode, start_date) = 'S' AS opened_by_s
        FROM marked GROUP BY child_id, run
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE schedule AS
        WITH inside AS (
            SELECT r.review_id, r.child_id, r.review_date, r.area, r.uasc, p.run, p.poc_start, p.opened_by_s,
                   ROW_NUMBER() OVER (PARTITION BY r.child_id, p.run ORDER BY r.review_date, r.review_id)
                       AS review_number,
                   LAG(r.review_date) OVER (PARTITION BY r.child_id, p.run ORDER BY r.review_date, r.review_id)
                       AS previous_review
            FROM reviews r JOIN poc p
              ON r.child_id = p.child_id AND r.review_date >= p.poc_start
             AND (p.poc_end IS NULL OR r.review_date <= p.poc_end)
        )
        SELECT i.*,
               CASE WHEN review_number = 1 THEN w.day
                    WHEN review_number = 2 THEN CAST(previous_review + INTERVAL 3 MONTH AS DATE)
                    ELSE CAST(previous_review + INTERVAL 6 MONTH AS DATE) END AS due_date
        FROM inside i
        JOIN calendar c ON c.day = i.poc_start
        JOIN working_day w ON w.working_number = c.working_number + 20
        """
    )
    meta_path = folder / "dataset.toml"
    meta = tomllib.loads(meta_path.read_text()) if meta_path.exists() else {}
    data = DuckData(con, present, columns, uasc_recorded=bool(meta.get("uasc_recorded", True)))
    if "survey_responses" in present:
        pairs = con.execute("SELECT DISTINCT survey, question FROM survey_responses_all").fetchall()
        data.survey_pairs = survey_pairs_order(pairs)
    return data


def _filter(sel: BenchSelection, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    parts = ["TRUE"]
    if sel.areas:
        parts.append(f"{prefix}area IN {_sql_list(sel.areas)}")
    if sel.cohort != "all":
        parts.append(f"{prefix}uasc = {'TRUE' if sel.cohort == 'uasc' else 'FALSE'}")
    return " AND ".join(parts)


def _caseload_teams(data: DuckData, sel: BenchSelection) -> list[str] | None:
    """The IRO teams serving the selected areas when area_teams maps them all, else None (whole service)."""
    if not sel.areas or "area_teams" not in data.tables:
        return None
    mapping = dict(data.con.execute("SELECT area, team FROM area_teams_all").fetchall())
    if not mapping or any(a not in mapping for a in sel.areas):
        return None
    return sorted({mapping[a] for a in sel.areas})


def _in_care(end: str, condition: str) -> str:
    """The CTE of children in care at the end of ``end`` among the episodes meeting ``condition``."""
    return (
        "in_care AS (SELECT DISTINCT child_id FROM episodes "
        f"WHERE start_date <= {end} AND (end_date IS NULL OR end_date > {end}) AND {condition})"
    )


def compute(data: DuckData, sel: BenchSelection) -> pl.DataFrame:
    """Every indicator for one selection: indicator, value, numerator, denominator."""
    con = data.con
    start, end = f"DATE '{sel.period.start.isoformat()}'", f"DATE '{sel.period.end.isoformat()}'"
    f = _filter(sel)
    rows: dict[str, tuple[float | None, float | None, float | None]] = {}

    def one(sql: str) -> tuple:
        return con.execute(sql).fetchone()

    def count(name: str, n: float | None) -> None:
        rows[name] = (n, n, None)

    def pct(name: str, num: float | None, den: float | None, scale: float = 100.0) -> None:
        rows[name] = (ratio(num, den, scale), num, den)

    # Workload
    in_care, starting, ceasing, whole = one(
        f"""
        SELECT COUNT(DISTINCT child_id) FILTER (WHERE start_date <= {end} AND (end_date IS NULL OR end_date > {end})
                                                 AND {f}),
               COUNT(*) FILTER (WHERE reason_new_episode = 'S' AND start_date BETWEEN {start} AND {end} AND {f}),
               COUNT(*) FILTER (WHERE end_date BETWEEN {start} AND {end} AND reason_ceased <> 'X1' AND {f}),
               COUNT(DISTINCT child_id) FILTER (WHERE start_date <= {end} AND (end_date IS NULL OR end_date > {end}))
        FROM episodes
        """
    )
    count("children_in_care", in_care)
    count("children_starting_care", starting)
    count("children_ceasing_care", ceasing)
    establishment = in_post = None
    teams = _caseload_teams(data, sel)
    team_filter = f"team IN {_sql_list(teams)}" if teams is not None else "TRUE"
    if teams is not None:  # children of every area the selected areas' teams serve, any cohort
        (whole,) = one(
            f"""
            SELECT COUNT(DISTINCT child_id) FROM episodes
            WHERE start_date <= {end} AND (end_date IS NULL OR end_date > {end})
              AND area IN (SELECT area FROM area_teams_all WHERE {team_filter})
            """
        )
    if "iro_staffing" in data.tables:
        establishment, in_post = one(
            f"""
            SELECT SUM(fte_establishment), SUM(fte_in_post) FROM iro_staffing_all
            WHERE {team_filter} AND month_end = (
                SELECT MAX(month_end) FROM iro_staffing_all WHERE month_end <= {end} AND {team_filter})
            """
        )
    count("iro_fte_establishment", establishment)
    count("iro_fte_in_post", in_post)
    pct("caseload_per_establishment_fte", whole if establishment is not None else None, establishment, 1.0)
    pct("caseload_per_fte_in_post", whole if in_post is not None else None, in_post, 1.0)

    # Reviews
    cols = data.columns["reviews"]
    chaired_full = "COUNT(*) FILTER (WHERE child_chaired = 'full')" if "child_chaired" in cols else "NULL"
    chaired_part = "COUNT(*) FILTER (WHERE child_chaired = 'part')" if "child_chaired" in cols else "NULL"
    minutes = "COUNT(*) FILTER (WHERE minutes_issued_date <= w.day)" if "minutes_issued_date" in cols else "NULL"
    eligible, participated, in_person = (
        _sql_list(x) for x in (codes.PARTICIPATION_ELIGIBLE, codes.PARTICIPATED, codes.PARTICIPATED_IN_PERSON)
    )
    minutes_join = (
        "LEFT JOIN calendar c ON c.day = r.review_date"
        " LEFT JOIN working_day w ON w.working_number = c.working_number + 15"
        if "minutes_issued_date" in cols
        else ""
    )
    by_iro_sql = "COUNT(*) FILTER (WHERE chaired_by = 'iro')" if "chaired_by" in cols else "NULL"
    held, by_iro, n_eligible, n_part, n_person, full, part, minutes_ok = one(
        f"""
        SELECT COUNT(*), {by_iro_sql},
               COUNT(*) FILTER (WHERE participation_code IN {eligible}),
               COUNT(*) FILTER (WHERE participation_code IN {participated}),
               COUNT(*) FILTER (WHERE participation_code IN {in_person}),
               {chaired_full}, {chaired_part}, {minutes}
        FROM reviews r {minutes_join}
        WHERE r.review_date BETWEEN {start} AND {end} AND {_filter(sel, "r")}
        """
    )
    count("reviews_held", held)
    pct("reviews_chaired_by_iro_pct", by_iro, held if by_iro is not None else None)
    on_time, scheduled = one(
        f"""
        SELECT COUNT(*) FILTER (WHERE review_date <= due_date), COUNT(*) FROM schedule
        WHERE review_date BETWEEN {start} AND {end} AND {f}
        """
    )
    pct("reviews_on_time_pct", on_time, scheduled)
    (overdue,) = one(
        f"""
        WITH {_in_care(end, f)}, open_poc AS (
            SELECT p.child_id, p.run, p.poc_start FROM poc p JOIN in_care USING (child_id)
            WHERE p.poc_start <= {end} AND (p.poc_end IS NULL OR p.poc_end > {end})
        ), last_held AS (
            SELECT child_id, run, MAX(review_number) AS review_number,
                   ARG_MAX(review_date, review_number) AS review_date
            FROM schedule WHERE review_date <= {end} GROUP BY child_id, run
        ), next_due AS (
            SELECT o.child_id,
                   CASE WHEN l.review_number IS NULL THEN w.day
                        WHEN l.review_number = 1 THEN CAST(l.review_date + INTERVAL 3 MONTH AS DATE)
                        ELSE CAST(l.review_date + INTERVAL 6 MONTH AS DATE) END AS due
            FROM open_poc o
            LEFT JOIN last_held l ON l.child_id = o.child_id AND l.run = o.run
            JOIN calendar c ON c.day = o.poc_start
            JOIN working_day w ON w.working_number = c.working_number + 20
        )
        SELECT COUNT(DISTINCT child_id) FROM next_due WHERE due < {end}
        """
    )
    count("reviews_overdue", overdue)
    pct("participation_pct", n_part, n_eligible)
    pct("participation_in_person_pct", n_person, n_eligible)
    count("child_chaired_full", full)
    count("child_chaired_part", part)
    pct("minutes_on_time_pct", minutes_ok, held if minutes_ok is not None else None)
    if "qa_grades" in data.tables:
        (audits,) = one(
            f"SELECT COUNT(DISTINCT audit_id) FROM qa_grades_all WHERE audit_date BETWEEN {start} AND {end} AND {f}"
        )
        pct("qa_audit_rate_pct", audits, held)
    else:
        rows["qa_audit_rate_pct"] = (None, None, None)

    # Social work practice and IRO challenge
    if "iro_notified_date" in data.columns["episodes"]:
        late, s_starts = one(
            f"""
            SELECT COUNT(*) FILTER (WHERE e.iro_notified_date IS NULL OR e.iro_notified_date >= w.day), COUNT(*)
            FROM episodes e
            JOIN calendar c ON c.day = e.start_date
            JOIN working_day w ON w.working_number = c.working_number + 2
            WHERE e.reason_new_episode = 'S' AND e.start_date BETWEEN {start} AND {end} AND {_filter(sel, "e")}
            """
        )
        count("late_notifications", late)
        pct("late_notifications_pct", late, s_starts)
    else:
        rows["late_notifications"] = rows["late_notifications_pct"] = (None, None, None)
    if "disputes" in data.tables:
        formal, informal, level_1 = one(
            f"""
            SELECT COUNT(*) FILTER (WHERE route = 'formal'), COUNT(*) FILTER (WHERE route = 'informal'),
                   COUNT(*) FILTER (WHERE route = 'formal' AND highest_level = 1)
            FROM disputes_all WHERE raised_date BETWEEN {start} AND {end} AND {f}
            """
        )
        count("disputes_formal", formal)
        count("disputes_informal", informal)
        pct("disputes_formal_per_100_reviews", formal, held)
        pct("disputes_informal_per_100_reviews", informal, held)
        pct("disputes_resolved_at_level_1_pct", level_1, formal)
    else:
        for name in FIXED_INDICATORS:
            if name.startswith("disputes_"):
                rows[name] = (None, None, None)

    # Quality assurance
    grades: dict[str, tuple[int, int, int]] = {}
    if "qa_grades" in data.tables:
        good = _sql_list(codes.QA_GOOD_OR_BETTER)
        for item, n, adequate, good_n in con.execute(
            f"""
            SELECT item, COUNT(*), COUNT(*) FILTER (WHERE grade <> 'inadequate'),
                   COUNT(*) FILTER (WHERE grade IN {good})
            FROM qa_grades_all WHERE audit_date BETWEEN {start} AND {end} AND {f} GROUP BY item
            """
        ).fetchall():
            grades[item] = (n, adequate, good_n)
    for item in codes.QA_ITEMS:
        if "qa_grades" not in data.tables:
            rows[qa_indicator_id(item, "adequate")] = rows[qa_indicator_id(item, "good")] = (None, None, None)
            continue
        n, adequate, good_n = grades.get(item, (0, 0, 0))
        pct(qa_indicator_id(item, "adequate"), adequate, n)
        pct(qa_indicator_id(item, "good"), good_n, n)

    # IRO contact and children's views
    if "iro_contacts" in data.tables:
        contacted, children = one(
            f"""
            WITH {_in_care(end, f)}, contacted AS (
                -- Child-centred: any contact of a child in the selection, whatever its row's area or cohort.
                SELECT DISTINCT child_id FROM iro_contacts_all
                WHERE contact_date BETWEEN {start} AND {end}
            )
            SELECT COUNT(*) FILTER (WHERE c.child_id IS NOT NULL), COUNT(*)
            FROM in_care i LEFT JOIN contacted c USING (child_id)
            """
        )
        pct("iro_contact_pct", contacted, children)
    else:
        rows["iro_contact_pct"] = (None, None, None)
    survey_rows = []
    if "survey_responses" in data.tables:  # a response count for every survey in the code list
        responses = dict(
            con.execute(
                f"""
                SELECT survey, COUNT(DISTINCT response_id) FROM survey_responses_all
                WHERE response_date BETWEEN {start} AND {end} AND {f} GROUP BY survey
                """
            ).fetchall()
        )
        answers = {
            (s, q): (yes, n)
            for s, q, yes, n in con.execute(
                f"""
                SELECT survey, question, COUNT(*) FILTER (WHERE answer = 'yes'), COUNT(*) FROM survey_responses_all
                WHERE response_date BETWEEN {start} AND {end} AND {f} GROUP BY survey, question
                """
            ).fetchall()
        }
        for survey in codes.SURVEYS:
            n = responses.get(survey, 0)
            survey_rows.append((survey_responses_id(survey), n, n, None))
        for survey, question in data.survey_pairs:
            yes, n = answers.get((survey, question), (0, 0))
            survey_rows.append((survey_indicator_id(survey, question), ratio(yes, n), yes, n))

    _oversight(data, sel, rows, count, pct)

    order = [*FIXED_INDICATORS, *qa_indicator_ids()]
    # An id this baseline does not compute is left out, for run.compare_results to report.
    result = [(name, *rows[name]) for name in order if name in rows] + survey_rows
    if sel.cohort != "all" and not data.uasc_recorded:  # no UASC table: the cohort is not recorded
        result = [(name, None, None, None) for name, *_ in result]
    return result_frame(result)


def _oversight(data: DuckData, sel: BenchSelection, rows: dict, count, pct) -> None:
    """The 12 oversight indicators of spec/indicators.md (issue 25), in SQL from the spec."""
    con = data.con
    start, end = f"DATE '{sel.period.start.isoformat()}'", f"DATE '{sel.period.end.isoformat()}'"
    f = _filter(sel)
    none = (None, None, None)

    def one(sql: str) -> tuple:
        return con.execute(sql).fetchone()

    if "disputes" in data.tables:
        on_time, resolved, open_, open_over = one(
            f"""
            WITH formal AS (
                SELECT d.raised_date, d.resolved_date, w.day AS due FROM disputes_all d
                JOIN calendar c ON c.day = d.raised_date
                JOIN working_day w ON w.working_number = c.working_number + 20
                WHERE d.route = 'formal' AND {_filter(sel, "d")}
            )
            SELECT COUNT(*) FILTER (WHERE resolved_date BETWEEN {start} AND {end} AND resolved_date <= due),
                   COUNT(*) FILTER (WHERE resolved_date BETWEEN {start} AND {end}),
                   COUNT(*) FILTER (WHERE raised_date <= {end} AND (resolved_date IS NULL OR resolved_date > {end})),
                   COUNT(*) FILTER (WHERE raised_date <= {end} AND (resolved_date IS NULL OR resolved_date > {end})
                                    AND due < {end})
            FROM formal
            """
        )
        pct("disputes_resolved_in_20wd_pct", on_time, resolved)
        count("disputes_open_at_end", open_)
        count("disputes_open_over_20wd", open_over)
    else:
        for name in ("disputes_resolved_in_20wd_pct", "disputes_open_at_end", "disputes_open_over_20wd"):
            rows[name] = none
    first_on_time, first = one(
        f"""
        SELECT COUNT(*) FILTER (WHERE review_date <= due_date), COUNT(*) FROM schedule
        WHERE review_number = 1 AND opened_by_s AND review_date BETWEEN {start} AND {end} AND {f}
        """
    )
    pct("first_reviews_on_time_pct", first_on_time, first)
    if "iro_staffing" in data.tables and "fte_agency" in data.columns["iro_staffing"]:
        agency, in_post = one(
            f"""
            SELECT SUM(fte_agency), SUM(fte_in_post) FROM iro_staffing_all WHERE month_end = (
                SELECT MAX(month_end) FROM iro_staffing_all WHERE month_end <= {end} AND fte_agency IS NOT NULL)
            """
        )
        if in_post is None:
            rows["iro_agency_fte_pct"] = none
        else:
            pct("iro_agency_fte_pct", agency, in_post)
    else:
        rows["iro_agency_fte_pct"] = none
    if "iro_allocations" in data.tables:
        fte = "i.fte" if "iros" in data.tables and "fte" in data.columns["iros"] else "NULL"
        iros_join = "LEFT JOIN iros_all i USING (iro_id)" if fte != "NULL" else ""
        median, most, over = one(
            f"""
            WITH in_care AS (
                SELECT DISTINCT child_id FROM episodes
                WHERE start_date <= {end} AND (end_date IS NULL OR end_date > {end})
            ), per_iro AS (
                SELECT a.iro_id, COUNT(DISTINCT ic.child_id) AS children FROM iro_allocations_all a
                LEFT JOIN in_care ic ON ic.child_id = a.child_id
                WHERE a.start_date <= {end} AND (a.end_date IS NULL OR a.end_date > {end})
                GROUP BY a.iro_id
            ), caseload AS (
                SELECT CASE WHEN {fte} > 0 THEN children / {fte} ELSE CAST(children AS DOUBLE) END AS caseload
                FROM per_iro {iros_join}
            )
            SELECT MEDIAN(caseload), MAX(caseload), COUNT(*) FILTER (WHERE caseload > 70) FROM caseload
            """
        )
        rows["iro_caseload_median"] = none if median is None else (float(median), float(median), None)
        rows["iro_caseload_max"] = none if most is None else (float(most), float(most), None)
        count("iros_over_guideline", over)
        changed, children = one(
            f"""
            WITH {_in_care(end, f)}, changed AS (
                SELECT DISTINCT e.child_id FROM iro_allocations_all e JOIN iro_allocations_all b
                  ON b.child_id = e.child_id AND e.start_date < b.start_date
                WHERE e.end_date BETWEEN {start} AND {end} AND b.start_date BETWEEN {start} AND {end}
            )
            SELECT COUNT(c.child_id), COUNT(*) FROM in_care i LEFT JOIN changed c USING (child_id)
            """
        )
        pct("iro_changes_pct", changed, children)
    else:
        for name in ("iro_caseload_median", "iro_caseload_max", "iros_over_guideline", "iro_changes_pct"):
            rows[name] = none
    if "iro_contacts" in data.tables and "type" in data.columns["iro_contacts"]:
        seen, held, midway, following = one(
            f"""
            WITH held AS (
                SELECT r.review_id, r.child_id, r.review_date, s.previous_review, w.day AS since
                FROM reviews r
                LEFT JOIN schedule s USING (review_id)
                JOIN calendar c ON c.day = r.review_date
                -- 20 working days before, counted from the review date (or the next working day).
                JOIN working_day w
                  ON w.working_number = c.working_number + CASE WHEN c.working THEN 0 ELSE 1 END - 20
                WHERE r.review_date BETWEEN {start} AND {end} AND {_filter(sel, "r")}
            ), seen AS (
                SELECT DISTINCT h.review_id FROM held h JOIN iro_contacts_all k
                  ON k.child_id = h.child_id AND k.type IN ('visit', 'conversation')
                 AND k.contact_date >= h.since AND k.contact_date < h.review_date
            ), midway AS (
                SELECT DISTINCT h.review_id FROM held h JOIN iro_contacts_all k
                  ON k.child_id = h.child_id AND k.type = 'midway'
                 AND k.contact_date > h.previous_review AND k.contact_date < h.review_date
            )
            SELECT (SELECT COUNT(*) FROM seen), COUNT(*), (SELECT COUNT(*) FROM midway),
                   COUNT(*) FILTER (WHERE previous_review IS NOT NULL)
            FROM held
            """
        )
        pct("seen_before_review_pct", seen, held)
        pct("midway_reviews_pct", midway, following)
    else:
        rows["seen_before_review_pct"] = rows["midway_reviews_pct"] = none
    if "first_set_date" in data.columns["reviews"]:
        moved, given = one(
            f"""
            SELECT COUNT(*) FILTER (WHERE first_set_date <> review_date), COUNT(*) FROM reviews
            WHERE first_set_date IS NOT NULL AND review_date BETWEEN {start} AND {end} AND {f}
            """
        )
        pct("reviews_rescheduled_pct", moved, given)
    else:
        rows["reviews_rescheduled_pct"] = none
