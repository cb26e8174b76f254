"""Why a count changed: a count that is a volume times a rate (late notifications = children
starting care x the late rate) split into a volume effect and a rate effect with the symmetric
(midpoint) split, so the two effects add up exactly to the change."""

from __future__ import annotations

import polars as pl

from iro_metrics.catalogue import DecomposedCount, load_catalogue
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
