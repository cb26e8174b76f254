"""Indicator definitions: every indicator's catalogue entry and how it is judged."""

from __future__ import annotations

import polars as pl

from iro_metrics.catalogue import THEMES
from iro_metrics.dataset import Dataset
from iro_metrics.indicators import indicator_ids
from iro_metrics.pages.common import catalogue, judging_text

DEFINITION_SCHEMA = {
    "indicator": pl.String,
    "title": pl.String,
    "theme": pl.String,
    "kind": pl.String,
    "unit": pl.String,
    "polarity": pl.String,
    "target": pl.Float64,
    "floor": pl.Float64,
    "headline": pl.Boolean,
    "definition": pl.String,
    "judged": pl.String,
}


def definitions(ds: Dataset | None = None) -> pl.DataFrame:
    """Every indicator's catalogue entry (the dataset's survey questions included), in catalogue order.

    Columns: indicator, title, theme, kind, unit, polarity, target, floor, headline, definition, judged.
    """
    cat = catalogue(ds)
    ids = cat.ids()
    if ds is not None:
        try:
            ids = list(dict.fromkeys([*indicator_ids(ds), *ids]))
        except Exception:  # a dataset that cannot answer still has a catalogue to read
            ids = cat.ids()
    rows = []
    for indicator in cat.order(ids):
        meta = cat.get(indicator)
        if meta is None:
            continue
        rows.append(
            {
                "indicator": meta.id,
                "title": meta.title,
                "theme": THEMES.get(meta.theme, meta.theme),
                "kind": meta.kind,
                "unit": meta.unit,
                "polarity": meta.polarity,
                "target": meta.target,
                "floor": meta.floor,
                "headline": meta.headline,
                "definition": meta.definition,
                "judged": judging_text(meta),
            }
        )
    return pl.DataFrame(rows, schema=DEFINITION_SCHEMA, orient="row")
