"""Every chart the app and the briefing draw, grouped by kind, as Altair charts built from small
Polars frames.

No Streamlit here. Each chart has titled axes, formatted numbers, tooltips, the one palette from
``theme`` and a plain-English ``description`` (its alt text, ``common.alt_text``). Import the
module: ``from iro_metrics.charts import trends`` then ``trends.trend_chart(...)``.
"""
