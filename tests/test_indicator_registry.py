"""The indicator registry: ids built and read back by hand, and the registry and catalogue in step.

The expected counts are worked out from catalogue.toml read here on its own (tomllib) and the code
lists, never written in: a new indicator needs its catalogue entry, not an edit here.
"""

import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iro_metrics import codes
from iro_metrics.catalogue import THEMES as THEME_TITLES
from iro_metrics.catalogue import Catalogue, CatalogueError, load_catalogue
from iro_metrics.dataset import load_dataset
from iro_metrics.decomposition import decomposed_counts
from iro_metrics.indicator_registry import (
    THEMES,
    IndicatorId,
    UnknownIndicatorError,
    id_part,
    qa_indicator_id,
    survey_indicator_id,
    survey_responses_id,
)
from iro_metrics.indicators import compute_indicators
from iro_metrics.indicators import themes as themes_module
from iro_metrics.indicators.recorded import COLUMN_SOURCES, TABLE_SOURCES, source_ids
from iro_metrics.indicators.themes import (
    all_ids,
    find_indicator_id,
    fixed_ids,
    parse_indicator_id,
    theme_modules,
    theme_of,
)
from iro_metrics.selection import Selection
from iro_metrics.store import SHIPPED_DATASET
from tests.builders import make_dataset
from tools.bench.common import FIXED_INDICATORS

CATALOGUE = load_catalogue()
# catalogue.toml as written, read without iro_metrics.catalogue.
TOML = tomllib.loads((Path(__file__).parents[1] / "iro_metrics" / "catalogue.toml").read_text())
ENTRIES: dict[str, dict] = TOML["indicator"]  # the fixed ids' entries, in the file's order
TEMPLATES: dict[str, dict] = TOML["template"]
QA_LEVELS_WRITTEN = [t.removeprefix("qa_") for t in TEMPLATES if t.startswith("qa_")]


def expected_count(survey_pairs: int) -> int:
    """How many ids a dataset answering ``survey_pairs`` (survey, question) pairs gives, by the file."""
    return len(ENTRIES) + len(QA_LEVELS_WRITTEN) * len(codes.QA_ITEMS) + len(codes.SURVEYS) + survey_pairs


def shipped_survey_pairs() -> int:
    """The (survey, question) pairs the shipped data answers, read from its Parquet file."""
    answers = pl.read_parquet(Path(SHIPPED_DATASET) / "survey_responses.parquet")
    return answers.select("survey", "question").unique().height


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED_DATASET)


def every_question_dataset():
    """A dataset with one answer to every question of every survey in the code lists."""
    answers = [
        dict(response_id=f"{s}-1", response_date=date(2014, 1, 10), survey=s, question=q, answer="yes")
        for s in codes.SURVEYS
        for q in codes.SURVEY_QUESTIONS
    ]
    grades = [dict(audit_date=date(2014, 1, 10), item=item) for item in codes.QA_ITEMS]
    return make_dataset(survey_responses=answers, qa_grades=grades)


def test_ids_built_by_hand():
    assert qa_indicator_id("care_plan", "good") == "qa_care_plan_good_pct"
    assert qa_indicator_id("sw_report", "adequate") == "qa_sw_report_adequate_pct"
    assert survey_responses_id("exit_interview") == "survey_exit_interview_responses"
    assert survey_indicator_id("leaving_care", "iro_helpful") == "survey_leaving_care_iro_helpful_yes_pct"


def test_ids_read_back_by_hand():
    assert parse_indicator_id("qa_care_plan_good_pct") == IndicatorId(
        "qa_care_plan_good_pct", "qa", "quality", item="care_plan", level="good"
    )
    plan = parse_indicator_id("qa_plan_implementation_adequate_pct")
    assert (plan.item, plan.level) == ("plan_implementation", "adequate")
    assert parse_indicator_id("survey_leaving_care_iro_helpful_yes_pct") == IndicatorId(
        "survey_leaving_care_iro_helpful_yes_pct",
        "survey_question",
        "views",
        survey="leaving_care",
        question="iro_helpful",
    )
    assert parse_indicator_id("survey_exit_interview_responses") == IndicatorId(
        "survey_exit_interview_responses", "survey_responses", "views", survey="exit_interview"
    )
    # A fixed id that starts like a QA id is not one.
    assert parse_indicator_id("qa_audit_rate_pct") == IndicatorId("qa_audit_rate_pct", "fixed", "reviews")
    assert theme_of("late_notifications_pct") == "challenge"
    assert theme_of("iro_contact_pct") == "views"
    assert theme_of("caseload_per_fte_in_post") == "workload"


