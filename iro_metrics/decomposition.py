"""Why a count changed: a count that is a volume times a rate (late notifications = children
starting care x the late rate) split into a volume effect and a rate effect with the symmetric
(midpoint) split, so the two effects add up exactly to the change; and what the count would have
been at the earlier period's rate (volume in B x rate in A), with its sentences."""

from __future__ import annotations

import math

import polars as pl

from iro_metrics.catalogue import DecomposedCount, load_catalogue
from iro_metrics.formatting import in_sentence, number_text, period_text
from iro_metrics.periods import Period
from iro_metrics.significance import Num

# --- Rate x volume decomposition --------------------------------------------------------------------


def midpoint_split(volume_a: Num, rate_a: Num, volume_b: Num, rate_b: Num) -> tuple[Num, Num]:
    """The volume effect and the rate effect of count = volume x rate between two periods, each at
    the other's midpoint: volume effect = (V_B - V_A) x (R_A + R_B) / 2 and rate effect =
    (R_B - R_A) x (V_A + V_B) / 2, which add up exactly to V_B x R_B - V_A x R_A."""
    volume_effect = (volume_b - volume_a) * (rate_a + rate_b) / 2
    rate_effect = (rate_b - rate_a) * (volume_a + volume_b) / 2
    return volume_effect, rate_effect


def decomposed_counts() -> list[DecomposedCount]:
    """Every count split into volume and rate: one per catalogue entry with ``decomposed`` (late
    notifications, disputes, reviews not on time, ..., each QA item's inadequate grades), in
    catalogue order. The shipped catalogue's, the same for every council."""
    return load_catalogue().decomposed_counts()


def decomposition_definitions() -> pl.DataFrame:
    """decomposed_counts() as a frame (count, title, rate_indicator, volume_title, complement, order)."""
    counts = decomposed_counts()
    return pl.DataFrame(
        {
            "count": [d.count for d in counts],
            "title": [d.title for d in counts],
            "rate_indicator": [d.rate_indicator for d in counts],
            "volume_title": [d.volume_title for d in counts],
            "complement": [d.complement for d in counts],
        },
        schema={
            "count": pl.String,
            "title": pl.String,
            "rate_indicator": pl.String,
            "volume_title": pl.String,
            "complement": pl.Boolean,
        },
    ).with_row_index("order")


