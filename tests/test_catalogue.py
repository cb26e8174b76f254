"""The indicator catalogue: every spec id present, families expanded, overrides applied."""

from pathlib import Path

import pytest

from iro_metrics.catalogue import CatalogueError, format_change, format_value, load_catalogue

CATALOGUE = load_catalogue()


def test_every_spec_indicator_is_described():
    for indicator in (
        "children_in_care", "caseload_per_establishment_fte", "reviews_on_time_pct", "reviews_overdue",
        "participation_pct", "minutes_on_time_pct", "late_notifications_pct", "disputes_resolved_at_level_1_pct",
        "qa_care_plan_adequate_pct", "qa_contingency_good_pct", "iro_contact_pct", "survey_carer_responses",
    ):  # fmt: skip
        meta = CATALOGUE[indicator]
        assert meta.title and meta.definition and meta.unit and meta.polarity in ("higher", "lower", "none")


def test_families_and_survey_questions():
    assert CATALOGUE["qa_sw_report_adequate_pct"].title == "Social worker's report: adequate or better"
    question = CATALOGUE["survey_leaving_care_difficult_to_get_support_yes_pct"]
    assert question.polarity == "lower"
    assert "Leaving care survey" in question.title
    assert CATALOGUE["survey_exit_interview_iro_helpful_yes_pct"].polarity == "higher"
    assert "survey_nobody_knows_yes_pct" not in CATALOGUE


def test_council_overrides(tmp_path):
    own = tmp_path / "catalogue.toml"
    own.write_text("[indicator.reviews_on_time_pct]\ntarget = 98\nfloor = 95\n")
    meta = load_catalogue(overrides=own)["reviews_on_time_pct"]
    assert (meta.target, meta.floor, meta.title) == (98.0, 95.0, "Reviews on time")
    own.write_text("[indicator.reviews_on_time_pct]\nunit = 'percent'\n")
    with pytest.raises(CatalogueError, match="unit 'percent'"):
        load_catalogue(overrides=own)
    own.write_text("not toml [")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue(overrides=own)


def test_formatting():
    assert format_value(CATALOGUE["children_in_care"], 1842.0) == "1,842"
    assert format_value(CATALOGUE["qa_care_plan_adequate_pct"], 100 * 916 / 1135) == "80.7%"
    assert format_value(CATALOGUE["caseload_per_establishment_fte"], 1842 / 22) == "83.73"
    assert format_value(CATALOGUE["children_in_care"], None) == "–"
    assert format_change(CATALOGUE["participation_pct"], -0.7) == "-0.7 pts"
    assert format_change(CATALOGUE["children_in_care"], 11) == "+11"
    assert format_change(CATALOGUE["participation_pct"], -0.04) == "0.0 pts"
    assert format_change(CATALOGUE["children_in_care"], -0.2) == "0"


def test_docs_page_is_the_catalogue():
    from pathlib import Path

    from iro_metrics.catalogue import catalogue_markdown

    page = Path(__file__).parent.parent / "docs" / "indicators.md"
    assert page.read_text() == catalogue_markdown(), "run: python -m iro_metrics catalogue > docs/indicators.md"


def test_decomposed_counts(tmp_path):
    late = CATALOGUE["late_notifications_pct"].decomposed
    assert late is not None and (late.count, late.title, late.volume_title, late.complement) == (
        "late_notifications",
        "Late notifications",
        "Children starting care",
        False,
    )
    # A family's through its template, with the item's label in both cases.
    plan = CATALOGUE["qa_care_plan_adequate_pct"].decomposed
    assert plan is not None and (plan.count, plan.title, plan.volume_title, plan.complement) == (
        "qa_care_plan_inadequate",
        "Inadequate grades: care plan",
        "Care plan grades",
        True,
    )
    assert CATALOGUE["qa_care_plan_good_pct"].decomposed is None
    # The Compare page's counts are the code's: a council's catalogue cannot set one.
    own = tmp_path / "catalogue.toml"
    own.write_text("[indicator.reviews_held]\ndecomposed = { count = 'x', title = 'X', volume = 'Y' }\n")
    with pytest.raises(CatalogueError, match="may not set decomposed"):
        load_catalogue(overrides=own)
    # Only a rate with a numerator and a denominator can be split; the fields and names are checked.
    shipped = (Path(__file__).parent.parent / "iro_metrics" / "catalogue.toml").read_text()
    held = "[indicator.reviews_held]\ndecomposed = { count = 'held', title = 'Held', volume = 'Reviews' }"
    for text, message in (
        (shipped.replace("[indicator.reviews_held]", held), "only a percentage or a rate per 100"),
        (shipped.replace('{ count = "minutes_late"', '{ counts = "minutes_late"'), "decomposed takes count, title"),
        (shipped.replace('count = "disputes_informal"', 'count = "disputes_formal"'), "named twice"),
    ):
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        with pytest.raises(CatalogueError, match=message):
            load_catalogue(bad)
