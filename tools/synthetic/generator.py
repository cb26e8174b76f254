"""Generate the synthetic Kent dataset: simulate, repair in dependency order, write Parquet + dataset.toml."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from iro_metrics.dataset import write_dataset
from iro_metrics.tables import DATA_MODEL
from tools.synthetic import events, oversight, present
from tools.synthetic.dates import FIRST_DAY, LAST_DAY
from tools.synthetic.disputes import make_disputes
from tools.synthetic.lives import Child
from tools.synthetic.population import schedule_all_reviews, simulate_population
from tools.synthetic.qa_audits import choose_audits, grade_audits
from tools.synthetic.repair import repair_population
from tools.synthetic.review_repair import repair_review_counts, repair_timeliness, repair_under_fours
from tools.synthetic.surveys import make_surveys
from tools.synthetic.targets import NW_TEAM, SE_TEAM

DEFAULT_SEED = 2012

DESCRIPTION = (
    "Synthetic, record-level data for a Kent-like council, April 2012 to March 2026. No record describes "
    "a real child. Children's lives are simulated (entries, chained episodes, exits, statutory reviews) and "
    "then calibrated so that the package's indicators reproduce the figures published in Kent's IRO reports "
    "for 2012-13 to 2015-16 and Kent's figures in the DfE's children looked after statistics for 2020-21 to "
    "2024-25 (children looked after on 31 March, starting, placement stability, social workers); other years "
    "are plausible interpolations. Episodes and reviews dated before first_day are the care histories of "
    "children already in care, kept so that review due dates can be worked out. See docs/synthetic-data.md."
)


def build_tables(seed: int) -> dict[str, pl.DataFrame]:
    """Simulate and calibrate; return one frame per table of the data model."""
    children = simulate_population(seed)
    children = repair_population(seed, children)
    children = present.repair_present(seed, children)
    events.staying_put(seed, children)
    schedule_all_reviews(seed, children)
    repair_review_counts(seed, children)
    repair_under_fours(seed, children)
    repair_timeliness(seed, children)

    # Stable order and pseudonymous ids.
    children.sort(key=lambda c: (c.poc_start if c.episodes else c.entry, c.number))
    child_ids = {c.number: f"C{i:06d}" for i, c in enumerate(children, start=1)}

    events.assign_review_basics(children)
    reviews = events.held_reviews(children)
    events.assign_review_ids(reviews)
    events.assign_chairs(seed, reviews)
    events.assign_participation(seed, reviews)
    events.assign_child_chaired(seed, reviews)
    events.assign_minutes(seed, reviews)
    audits = choose_audits(seed, reviews)
    grades = grade_audits(seed, audits)
    disputes = make_disputes(seed, reviews)
    events.assign_notifications(seed, children)
    contacts = events.make_contacts(seed, children)
    responses = make_surveys(seed, reviews, children)
    tables = _frames(children, child_ids, reviews, grades, disputes, contacts, responses)
    tables["social_worker_episodes"] = _frame(
        "social_worker_episodes",
        present.social_worker_rows(seed, children, child_ids),
        ["child_id", "start_date", "sw_id"],
    )
    oversight.add_oversight(seed, tables, AREA_TEAMS)  # not calibrated: no published figure
    return tables


# Which IRO team serves each area (the staffing table's team names). The 2015-16 report: two IRO
# teams "coterminous with two operational areas apiece". The county-wide services are given to a
# team too (an assumption: the reports do not say), so that the two teams' children add up to the
# whole service: the UASC and disabled children's services, mostly in the south-east, to the East
# and South Kent team (about 87.5 children per FTE in post at 31 March 2014, where the report gives
# 89.3), the 16+ service to the North and West Kent team.
AREA_TEAMS: dict[str, str] = {
    "East Kent": SE_TEAM,
    "South Kent": SE_TEAM,
    "UASC Service": SE_TEAM,
    "Disabled Children's Service": SE_TEAM,
    "North Kent": NW_TEAM,
    "West Kent": NW_TEAM,
    "16+ Service": NW_TEAM,
}


def _frame(name: str, rows: list[tuple], sort: list[str]) -> pl.DataFrame:
    schema = DATA_MODEL[name].schema
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.sort(sort, maintain_order=True)


def _frames(
    children: list[Child], child_ids: dict[int, str], reviews, grades, disputes, contacts, responses
) -> dict[str, pl.DataFrame]:
    # UASC status ends at 18 (the 903's DUC is on or before the 18th birthday); null while it lasts.
    uasc_ceased = {c.number: c.birthday(18) for c in children if c.is_uasc and c.birthday(18) <= LAST_DAY}
    tables: dict[str, pl.DataFrame] = {}
    tables["children"] = _frame(
        "children",
        [(child_ids[c.number], c.sex, c.dob, c.ethnicity, uasc_ceased.get(c.number), c.is_uasc) for c in children],
        ["child_id"],
    )
    tables["episodes"] = _frame(
        "episodes",
        [
            (
                child_ids[c.number],
                e.start,
                e.end,
                e.rne,
                e.legal_status,
                e.cin,
                e.placement,
                e.reason_ceased,
                e.area,
                e.uasc,
                e.notified if e.rne == "S" else None,
            )
            for c in children
            for e in c.episodes
        ],
        ["child_id", "start_date"],
    )
    tables["reviews"] = _frame(
        "reviews",
        [
            (
                h.review.review_id,
                child_ids[h.child.number],
                h.review.day,
                h.review.participation,
                h.review.chaired_by,
                h.review.child_chaired,
                h.review.minutes,
                None,  # first_set_date: tools.synthetic.oversight
                h.review.area,
                h.review.uasc,
            )
            for h in reviews
        ],
        ["review_id"],
    )
    tables["qa_grades"] = _frame(
        "qa_grades",
        [
            (
                g.audit.audit_id,
                g.audit.held.review.review_id,
                g.audit.day,
                g.item,
                g.grade,
                g.audit.area,
                g.audit.held.review.uasc,
            )
            for g in grades
        ],
        ["audit_id", "item"],
    )
    tables["disputes"] = _frame(
        "disputes",
        [
            (
                d.dispute_id,
                child_ids[d.held.child.number],
                d.raised,
                d.route,
                d.category,
                d.level,
                d.resolved,
                d.held.child.episode_on(d.raised).area,
                d.held.child.is_uasc,
            )
            for d in disputes
        ],
        ["dispute_id"],
    )
    tables["iro_staffing"] = _frame("iro_staffing", events.staffing_rows(), ["month_end", "team"])
    tables["area_teams"] = _frame("area_teams", list(AREA_TEAMS.items()), ["area"])
    tables["iro_contacts"] = _frame(
        "iro_contacts",
        [(child_ids[c.number], day, area, c.is_uasc, None) for c, day, area in contacts],
        ["contact_date", "child_id"],
    )
    tables["survey_responses"] = _frame(
        "survey_responses",
        [(r.response_id, r.survey, r.day, q, a, r.area, r.uasc) for r in responses for q, a in r.answers.items()],
        ["response_id", "question"],
    )
    return tables


def dataset_meta(seed: int) -> dict[str, object]:
    """What dataset.toml says: plainly synthetic, who made it, and the days it covers."""
    return {
        "local_authority": "Kent (synthetic)",
        # Which council it stands for (the DfE's old and new codes): its benchmarks are Kent's.
        "la_code_old": "886",
        "la_code_new": "E10000016",
        "synthetic": True,
        # The generator's name when the shipped data was made (now tools.synthetic), kept so that
        # make data rewrites byte-identical files.
        "produced_by": f"iro_metrics.synthetic.generate (seed {seed})",
        "description": DESCRIPTION,
        "first_day": FIRST_DAY,
        "last_day": LAST_DAY,
    }


def write_tables(tables: dict[str, pl.DataFrame], out_dir: Path, seed: int) -> None:
    """Check and write the tables (zstd Parquet, sorted) and dataset.toml, byte-identical for the same input."""
    write_dataset(tables, dataset_meta(seed), Path(out_dir))


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> None:
    """Generate the synthetic Kent dataset into ``out_dir`` (Parquet per table + dataset.toml)."""
    write_tables(build_tables(seed), Path(out_dir), seed)
