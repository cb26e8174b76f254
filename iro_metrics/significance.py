"""Is a change between two periods more than chance? Tests and intervals on plain numbers, and the
same formulas on Polars expressions (for whole comparison frames).

For percentages, a two-sided two-proportion z-test (pooled); for rates per 100 (events per review),
the two-sided z-test for two Poisson rates. p < 0.05 reads "likely a real change", otherwise
"within normal variation". Wilson score intervals (95%) for percentages, in percent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeVar

import polars as pl

SIGNIFICANCE_LEVEL = 0.05
Z_95 = 1.959963984540054  # two-sided 95% normal quantile
REAL_CHANGE = "likely a real change"
NORMAL_VARIATION = "within normal variation"
# Units whose numerator and denominator support a significance call.
PROPORTION_UNITS = ("pct",)
RATE_UNITS = ("per_100",)

Num = TypeVar("Num", float, pl.Expr)


# --- Statistics on plain numbers (and the same formulas on Polars expressions) ---------------------


@dataclass(frozen=True)
class ChangeTest:
    """Result of a two-sample test: B's rate minus A's, the z statistic and the two-sided p-value."""

    difference: float
    z: float
    p_value: float

    @property
    def significance(self) -> str:
        """The call in words a manager understands."""
        return significance_words(self.p_value)


def significance_words(p_value: float) -> str:
    """'likely a real change' when p < 0.05, else 'within normal variation'."""
    return REAL_CHANGE if p_value < SIGNIFICANCE_LEVEL else NORMAL_VARIATION


def two_sided_p(z: Num) -> Num:
    """Two-sided normal tail probability of |z|: erfc(|z| / sqrt 2)."""
    if isinstance(z, pl.Expr):
        return (z.abs() / math.sqrt(2)).erfc()
    return math.erfc(abs(z) / math.sqrt(2))


def proportion_se(x1: Num, n1: Num, x2: Num, n2: Num) -> Num:
    """Standard error of the difference of two proportions under the pooled null (x of n each)."""
    pooled = (x1 + x2) / (n1 + n2)
    return (pooled * (1 - pooled) * (1 / n1 + 1 / n2)) ** 0.5


def rate_se(x1: Num, n1: Num, x2: Num, n2: Num) -> Num:
    """Standard error of the difference of two Poisson rates (x events per n reviews) under the pooled null."""
    pooled = (x1 + x2) / (n1 + n2)
    return (pooled * (1 / n1 + 1 / n2)) ** 0.5


def wilson_bounds(x: Num, n: Num, z: float) -> tuple[Num, Num]:
    """The Wilson score interval of x of n as proportions (low, high), for the normal quantile z."""
    p = x / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half_width = z * (p * (1 - p) / n + z**2 / (4 * n**2)) ** 0.5 / denominator
    return centre - half_width, centre + half_width


def check_counts(x: float, n: float, name: str, proportion: bool) -> None:
    """ValueError naming ``name`` for negative counts, or (for a proportion) more events than cases."""
    if n < 0 or x < 0:
        raise ValueError(f"{name}: counts cannot be negative (x={x}, n={n})")
    if proportion and x > n:
        raise ValueError(f"{name}: {x} events out of {n} is more than all of them")


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> ChangeTest | None:
    """Two-sided pooled z-test of x1/n1 (period A) against x2/n2 (period B); None if a base is 0.

    When every case (or none) is an event in both periods the rates cannot differ: z = 0, p = 1.
    """
    check_counts(x1, n1, "period A", proportion=True)
    check_counts(x2, n2, "period B", proportion=True)
    if n1 == 0 or n2 == 0:
        return None
    difference = x2 / n2 - x1 / n1
    se = proportion_se(x1, n1, x2, n2)
    z = difference / se if se > 0 else 0.0
    return ChangeTest(difference, z, two_sided_p(z))


def two_rate_test(x1: float, n1: float, x2: float, n2: float) -> ChangeTest | None:
    """Two-sided z-test for two Poisson rates (x events per n units of exposure); None if n is 0."""
    check_counts(x1, n1, "period A", proportion=False)
    check_counts(x2, n2, "period B", proportion=False)
    if n1 == 0 or n2 == 0:
        return None
    difference = x2 / n2 - x1 / n1
    se = rate_se(x1, n1, x2, n2)
    z = difference / se if se > 0 else 0.0
    return ChangeTest(difference, z, two_sided_p(z))