@pytest.mark.parametrize(
    "indicator", ["qa_nothing_good_pct", "qa_care_plan_best_pct", "survey_nobody_knows_yes_pct", "children_in_car", ""]
)
def test_unknown_ids(indicator):
    assert find_indicator_id(indicator) is None
    with pytest.raises(UnknownIndicatorError, match="is not an indicator id"):
        parse_indicator_id(indicator)


def test_every_patterned_id_reads_back():
    for item in codes.QA_ITEMS:
        for level in ("adequate", "good"):
            parts = parse_indicator_id(qa_indicator_id(item, level))
            assert (parts.family, parts.item, parts.level) == ("qa", item, level)
    for survey in codes.SURVEYS:
        assert parse_indicator_id(survey_responses_id(survey)).survey == survey
        for question in codes.SURVEY_QUESTIONS:
            parts = parse_indicator_id(survey_indicator_id(survey, question))
            assert (parts.family, parts.survey, parts.question) == ("survey_question", survey, question)


def test_id_parts_of_a_column_agree_with_parse():
    ids = all_ids(every_question_dataset())
    frame = pl.DataFrame({"indicator": ids}).with_columns(
        id_part(pl.col("indicator"), part).alias(part) for part in ("item", "level", "survey", "question")
    )
    for row in frame.iter_rows(named=True):
        parts = parse_indicator_id(row["indicator"])
        assert (row["item"], row["level"], row["survey"], row["question"]) == (
            parts.item,
            parts.level,
            parts.survey,
            parts.question,
        )


def test_every_catalogue_entry_is_registered_exactly_once():
    registered = Counter(fixed_ids())
    assert [i for i, n in registered.items() if n > 1] == []
    assert sorted(registered) == sorted(ENTRIES)  # no entry without its theme module's id, and none more
    assert list(fixed_ids()) == list(ENTRIES)  # and in the same (spec) order
    # Each theme module's ids, in spec order, make up the fixed ids.
    assert [i for m in theme_modules() for i in m.IDS] == list(fixed_ids())
    assert [len(fixed_ids(t)) for t in THEMES] == [len(m.IDS) for m in theme_modules()]
    assert sum(len(fixed_ids(t)) for t in THEMES) == len(ENTRIES) > 0


def test_each_kind_s_count_is_the_catalogue_s(shipped):
    ids = all_ids(shipped)
    assert len(ids) == len(set(ids)) == expected_count(shipped_survey_pairs())
    families = Counter(parse_indicator_id(i).family for i in ids)
    assert families == {
        "fixed": len(ENTRIES),
        "qa": len(QA_LEVELS_WRITTEN) * len(codes.QA_ITEMS),
        "survey_responses": len(codes.SURVEYS),
        "survey_question": shipped_survey_pairs(),
    }
    # Period and point figures: each fixed entry's kind as written, and its template's for a family id.
    written = Counter(entry["kind"] for entry in ENTRIES.values())
    for level in QA_LEVELS_WRITTEN:
        written[TEMPLATES[f"qa_{level}"]["kind"]] += len(codes.QA_ITEMS)
    written[TEMPLATES["survey_responses"]["kind"]] += len(codes.SURVEYS)
    written[TEMPLATES["survey_yes"]["kind"]] += shipped_survey_pairs()
    assert Counter(CATALOGUE[i].kind for i in ids) == written


