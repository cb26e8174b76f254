"""One style for periods and numbers in words."""

from iro_metrics.formatting import fte_text, number_text, period_text, signed_text


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
