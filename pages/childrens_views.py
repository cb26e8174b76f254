"""Children's views: what children, young people, carers and parents say in surveys."""

import polars as pl
import streamlit as st

from iro_metrics.charts import bars
from iro_metrics.formatting import number_text, period_text
from iro_metrics.pages.childrens_views import childrens_views_figures
from ui import show, state, widgets

selection = widgets.page_header(
    "Children's views",
    "What children and young people (and carers and parents) say in surveys, over time and with "
    "the number of responses behind each figure; and how many children their IRO saw between reviews.",
)
view = state.shown(childrens_views_figures(selection))
widgets.metric_row(view, ["iro_contact_pct"], changes=view.changes)
widgets.indicator_help(["iro_contact_pct"])

contact = view.contact_trend
if view.has_contact:
    show.trend(
        contact,
        title="Children in care seen by their IRO between reviews",
        y_title="% of children in care",
        unit="pct",
        extra_tooltips=[("numerator", "Seen", ",.0f"), ("denominator", "In care", ",.0f")],
        key="contact_trend",
    )

surveys = view.surveys
if not surveys:
    widgets.no_data("This dataset holds no survey responses.")
    st.stop()

survey = st.selectbox(
    "Survey",
    list(surveys),
    format_func=lambda s: surveys[s],
    key="survey",
    bind="query-params",
)
answers = view.trend.filter(pl.col("survey") == survey)
responses = view.responses_trend.filter(pl.col("survey") == survey)
st.metric(f"Responses, {period_text(selection.period)}", number_text(view.period_responses[survey]), border=True)

in_period = answers.filter(pl.col("period") == selection.period.label)
if in_period.get_column("denominator").fill_null(0).sum() > 0:
    show.chart(
        bars.answers_chart(in_period, title=f"{surveys[survey]}, {period_text(selection.period)}: answering yes"),
        key="survey_answers",
    )
    show.table(
        in_period.select(
            pl.col("question_label").alias("Question"),
            pl.col("value").alias("% yes"),
            pl.col("numerator").alias("Yes"),
            pl.col("denominator").alias("Answers"),
        ),
        f"survey_{survey}",
        column_config={"% yes": st.column_config.NumberColumn(format="%.1f")},
        caption="Small numbers of answers make percentages unstable: read them with the counts.",
    )
else:
    widgets.no_data(widgets.no_data_message(f"answers to the {surveys[survey].lower()}"))

if answers.get_column("value").is_not_null().any():
    st.subheader("Over time")
    questions = dict(answers.select("question", "question_label").unique().sort("question").iter_rows())
    question = st.selectbox(
        "Question",
        list(questions),
        format_func=lambda q: questions[q],
        key="question",
        bind="query-params",
    )
    show.trend(
        answers.filter(pl.col("question") == question),
        title=f"{questions[question]}: answering yes",
        y_title="% answering yes",
        unit="pct",
        extra_tooltips=[
            ("numerator", "Yes", ",.0f"),
            ("denominator", "Answers", ",.0f"),
            ("responses", "Responses in the period", ",.0f"),
        ],
        key="survey_trend",
    )
    show.trend(responses, title=f"{surveys[survey]}: responses", y_title="Responses", key="survey_responses")
    widgets.indicator_help(answers.get_column("indicator").unique(maintain_order=True).to_list())