def test_shipped_dataset_ids_in_spec_order(shipped):
    ids = all_ids(shipped)
    assert ids[:2] == ["children_in_care", "children_starting_care"]
    # The QA pairs, item by item, follow the last challenge id; the views follow the last QA pair.
    first_qa = ids.index("qa_care_plan_adequate_pct")
    assert ids[first_qa - 1] == fixed_ids("challenge")[-1] == "disputes_open_over_20wd"
    assert ids[first_qa : first_qa + 4] == ["qa_care_plan_adequate_pct", "qa_care_plan_good_pct", "qa_plan_implementation_adequate_pct", "qa_plan_implementation_good_pct"]  # fmt: skip
    views = ids.index("iro_contact_pct")
    assert views == first_qa + len(QA_LEVELS_WRITTEN) * len(codes.QA_ITEMS)
    assert ids[views : views + 3] == [
        "iro_contact_pct",
        "survey_consultation_responses",
        "survey_exit_interview_responses",
    ]
    assert ids[-1] == "survey_parent_iro_helpful_yes_pct"
    # Theme by theme, in spec order.
    themes = [THEMES.index(theme_of(i)) for i in ids]
    assert themes == sorted(themes)


def test_decomposition_s_counts_are_the_catalogue_s():
    # The rate indicators catalogue.toml marks decomposed: fixed entries, and each QA item's through
    # its template.
    marked = [i for i, entry in ENTRIES.items() if "decomposed" in entry]
    for level in QA_LEVELS_WRITTEN:
        if "decomposed" in TEMPLATES[f"qa_{level}"]:
            marked += [qa_indicator_id(item, level) for item in codes.QA_ITEMS]  # type: ignore[arg-type]
    counts = decomposed_counts()
    assert sorted(d.rate_indicator for d in counts) == sorted(marked)
    assert [d.rate_indicator for d in counts] == CATALOGUE.order([d.rate_indicator for d in counts])
    assert len({d.count for d in counts}) == len(counts)
    assert {d.count for d in counts} >= {
        "late_notifications",
        "disputes_formal",
        "reviews_late",
        "qa_care_plan_inadequate",
    }
    # Each is a rate the engine gives with a numerator and a denominator.
    assert {CATALOGUE[d.rate_indicator].unit for d in counts} <= {"pct", "per_100"}
    assert set(marked) <= set(all_ids(every_question_dataset()))


def test_the_bench_names_the_registry_s_fixed_ids():
    assert list(FIXED_INDICATORS) == list(fixed_ids()) == list(ENTRIES)


def test_theme_modules_are_the_themes():
    assert [m.__name__.rsplit(".", 1)[-1] for m in theme_modules()] == list(THEMES)
    assert set(THEME_TITLES) == set(THEMES)  # every theme has a title in the catalogue, and no more


def test_engine_gives_exactly_the_registry_ids():
    ds = every_question_dataset()
    figures = compute_indicators(Selection.of(ds, "2013-14-Q4"))
    assert figures["indicator"].to_list() == all_ids(ds)
    assert len(all_ids(ds)) == expected_count(len(codes.SURVEYS) * len(codes.SURVEY_QUESTIONS))


def gaps(catalogue: Catalogue, ids: list[str]) -> tuple[list[str], list[str]]:
    """Registry ids with no catalogue entry, and catalogue entries that are no registry id."""
    known = set(ids)
    return [i for i in ids if i not in catalogue], [i for i in catalogue.ids() if i not in known]


@pytest.mark.parametrize("which", ["shipped", "every question"])
def test_registry_and_catalogue_hold_the_same_ids(which, shipped):
    ds = shipped if which == "shipped" else every_question_dataset()
    ids = all_ids(ds)
    assert gaps(CATALOGUE, ids) == ([], [])
    # Each id once, in the same order and theme on both sides (survey questions are the data's).
    assert CATALOGUE.ids() == [i for i in ids if parse_indicator_id(i).family != "survey_question"]
    assert [CATALOGUE[i].theme for i in ids] == [theme_of(i) for i in ids]
    # Patterned entries, read back through the registry, carry their code-list labels.
    for indicator in ids:
        parts = parse_indicator_id(indicator)
        if parts.family == "qa":
            assert CATALOGUE[indicator].title.startswith(codes.QA_ITEMS[str(parts.item)] + ": ")
        elif parts.family != "fixed":
            assert CATALOGUE[indicator].title.startswith(codes.SURVEYS[str(parts.survey)] + ": ")