def decompose_indicator_frames(frame_a: pl.DataFrame, frame_b: pl.DataFrame) -> pl.DataFrame:
    """Decompose every count of decomposed_counts() from two compute_indicators frames.

    Columns: count, title, volume_title, volume_a, volume_b, rate_a, rate_b (per 100 units of
    volume), count_a, count_b, change, volume_effect, rate_effect. Counts whose rate indicator
    is missing or has no volume in either period are left out.
    """
    definitions = decomposition_definitions()

    def side(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
        return frame.select(
            pl.col("indicator").alias("rate_indicator"),
            pl.col("denominator").cast(pl.Float64).alias(f"volume_{suffix}"),
            pl.col("numerator").cast(pl.Float64).alias(f"numerator_{suffix}"),
        )

    joined = definitions.join(side(frame_a, "a"), on="rate_indicator", how="inner").join(
        side(frame_b, "b"), on="rate_indicator", how="inner"
    )
    counts = {
        s: pl.when(pl.col("complement"))
        .then(pl.col(f"volume_{s}") - pl.col(f"numerator_{s}"))
        .otherwise(pl.col(f"numerator_{s}"))
        for s in ("a", "b")
    }
    raw_rate = {s: pl.when(pl.col(f"volume_{s}") > 0).then(counts[s] / pl.col(f"volume_{s}")) for s in ("a", "b")}
    # A period with no volume has no rate: it borrows the other period's, so the whole change is volume.
    rate_a = pl.coalesce(raw_rate["a"], raw_rate["b"], pl.lit(0.0))
    rate_b = pl.coalesce(raw_rate["b"], raw_rate["a"], pl.lit(0.0))
    volume_a = pl.col("volume_a").fill_null(0.0)
    volume_b = pl.col("volume_b").fill_null(0.0)
    volume_effect, rate_effect = midpoint_split(volume_a, rate_a, volume_b, rate_b)
    return (
        joined.filter((pl.col("volume_a").fill_null(0) > 0) | (pl.col("volume_b").fill_null(0) > 0))
        .with_columns(volume_a.alias("volume_a"), volume_b.alias("volume_b"))
        .with_columns(
            (100 * rate_a).alias("rate_a"),
            (100 * rate_b).alias("rate_b"),
            counts["a"].fill_null(0.0).alias("count_a"),
            counts["b"].fill_null(0.0).alias("count_b"),
            volume_effect.alias("volume_effect"),
            rate_effect.alias("rate_effect"),
        )
        .with_columns((pl.col("count_b") - pl.col("count_a")).alias("change"))
        .sort("order")
        .select(
            "count",
            "title",
            "volume_title",
            "volume_a",
            "volume_b",
            "rate_a",
            "rate_b",
            "count_a",
            "count_b",
            "change",
            "volume_effect",
            "rate_effect",
        )
    )


# --- At the earlier period's rate ----------------------------------------------------------------------


def at_earlier_rate_from(decompositions: pl.DataFrame) -> pl.DataFrame:
    """From count_decompositions' frame: the count period B would have had at period A's rate.

    Columns: count, title, volume_title, volume_b, rate_a, rate_b (per 100), actual_b,
    at_earlier_rate (= volume_b x rate_a / 100; null when period A had no volume), difference.
    """
    at_rate = pl.when(pl.col("volume_a") > 0).then(pl.col("volume_b") * pl.col("rate_a") / 100)
    return decompositions.select(
        "count",
        "title",
        "volume_title",
        "volume_b",
        pl.when(pl.col("volume_a") > 0).then(pl.col("rate_a")).alias("rate_a"),
        pl.when(pl.col("volume_b") > 0).then(pl.col("rate_b")).alias("rate_b"),
        pl.col("count_b").alias("actual_b"),
        at_rate.alias("at_earlier_rate"),
        (pl.col("count_b") - at_rate).alias("difference"),
    )


def _whole(value: float | None) -> int:
    """A count as a whole number, halves rounded up (4.5 -> 5), as a person rounds."""
    return math.floor((value or 0.0) + 0.5)


def at_earlier_rate_sentences(at_rate: pl.DataFrame, period_a: Period | str, period_b: Period | str) -> list[str]:
    """One sentence per count of ``at_earlier_rate_from``'s frame, e.g. 'Late notifications: at
    2014-15's rate (12.0 per 100 children starting care), 2015-16's 1,200 children starting care would
    have given 144, against 180 (36 more than at the earlier rate).'"""
    a, b = period_text(period_a), period_text(period_b)
    sentences = []
    for row in at_rate.iter_rows(named=True):
        volume_words = row["volume_title"][:1].lower() + row["volume_title"][1:]
        if row["at_earlier_rate"] is None:
            sentences.append(f"{row['title']}: {a} had no {volume_words}, so there is no earlier rate to apply.")
            continue
        # The sentence's numbers agree with each other: the difference is taken between the two
        # whole numbers shown (4.5 reads "5", so 3 is "2 fewer"; never "4, against 3 (2 fewer)").
        would_have = _whole(row["at_earlier_rate"])
        actual = _whole(row["actual_b"])
        difference = actual - would_have
        if difference == 0:
            verdict = "the same as at the earlier rate"
        else:
            more = "more" if difference > 0 else "fewer"
            verdict = f"{number_text(abs(difference))} {more} than at the earlier rate"
        sentences.append(
            f"{row['title']}: at {a}'s rate ({number_text(row['rate_a'], 1)} per 100 {volume_words}), "
            f"{b}'s {number_text(row['volume_b'])} {volume_words} would have given "
            f"{number_text(would_have)}, against {number_text(actual)} ({verdict})."
        )
    return sentences


def at_earlier_rate_summary(at_rate: pl.DataFrame, period_a: Period | str, period_b: Period | str) -> str:
    """The 'at last year's rate' answer in one sentence, from ``at_earlier_rate_from``'s frame.

    'At 2014-15's rates, 2 of 3 counts in 2015-16 were higher than the rate alone would give and 1
    lower; the biggest gap: late notifications, 180 against 144 (36 more).' Counts are compared as
    the whole numbers the detail shows; a count with no earlier rate is left out of the tally.
    """
    a, b = period_text(period_a), period_text(period_b)
    rated = at_rate.filter(pl.col("at_earlier_rate").is_not_null())
    if rated.is_empty():
        return f"{a} has no volumes to take a rate from, so no count of {b} can be set against {a}'s rate."
    gaps = rated.with_columns(
        ((pl.col("actual_b") + 0.5).floor() - (pl.col("at_earlier_rate") + 0.5).floor()).alias("gap"),
        (pl.col("at_earlier_rate") + 0.5).floor().alias("would"),
        (pl.col("actual_b") + 0.5).floor().alias("actual"),
    ).sort(pl.col("gap").abs(), "title", descending=[True, False])
    higher = gaps.filter(pl.col("gap") > 0).height
    lower = gaps.filter(pl.col("gap") < 0).height
    same = gaps.height - higher - lower
    tally = f"{higher} of {gaps.height} counts in {b} were higher than the rate alone would give"
    tally += f", {lower} lower and {same} the same" if same else f" and {lower} lower"
    top = gaps.row(0, named=True)
    if top["gap"] == 0:
        return f"At {a}'s rates, every count in {b} was what the rate alone would give."
    more = "more" if top["gap"] > 0 else "fewer"
    title = in_sentence(top["title"])
    return (
        f"At {a}'s rates, {tally}; the biggest gap: {title}, {number_text(top['actual'])} against "
        f"{number_text(top['would'])} ({number_text(abs(top['gap']))} {more})."
    )
