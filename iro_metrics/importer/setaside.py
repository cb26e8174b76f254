"""Set aside the smallest unit that keeps the rest consistent, instead of refusing a whole county.

An error in one record (an unreadable date, overlapping episodes, a review outside care) sets
aside: a child's records when it is in the Header, Episodes or UASC table (the child's episodes
only make sense together); the review when it is in Reviews; the row itself in a template or the
SWEpisodes table. Everything of a child set aside goes (its reviews, template rows, events), so
nothing downstream is left dangling. What was set aside is counted per rule for dataset.toml's
``[[set_aside]]`` tables and the data-quality note every page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import polars as pl

from iro_metrics.importer.readers import FILE, ROW, ParsedFile
from iro_metrics.importer.report import RECORD_RULES, RULES

CHILD_KINDS = frozenset({"header", "episodes", "uasc"})
# Rules on an episode that set aside only that episode (CHILD + DECOM, in every return that repeats
# it), never the child's other episodes or years: an episode starting inside an earlier one.
EPISODE_RULES = frozenset({"overlapping_episodes"})
_UNIT = {"reviews": "reviews"}
_SINGULAR = {"children": "child", "reviews": "review", "rows": "row", "episodes": "episode"}


def _with_first_of_duplicates(mine: pl.DataFrame, one: ParsedFile) -> pl.DataFrame:
    """The errors of one file plus the first row of each key given twice with other values (none is used)."""
    key = list(one.spec.key) if one.spec is not None else []
    duplicated = mine.filter(pl.col("rule") == "duplicate_key")
    if not key or duplicated.height == 0 or one.frame is None:
        return mine
    keys = duplicated.join(one.frame.select(FILE, ROW, *key), on=[FILE, ROW]).select(key).unique()
    firsts = one.frame.join(keys, on=key).select(FILE, pl.col(ROW).cast(mine.schema[ROW]), rule=pl.lit("duplicate_key"))
    return pl.concat([mine, firsts]).unique()


@dataclass
class SetAside:
    """What is left out: whole children, single reviews (child, date) and single rows (file, row)."""

    children: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"CHILD": pl.String, "rule": pl.String}))
    rows: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={
                FILE: pl.String,
                ROW: pl.Int64,
                "rule": pl.String,
                "unit": pl.String,
                "CHILD": pl.String,
                "REVIEW": pl.Date,
            }
        )
    )
    reviews: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"CHILD": pl.String, "REVIEW": pl.Date}))
    episodes: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"CHILD": pl.String, "DECOM": pl.Date}))

    def add(self, problems: pl.DataFrame, parsed: list[ParsedFile]) -> None:
        """Add the units named by the record errors in ``problems`` (file, row, rule)."""
        errors = problems.filter(pl.col("rule").cast(pl.String).is_in(list(RECORD_RULES)) & pl.col("row").is_not_null())
        errors = errors.select(
            pl.col("file").cast(pl.String).alias(FILE), pl.col("row").alias(ROW), pl.col("rule").cast(pl.String)
        )
        if errors.height == 0:
            return
        for one in parsed:
            if one.frame is None or one.spec is None:
                continue
            mine = errors.filter(pl.col(FILE) == one.name)
            if mine.height == 0:
                continue
            mine = _with_first_of_duplicates(mine, one)
            keys = [
                c
                for c in ("CHILD", "REVIEW")
                if c in one.frame.columns and (c == "CHILD" or one.spec.kind == "reviews")
            ]
            located = mine.join(one.frame.select(FILE, ROW, *keys), on=[FILE, ROW], how="left")
            if "CHILD" not in located.columns:
                located = located.with_columns(CHILD=pl.lit(None, dtype=pl.String))
            if one.spec.kind == "episodes" and "DECOM" in one.frame.columns:
                single = located.filter(pl.col("rule").is_in(list(EPISODE_RULES)) & pl.col("CHILD").is_not_null())
                single = single.join(one.frame.select(FILE, ROW, "DECOM"), on=[FILE, ROW], how="left")
                self.episodes = pl.concat([self.episodes, single.select("CHILD", "DECOM")]).unique()
                self.rows = pl.concat(
                    [
                        self.rows,
                        single.select(
                            FILE,
                            ROW,
                            "rule",
                            pl.lit("episodes").alias("unit"),
                            "CHILD",
                            pl.lit(None, dtype=pl.Date).alias("REVIEW"),
                        ),
                    ]
                ).unique()
                located = located.filter(~(pl.col("rule").is_in(list(EPISODE_RULES)) & pl.col("CHILD").is_not_null()))
            if one.spec.kind in CHILD_KINDS:
                known = located.filter(pl.col("CHILD").is_not_null())
                self.children = pl.concat([self.children, known.select("CHILD", "rule")]).unique()
                located = located.filter(pl.col("CHILD").is_null())
            unit = _UNIT.get(one.spec.kind, "rows")
            if "REVIEW" not in located.columns:
                located = located.with_columns(REVIEW=pl.lit(None, dtype=pl.Date))
            self.rows = pl.concat(
                [self.rows, located.select(FILE, ROW, "rule", pl.lit(unit).alias("unit"), "CHILD", "REVIEW")]
            ).unique()
            if one.spec.kind == "reviews":
                dated = located.filter(pl.col("REVIEW").is_not_null()).select("CHILD", "REVIEW")
                self.reviews = pl.concat([self.reviews, dated]).unique()

    def apply(self, parsed: list[ParsedFile]) -> list[ParsedFile]:
        """The files read, without what is set aside."""
        out = []
        children = self.children.select("CHILD").unique()
        rows = self.rows.select(FILE, ROW).unique()
        for one in parsed:
            frame = one.frame
            if frame is not None:
                frame = frame.join(rows, on=[FILE, ROW], how="anti")
                if "CHILD" in frame.columns:
                    frame = frame.join(children, on="CHILD", how="anti")
                if (
                    "REVIEW" in frame.columns
                    and "CHILD" in frame.columns
                    and one.spec is not None
                    and one.spec.kind != "reviews"
                ):
                    frame = frame.join(self.reviews, on=["CHILD", "REVIEW"], how="anti")
                if one.spec is not None and one.spec.kind == "episodes" and "DECOM" in frame.columns:
                    frame = frame.join(self.episodes, on=["CHILD", "DECOM"], how="anti")
            out.append(replace(one, frame=frame))
        return out

    def summary(self) -> list[dict[str, object]]:
        """One entry per rule and unit: rule, count, unit, description (for dataset.toml's [[set_aside]])."""
        children = (
            self.children.group_by("rule")
            .agg(pl.col("CHILD").n_unique().alias("count"))
            .with_columns(unit=pl.lit("children"))
        )
        rows = (  # a review or row of a child set aside is counted within the child
            self.rows.join(self.children.select("CHILD").unique(), on="CHILD", how="anti", nulls_equal=False)
            .with_columns(  # a review given twice with other values is one review, on two rows
                _record=pl.when(pl.col("REVIEW").is_not_null())
                .then(pl.concat_str(pl.col(FILE), pl.col("CHILD"), pl.col("REVIEW").cast(pl.String), separator="|"))
                .otherwise(pl.concat_str(pl.col(FILE), pl.col(ROW).cast(pl.String), separator="|"))
            )
            .group_by("rule", "unit")
            .agg(pl.col("_record").n_unique().alias("count"), pl.col("CHILD").n_unique().alias("children"))
        )
        merged = pl.concat(
            [
                children.select("rule", "count", "unit", children=pl.col("count")),
                rows.select("rule", "count", "unit", "children"),
            ]
        )
        entries = []
        for rule, count, unit, touched in merged.sort("unit", "rule").iter_rows():
            meaning = RULES[rule][1].rstrip(".")
            entry: dict[str, object] = {
                "rule": rule,
                "count": int(count),
                "unit": unit,
                "description": f"{count:,} {unit if count != 1 else _SINGULAR[unit]} set aside: "
                f"{meaning[0].lower()}{meaning[1:]}",
            }
            if unit != "children":  # the children whose figures it changes (a review or episode each)
                entry["children"] = int(touched)
            entries.append(entry)
        return entries
