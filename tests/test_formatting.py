"""One style for periods and numbers in words."""

from iro_metrics.formatting import (
    PERIOD_LABEL_EXPR,
    change_text,
    d3_format,
    fte_text,
    in_sentence,
    interval_expr,
    number_text,
    period_text,
    period_vega,
    signed_text,
    value_text,
    whole_number_columns,
)


def test_period_text_puts_the_quarter_first():
    assert period_text("2015-16-Q2") == "Q2 2015-16"
    assert period_text("2013-14-Q4") == "Q4 2013-14"
    assert period_text("2015-16") == "2015-16"
    assert period_text(None) == ""


def test_numbers_have_thousands_separators_and_never_say_none():
    assert number_text(2065) == "2,065"
    assert number_text(1842 / 24, 1) == "76.8"
    assert number_text(1234567.891, 2) == "1,234,567.89"
    assert number_text(None) == "–"
    assert number_text(float("nan")) == "–"
    assert number_text(-0.04, 1) == "0.0"


def test_signed_and_fte_text():
    assert signed_text(36) == "+36"
    assert signed_text(-4.21, 1) == "−4.2"
    assert signed_text(0.004, 2) == "0.00"
    assert fte_text(24.0) == "24"
    assert fte_text(1842 / 70) == "26.3"
    assert fte_text(None) == "–"


def test_period_expr_matches_period_text():
    import polars as pl

    from iro_metrics.formatting import period_expr

    labels = ["2015-16-Q2", "2013-14-Q4", "2015-16", None]
    frame = pl.DataFrame({"period": labels}, schema={"period": pl.String})
    shown = frame.select(period_expr(pl.col("period")).alias("p")).get_column("p").to_list()
    assert shown == ["Q2 2015-16", "Q4 2013-14", "2015-16", None]


def test_numbers_are_formatted_by_unit():
    # The charts' tooltips and alt text (a missing value there reads "no value").
    assert value_text(80.7, "pct") == "80.7%"
    assert value_text(1842, "count") == "1,842"
    assert value_text(83.7272, "per_fte", 2) == "83.73"
    assert value_text(None, "pct", missing="no value") == "no value"
    assert d3_format("count") == ",.0f"
    assert d3_format("pct") == ",.1f"


def test_a_value_with_its_unit_written_by_hand():
    assert value_text(2065, "count") == "2,065"
    assert value_text(100 * 0.3333, "pct") == "33.3%"
    assert value_text(100 * 0.3333, "pct", with_unit=False) == "33.3"
    assert value_text(12.46, "per_100") == "12.5"
    assert value_text(24, "fte") == "24.0"
    assert value_text(1842 / 22, "per_fte", 2) == "83.73"
    assert value_text(-0.04, "pct") == "0.0%"  # never "-0.0%"
    assert value_text(None, "count") == "–"
    assert value_text(float("nan"), "pct") == "–"  # a missing value has no "%"


def test_a_period_in_the_one_style():
    from iro_metrics.periods import financial_quarter, financial_year

    assert period_text(financial_quarter(2015, 1)) == "Q1 2015-16"
    assert period_text(financial_year(2015)) == "2015-16"
    assert period_text("2014-15-Q2") == "Q2 2014-15"


def test_the_vega_period_expression_writes_what_period_text_writes():
    # The expression an axis or a point's description runs in the browser, on the data's key.
    assert period_vega("datum.period") == (
        "length(datum.period) == 10 ? slice(datum.period, 8) + ' ' + slice(datum.period, 0, 7) : datum.period"
    )
    assert period_vega("datum.label") == PERIOD_LABEL_EXPR


def test_changes_with_their_sign():
    assert signed_text(28) == "+28"
    assert signed_text(-17) == "−17"
    assert f"{signed_text(1.5, 1)} points" == "+1.5 points"
    assert signed_text(-11.0, 1, minus="-") == "-11.0"
    # A card's or table's change: a hyphen for a fall, "pts" for a percentage, an en dash for none.
    assert change_text(0.6, "pct", 1) == "+0.6 pts"
    assert change_text(-0.7, "pct", 1) == "-0.7 pts"
    assert change_text(-0.04, "pct", 1) == "0.0 pts"
    assert change_text(11, "count") == "+11"
    assert change_text(-3.78, "per_fte", 2) == "-3.78"
    assert change_text(None, "count") == "–"


def test_confidence_intervals_and_whole_number_columns():
    import polars as pl

    frame = pl.DataFrame(
        {
            "low": [45.24, None],
            "high": [60.06, None],
            "children": [2065, 3],
            "rate": [33.3, 1.0],
            "thousands": [2065.0, 1000.0],
            "name": ["a", "b"],
        }
    )
    texts = frame.select(interval_expr(pl.col("low"), pl.col("high")).alias("i")).get_column("i").to_list()
    assert texts == ["45.2 to 60.1", None]
    assert whole_number_columns(frame) == ["children", "thousands"]


def test_a_title_inside_a_sentence_keeps_its_abbreviations():
    assert in_sentence("Reviews on time") == "reviews on time"
    assert in_sentence("IRO contact between reviews") == "IRO contact between reviews"
    assert in_sentence("UASC") == "UASC"
    assert in_sentence("A") == "a"