def test_either_side_gaining_an_id_is_caught(tmp_path, shipped):
    ids = all_ids(shipped)
    assert gaps(CATALOGUE, [*ids, "reviews_cancelled"]) == (["reviews_cancelled"], [])
    own = tmp_path / "catalogue.toml"
    own.write_text(
        "[indicator.reviews_cancelled]\ntitle = 'Reviews cancelled'\ntheme = 'reviews'\nkind = 'period'\n"
        "unit = 'count'\npolarity = 'lower'\ndefinition = 'Reviews cancelled in the period.'\n"
    )
    # The catalogue cannot gain an id the code does not compute: it is refused as it loads.
    with pytest.raises(CatalogueError, match="'reviews_cancelled' is not one the code computes"):
        load_catalogue(overrides=own)


def test_the_theme_is_the_registry_s(tmp_path):
    assert CATALOGUE["qa_audit_rate_pct"].theme == "reviews"  # catalogue.toml no longer says so
    own = tmp_path / "catalogue.toml"
    own.write_text("[indicator.qa_audit_rate_pct]\ntheme = 'reviews'\ntarget = 95\n")
    assert load_catalogue(overrides=own)["qa_audit_rate_pct"].target == 95.0
    own.write_text("[indicator.qa_audit_rate_pct]\ntheme = 'quality'\n")
    with pytest.raises(CatalogueError, match="its theme is reviews, not quality"):
        load_catalogue(overrides=own)


def test_titles_are_unique():
    ids = all_ids(every_question_dataset())
    titles = Counter(CATALOGUE[i].title for i in ids)
    assert [t for t, n in titles.items() if n > 1] == []


def test_theme_modules_declare_the_sources_their_ids_need(shipped):
    sources = {*TABLE_SOURCES, *(f"{table}.{column}" for table, column in COLUMN_SOURCES)}
    for module in theme_modules():
        assert set(module.SOURCES) <= sources, module.__name__
        for ids in module.SOURCES.values():
            assert set(ids) <= set(module.IDS), module.__name__
    # Every source's words name at least one indicator.
    assert [s for s in sorted(sources) if not source_ids(every_question_dataset(), s)] == []
    # The audit rate and every QA pair; every survey's responses and the questions the data answers.
    assert len(source_ids(shipped, "qa_grades")) == 1 + len(QA_LEVELS_WRITTEN) * len(codes.QA_ITEMS)
    assert len(source_ids(shipped, "survey_responses")) == len(codes.SURVEYS) + shipped_survey_pairs()
    assert source_ids(shipped, "episodes.iro_notified_date") == ("late_notifications", "late_notifications_pct")
    assert source_ids(shipped, "iro_staffing")[-1] == "caseload_per_fte_in_post"


def test_a_family_id_cannot_have_an_entry_of_its_own(tmp_path):
    own = tmp_path / "catalogue.toml"
    own.write_text("[indicator.qa_care_plan_adequate_pct]\ntarget = 95\n")
    with pytest.raises(CatalogueError, match="belongs to the qa family"):
        load_catalogue(overrides=own)


@pytest.mark.parametrize("extra", ["reviews_held", "qa_care_plan_good_pct"])
def test_an_id_declared_twice_is_refused(monkeypatch, extra):
    from iro_metrics.indicators import challenge

    monkeypatch.setattr(challenge, "IDS", (*challenge.IDS, extra))
    themes_module._fixed_themes.cache_clear()
    try:
        with pytest.raises(ValueError, match=f"'{extra}' is declared twice"):
            fixed_ids()
    finally:
        monkeypatch.undo()
        themes_module._fixed_themes.cache_clear()
    assert len(fixed_ids()) == len(ENTRIES)
